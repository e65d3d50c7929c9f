-- Inline projection: service centres with their region, departments, windows, AB posts and declared absences.
CREATE TABLE cf_centres (
    centre_id     uuid    PRIMARY KEY,
    centre_code   text    NOT NULL UNIQUE,
    name          text    NOT NULL,
    region_code   text    NOT NULL UNIQUE,
    region_name   text    NOT NULL,
    region_level  int     NOT NULL,
    parent_code   text,
    version       bigint  NOT NULL
);
CREATE INDEX cf_centres_parent ON cf_centres (parent_code);

CREATE TABLE cf_departments (
    centre_id      uuid  NOT NULL,
    department_id  text  NOT NULL,
    name           text  NOT NULL,
    PRIMARY KEY (centre_id, department_id)
);

CREATE TABLE cf_windows (
    window_id            text    PRIMARY KEY,
    centre_id            uuid    NOT NULL,
    number               text    NOT NULL,
    kind                 text    NOT NULL,
    category             text,
    accepted_categories  text[]  NOT NULL,
    accepted_item_codes  text[]  NOT NULL
);
CREATE INDEX cf_windows_centre ON cf_windows (centre_id);

CREATE TABLE cf_posts (
    post_id        uuid  PRIMARY KEY,
    centre_id      uuid  NOT NULL,
    name           text  NOT NULL,
    a_holder_id    text  NOT NULL,
    a_holder_name  text  NOT NULL,
    b_holder_id    text  NOT NULL,
    b_holder_name  text  NOT NULL
);

CREATE TABLE cf_absences (
    absence_id   uuid        PRIMARY KEY,
    post_id      uuid        NOT NULL,
    holder_id    text        NOT NULL,
    whereabouts  text        NOT NULL,
    from_at      timestamptz NOT NULL,
    to_at        timestamptz NOT NULL,
    note         text
);
CREATE INDEX cf_absences_holder ON cf_absences (holder_id, from_at);
