-- Inline projection: cases as the window sees them, with the item revision each was received under.
CREATE TABLE cf_cases (
    case_id          uuid        PRIMARY KEY,
    centre_id        text        NOT NULL,
    window_id        text        NOT NULL,
    item_id          uuid        NOT NULL,
    item_revision    int         NOT NULL,
    item_name        text        NOT NULL,
    promised_limit   int         NOT NULL,
    statutory_limit  int         NOT NULL,
    applicant_name   text        NOT NULL,
    status           text        NOT NULL,
    received_by      text        NOT NULL,
    received_at      timestamptz NOT NULL,
    snapshot         jsonb       NOT NULL,
    version          bigint      NOT NULL
);
CREATE INDEX cf_cases_centre ON cf_cases (centre_id, status, received_at DESC);
