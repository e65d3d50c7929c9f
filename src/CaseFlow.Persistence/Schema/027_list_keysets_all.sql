-- The one list convention on every list (issue 16): each list reads its pages in its order on an index ending in
-- the row's unique key, so that page 1,000 costs what page 1 does.
-- A clerk's (or agent's) first-inquiry worklist: open ones first, then newest first.
CREATE INDEX IF NOT EXISTS cf_inquiry_worklist_owner_keyset ON cf_inquiry_worklist (owner_id, (status <> 'Open'), registered_at DESC, inquiry_id DESC);
-- The catalogue and a window's catalogue: by category, name, id.
CREATE INDEX IF NOT EXISTS cf_service_items_keyset ON cf_service_items (category, name, item_id);
-- The staff register: by centre, role, staff id.
CREATE INDEX IF NOT EXISTS cf_staff_keyset ON cf_staff (centre_id, role, staff_id);
-- The first-inquiry ledger of a month: most referrals without a named target first.
CREATE INDEX IF NOT EXISTS cf_ledger_inquiries_keyset ON cf_ledger_inquiries (month, (-referrals_without_target), person_id);
-- The board and the overdue list page on (red_at, case_id, key) within a centre, department or person.
CREATE INDEX IF NOT EXISTS cf_watch_centre_keyset ON cf_deadline_watch (centre_id, red_at, case_id, key);
CREATE INDEX IF NOT EXISTS cf_watch_department_keyset ON cf_deadline_watch (department_id, red_at, case_id, key);
CREATE INDEX IF NOT EXISTS cf_watch_holder_keyset ON cf_deadline_watch (holder_id, red_at, case_id, key);
DROP INDEX IF EXISTS cf_watch_centre;
DROP INDEX IF EXISTS cf_watch_department;
DROP INDEX IF EXISTS cf_watch_holder;
DROP INDEX IF EXISTS cf_service_items_category;
DROP INDEX IF EXISTS cf_staff_centre;
