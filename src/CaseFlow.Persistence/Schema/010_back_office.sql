-- Back-office approval: one row per department part of a case — the department inbox, the AB job's worklist.
CREATE TABLE cf_case_parts (
    case_id            uuid        NOT NULL,
    part_id            text        NOT NULL,
    case_number        text,
    item_name          text        NOT NULL,
    applicant_name     text        NOT NULL,
    accepting_centre   text        NOT NULL,
    department_id      text        NOT NULL,
    department_name    text        NOT NULL,
    lead               boolean     NOT NULL,
    stage              text        NOT NULL,
    holder_id          text,
    holder_name        text,
    step_index         int         NOT NULL DEFAULT 0,
    step_name          text        NOT NULL,
    step_share         int         NOT NULL,
    step_started_at    timestamptz NOT NULL,
    dispatched_at      timestamptz NOT NULL,
    promised_due       date,
    clock_stopped      boolean     NOT NULL DEFAULT false,
    approved           boolean,
    decided_at         timestamptz,
    steps              jsonb       NOT NULL,
    PRIMARY KEY (case_id, part_id)
);
CREATE INDEX cf_case_parts_inbox ON cf_case_parts (department_id, stage, promised_due);
CREATE INDEX cf_case_parts_holder ON cf_case_parts (holder_id) WHERE stage IN ('Claimed', 'ReturnedToWindow');

ALTER TABLE cf_cases
    ADD COLUMN decided_at  timestamptz,
    ADD COLUMN overdue     boolean,
    ADD COLUMN extended    int NOT NULL DEFAULT 0,
    ADD COLUMN escalated   boolean NOT NULL DEFAULT false;
