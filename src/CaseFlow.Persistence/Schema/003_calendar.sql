-- Inline projection: holiday arrangements published by administrators (the shipped years live in code).
CREATE TABLE cf_calendar_years (
    year              int         PRIMARY KEY,
    holidays          date[]      NOT NULL,
    make_up_workdays  date[]      NOT NULL,
    source            text        NOT NULL,
    published_by      text        NOT NULL,
    published_at      timestamptz NOT NULL,
    version           bigint      NOT NULL
);
