-- Inline projection: the service-item catalogue (current revision) and every revision ever published,
-- so that a case keeps the limits and checklist of the revision it was received under.
CREATE TABLE cf_service_items (
    item_id              uuid        PRIMARY KEY,
    implementation_code  text        NOT NULL UNIQUE,
    basic_code           text        NOT NULL,
    name                 text        NOT NULL,
    category             text        NOT NULL,
    item_type            text        NOT NULL,
    acceptance_level     text        NOT NULL,
    decision_level       text        NOT NULL,
    agent_may_submit     boolean     NOT NULL,
    case_kind            text        NOT NULL,
    statutory_limit      int         NOT NULL,
    promised_limit       int         NOT NULL,
    revision             int         NOT NULL,
    definition           jsonb       NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL
);
CREATE INDEX cf_service_items_category ON cf_service_items (category, name);
CREATE INDEX cf_service_items_basic_code ON cf_service_items (basic_code);

CREATE TABLE cf_service_item_revisions (
    item_id      uuid        NOT NULL,
    revision     int         NOT NULL,
    definition   jsonb       NOT NULL,
    valid_from   timestamptz NOT NULL,
    PRIMARY KEY (item_id, revision)
);
