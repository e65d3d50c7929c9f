-- Async projection: the accountability ledger per person and per department and month (issue 8).
CREATE TABLE cf_ledger_accountability (
    subject_kind              text    NOT NULL,
    subject_id                text    NOT NULL,
    month                     date    NOT NULL,
    subject_name              text    NOT NULL,
    steps_handled             int     NOT NULL DEFAULT 0,
    steps_over_share          int     NOT NULL DEFAULT 0,
    over_share_days           int     NOT NULL DEFAULT 0,
    parts_decided             int     NOT NULL DEFAULT 0,
    repeat_notices            int     NOT NULL DEFAULT 0,
    deemed_acceptances        int     NOT NULL DEFAULT 0,
    referrals_without_target  int     NOT NULL DEFAULT 0,
    PRIMARY KEY (subject_kind, subject_id, month)
);
CREATE INDEX cf_ledger_accountability_month ON cf_ledger_accountability (month, subject_kind);
