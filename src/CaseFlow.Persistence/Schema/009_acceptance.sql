-- Acceptance at the window: the case number, who submitted, the deadlines the window and supervisors watch.
ALTER TABLE cf_cases
    ADD COLUMN case_number     text,
    ADD COLUMN channel         text,
    ADD COLUMN agent_id        text,
    ADD COLUMN act_by          date,
    ADD COLUMN accepted_on     date,
    ADD COLUMN promised_due    date,
    ADD COLUMN statutory_due   date,
    ADD COLUMN deficiency_due  date,
    ADD COLUMN deemed          boolean NOT NULL DEFAULT false,
    ADD COLUMN responsible_id  text,
    ADD COLUMN notices         int     NOT NULL DEFAULT 0,
    ADD COLUMN repeat_notices  int     NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX cf_cases_number ON cf_cases (case_number);
CREATE INDEX cf_cases_agent ON cf_cases (agent_id, received_at DESC) WHERE agent_id IS NOT NULL;
CREATE INDEX cf_cases_waiting ON cf_cases (status, received_at) WHERE status IN ('Received', 'AcceptedWithDeficiency');

-- Case numbers: one counter per centre and day. A number is taken in its own transaction before the command
-- runs, so a refused or conflicting command leaves a gap but a number is never handed out twice.
CREATE TABLE cf_case_numbers (
    centre_code  text  NOT NULL,
    day          date  NOT NULL,
    last         int   NOT NULL,
    PRIMARY KEY (centre_code, day)
);
