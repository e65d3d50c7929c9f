-- The board filters by region subtree: the centre's region code on each watch row, with a prefix index, so a
-- county's board reads only that county's rows. Pickup reminders: when the next one may be due, so the sweeper
-- does not re-read every uncollected result on every pass.
ALTER TABLE cf_deadline_watch ADD COLUMN region_code text NOT NULL DEFAULT '';
CREATE INDEX cf_watch_region ON cf_deadline_watch (region_code text_pattern_ops, red_at);
ALTER TABLE cf_cases ADD COLUMN remind_after timestamptz;
CREATE INDEX cf_cases_result_ready ON cf_cases (received_at) WHERE status = 'ResultReady' AND NOT mailed;
