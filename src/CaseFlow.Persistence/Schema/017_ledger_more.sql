-- The accountability ledger grows (issue 8): inquiries owned and referred, red lights on deadlines a person or
-- department held, bad ratings of the cases a clerk received, return visits and rectifications done late.
-- cf_ledger_case_clerks is the projection's own memory of who received each case and which rating round was bad,
-- so a bad rating voided on appeal leaves the clerk's ledger again; a rebuild needs nothing else.
ALTER TABLE cf_ledger_accountability
    ADD COLUMN inquiries_owned      int NOT NULL DEFAULT 0,
    ADD COLUMN inquiries_referred   int NOT NULL DEFAULT 0,
    ADD COLUMN red_lights           int NOT NULL DEFAULT 0,
    ADD COLUMN bad_ratings          int NOT NULL DEFAULT 0,
    ADD COLUMN late_rectifications  int NOT NULL DEFAULT 0;

CREATE TABLE cf_ledger_case_clerks (
    case_id     uuid  PRIMARY KEY,
    clerk_id    text  NOT NULL,
    clerk_name  text  NOT NULL,
    bad_round   int,
    bad_month   date
);
