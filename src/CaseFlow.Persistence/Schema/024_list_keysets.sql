-- The one list convention (issue 16): keyset paging reads each list in its order on an index ending in the row's id.
CREATE INDEX IF NOT EXISTS cf_cases_centre_recent ON cf_cases (centre_id, received_at DESC, case_id DESC);
CREATE INDEX IF NOT EXISTS cf_cases_agent_recent ON cf_cases (agent_id, received_at DESC, case_id DESC) WHERE agent_id IS NOT NULL;
