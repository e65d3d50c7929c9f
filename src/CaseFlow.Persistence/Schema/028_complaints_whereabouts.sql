-- Issue 17, 投诉举报: one row per complaint (inline projection), watched by the sweeper like cases (its answer
-- deadline goes into cf_deadline_watch with subject 'complaint'). The complainant's name and phone are personal data:
-- read only by supervisors; masked for clerks; never logged. version: the stream's (the watch); user_version: the
-- version users see and send back as If-Match (the system's lights do not count, ETags.md).
CREATE TABLE cf_complaints (
    complaint_id       uuid        PRIMARY KEY,
    centre_id          text        NOT NULL,
    region_code        text        NOT NULL,
    source             text        NOT NULL,
    against            text        NOT NULL,
    target_id          text        NOT NULL,
    target_name        text        NOT NULL,
    department_id      text,
    case_id            uuid,
    facts              text        NOT NULL,
    anonymous          boolean     NOT NULL,
    complainant_name   text,
    complainant_phone  text,
    supervisor_id      text        NOT NULL,
    supervisor_name    text        NOT NULL,
    answer_due         date        NOT NULL,
    status             text        NOT NULL,
    finding            text,
    answer             text,
    answered_at        timestamptz,
    late               boolean     NOT NULL DEFAULT false,
    measure            text,
    satisfaction       text,
    visited_at         timestamptz,
    registered_by      text        NOT NULL,
    registered_at      timestamptz NOT NULL,
    version            bigint      NOT NULL,
    user_version       bigint      NOT NULL,
    watched_version    bigint      NOT NULL DEFAULT 0
);
CREATE INDEX cf_complaints_region ON cf_complaints (region_code text_pattern_ops, registered_at DESC, complaint_id DESC);
CREATE INDEX cf_complaints_dirty ON cf_complaints (complaint_id) WHERE version > watched_version;

-- The watch table holds case and complaint deadlines: the case sweeper's own query reads only the cases'.
ALTER TABLE cf_deadline_watch ADD COLUMN subject text NOT NULL DEFAULT 'case';

-- Issue 17, 去向留言: one row per temporary leave from a window (inline projection); the window's public status is
-- its open leave; the sweeper flags open leaves past their expected return.
CREATE TABLE cf_window_leaves (
    leave_id            uuid        PRIMARY KEY,
    stream_id           uuid        NOT NULL,
    staff_id            text        NOT NULL,
    staff_name          text        NOT NULL,
    centre_id           text        NOT NULL,
    window_id           text        NOT NULL,
    reason              text        NOT NULL,
    contact             text        NOT NULL,
    expected_return_at  timestamptz NOT NULL,
    stand_in_id         text,
    stand_in_name       text,
    left_at             timestamptz NOT NULL,
    returned_at         timestamptz,
    flagged             boolean     NOT NULL DEFAULT false
);
CREATE INDEX cf_window_leaves_due ON cf_window_leaves (expected_return_at) WHERE returned_at IS NULL AND NOT flagged;
CREATE INDEX cf_window_leaves_window ON cf_window_leaves (window_id, left_at DESC);
CREATE INDEX cf_window_leaves_centre ON cf_window_leaves (centre_id, left_at DESC, leave_id DESC);

-- The accountability ledger: complaints against a person or department, those substantiated, 问责 records (of
-- cases and of complaints), complaint answers given late (against the supervisor who held them).
ALTER TABLE cf_ledger_accountability
    ADD COLUMN complaints_received       int NOT NULL DEFAULT 0,
    ADD COLUMN complaints_substantiated  int NOT NULL DEFAULT 0,
    ADD COLUMN accountability_records    int NOT NULL DEFAULT 0,
    ADD COLUMN late_complaint_answers    int NOT NULL DEFAULT 0;
