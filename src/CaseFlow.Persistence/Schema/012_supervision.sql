-- Supervision (issue 8): orders (督办) and accountability records (问责), kept inline from the case streams.
CREATE TABLE cf_supervision_orders (
    order_id       uuid        PRIMARY KEY,
    case_id        uuid        NOT NULL,
    region_id      text        NOT NULL,
    instruction    text        NOT NULL,
    due_on         date        NOT NULL,
    status         text        NOT NULL,
    supervisor_id  text        NOT NULL,
    ordered_at     timestamptz NOT NULL
);
CREATE INDEX cf_supervision_orders_open ON cf_supervision_orders (due_on) WHERE status = 'Open';

CREATE TABLE cf_accountability_records (
    record_id      uuid        PRIMARY KEY,
    case_id        uuid        NOT NULL,
    target_kind    text        NOT NULL,
    target_id      text        NOT NULL,
    target_name    text        NOT NULL,
    measure        text        NOT NULL,
    facts          text        NOT NULL,
    outcome        text,
    supervisor_id  text        NOT NULL,
    opened_at      timestamptz NOT NULL,
    concluded_at   timestamptz
);
CREATE INDEX cf_accountability_target ON cf_accountability_records (target_id, opened_at DESC);
