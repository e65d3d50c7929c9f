-- Deadlines and alerts (issue 7). cf_deadline_watch is kept by the sweeper (not a projection: it needs the
-- calendar and the warning rules in force): one row per running deadline, with the instants it turns yellow
-- and red and the level already raised. A case is re-read when its version passes watched_version.
ALTER TABLE cf_cases
    ADD COLUMN watched_version bigint      NOT NULL DEFAULT 0,
    ADD COLUMN closed_at       timestamptz,
    ADD COLUMN rated           boolean     NOT NULL DEFAULT false,
    ADD COLUMN mailed          boolean     NOT NULL DEFAULT false;
CREATE INDEX cf_cases_dirty ON cf_cases (case_id) WHERE version > watched_version;
CREATE INDEX cf_cases_unrated ON cf_cases (closed_at) WHERE status = 'Closed' AND NOT rated;

CREATE TABLE cf_deadline_watch (
    case_id         uuid        NOT NULL,
    key             text        NOT NULL,
    scope           text        NOT NULL,
    target          text        NOT NULL,
    centre_id       text        NOT NULL,
    department_id   text,
    holder_id       text,
    case_number     text,
    item_name       text        NOT NULL,
    started_at      timestamptz NOT NULL,
    limit_days      int         NOT NULL,
    due_day         date        NOT NULL,
    yellow_at       timestamptz,
    red_at          timestamptz NOT NULL,
    raised          int         NOT NULL DEFAULT 0,
    provisional     boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (case_id, key)
);
CREATE INDEX cf_watch_yellow ON cf_deadline_watch (yellow_at) WHERE raised < 1;
CREATE INDEX cf_watch_red ON cf_deadline_watch (red_at) WHERE raised < 2;
CREATE INDEX cf_watch_centre ON cf_deadline_watch (centre_id, red_at);
CREATE INDEX cf_watch_department ON cf_deadline_watch (department_id, red_at);
CREATE INDEX cf_watch_holder ON cf_deadline_watch (holder_id, red_at);
