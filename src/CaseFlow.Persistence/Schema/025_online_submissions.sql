-- 网上办 (issue 17): one row per submission of the provincial platform, for the centre's 预审 (pre-review) queue and
-- the platform's replays. Kept by OnlineSubmissionProjection (inline) from the submission stream.
CREATE TABLE IF NOT EXISTS cf_online_submissions (
    submission_stream_id uuid        PRIMARY KEY,
    platform_id          text        NOT NULL,
    submission_id        text        NOT NULL,
    case_id              uuid        NOT NULL,
    case_number          text        NOT NULL,
    centre_id            text        NOT NULL,
    window_id            text        NOT NULL,
    materials            int         NOT NULL,
    submitted_at         timestamptz NOT NULL,
    received_at          timestamptz NOT NULL,
    last_outcome         text,
    outcome_at           timestamptz,
    version              bigint      NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS cf_online_submissions_key ON cf_online_submissions (platform_id, submission_id);
CREATE UNIQUE INDEX IF NOT EXISTS cf_online_submissions_case ON cf_online_submissions (case_id);
-- The queue pages newest first within a centre (the one list convention, keyset on (received_at, case_id)).
CREATE INDEX IF NOT EXISTS cf_online_submissions_centre_recent ON cf_online_submissions (centre_id, received_at DESC, case_id DESC);
