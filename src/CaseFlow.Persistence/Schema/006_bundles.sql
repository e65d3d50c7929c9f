-- Inline projection: bundles (一件事) of the catalogue.
CREATE TABLE cf_bundles (
    bundle_id            uuid    PRIMARY KEY,
    code                 text    NOT NULL UNIQUE,
    name                 text    NOT NULL,
    item_codes           text[]  NOT NULL,
    lead_department      text    NOT NULL,
    co_departments       text[]  NOT NULL,
    promised_limit       int     NOT NULL,
    joint_statutory      int     NOT NULL,
    version              bigint  NOT NULL
);
