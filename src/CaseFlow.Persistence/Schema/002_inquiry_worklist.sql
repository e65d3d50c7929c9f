-- Inline projection: open first inquiries on their owner's worklist (首问负责, DOMAIN.md §6).
CREATE TABLE cf_inquiry_worklist (
    inquiry_id       uuid        PRIMARY KEY,
    owner_id         text        NOT NULL,
    owner_name       text        NOT NULL,
    centre_id        text        NOT NULL,
    enquirer_name    text        NOT NULL,
    topic            text        NOT NULL,
    service_item     text,
    channel          text        NOT NULL,
    status           text        NOT NULL,
    registered_at    timestamptz NOT NULL,
    closed_at        timestamptz,
    version          bigint      NOT NULL
);
CREATE INDEX cf_inquiry_worklist_owner ON cf_inquiry_worklist (owner_id, status, registered_at);

-- Async projection: the first-inquiry part of the accountability ledger, per person and month.
CREATE TABLE cf_ledger_inquiries (
    person_id                   text    NOT NULL,
    month                       date    NOT NULL,
    person_name                 text    NOT NULL,
    inquiries_owned             int     NOT NULL DEFAULT 0,
    inquiries_answered          int     NOT NULL DEFAULT 0,
    inquiries_referred          int     NOT NULL DEFAULT 0,
    referrals_without_target    int     NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, month)
);
