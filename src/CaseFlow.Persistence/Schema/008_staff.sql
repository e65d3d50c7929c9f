-- Inline projection: staff with their role and unit.
CREATE TABLE cf_staff (
    staff_id       text        PRIMARY KEY,
    name           text        NOT NULL,
    role           text        NOT NULL,
    unit_id        text        NOT NULL,
    unit_name      text        NOT NULL,
    centre_id      text        NOT NULL,
    department_id  text,
    registered_at  timestamptz NOT NULL
);
CREATE INDEX cf_staff_centre ON cf_staff (centre_id, role);
