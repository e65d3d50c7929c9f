-- Async projection: the service reports (issue 8), pre-aggregated per month, centre, department and item so
-- that a period or quarterly report of a county or a province sums a few thousand rows through an index.
-- cf_report_cases is the projection's own memory of each case's dimensions (where it was received, which
-- department and item), so later events of the case land in the same row group — and a rebuild needs nothing else.
CREATE TABLE cf_report_cases (
    case_id        uuid  PRIMARY KEY,
    region_code    text  NOT NULL,
    centre_id      text  NOT NULL,
    department_id  text  NOT NULL,
    item_code      text  NOT NULL,
    item_name      text  NOT NULL,
    rated_month    date,
    rated_level    text
);

CREATE TABLE cf_report_monthly (
    month                     date    NOT NULL,
    centre_id                 text    NOT NULL,
    department_id             text    NOT NULL,
    item_code                 text    NOT NULL,
    region_code               text    NOT NULL,
    item_name                 text    NOT NULL,
    received                  int     NOT NULL DEFAULT 0,
    accepted                  int     NOT NULL DEFAULT 0,
    rejected                  int     NOT NULL DEFAULT 0,
    decided                   int     NOT NULL DEFAULT 0,
    on_time                   int     NOT NULL DEFAULT 0,
    overdue                   int     NOT NULL DEFAULT 0,
    -- decisions whose working days are known (v2 events, on-the-spot completions), their sum and histogram:
    -- decide_hist[k] counts decisions that took k-1 working days; the last bucket holds 60 and more.
    timed                     int     NOT NULL DEFAULT 0,
    decide_days               bigint  NOT NULL DEFAULT 0,
    decide_hist               int[]   NOT NULL DEFAULT array_fill(0, ARRAY[61]),
    rated_very_satisfied      int     NOT NULL DEFAULT 0,
    rated_satisfied           int     NOT NULL DEFAULT 0,
    rated_basic               int     NOT NULL DEFAULT 0,
    rated_dissatisfied        int     NOT NULL DEFAULT 0,
    rated_very_dissatisfied   int     NOT NULL DEFAULT 0,
    PRIMARY KEY (month, centre_id, department_id, item_code)
);
CREATE INDEX cf_report_monthly_region ON cf_report_monthly (region_code text_pattern_ops, month);

-- Element-wise sum of two histograms (the upsert adds a decision's one-hot histogram to the row's).
CREATE FUNCTION cf_add_int_arrays(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
                ELSE (SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)) END
$$;
