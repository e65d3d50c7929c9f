-- Idempotency-Key (issue 13): a key is reserved before the command does any work (a case number, a decision),
-- so a concurrent duplicate sees it in progress and a replay never runs the command again. The reservation is
-- completed in the command's own transaction, or released when the command is refused. Keys expire after
-- 24 hours (CommandPipeline.IdempotencyKeyLifetime): an expired row is taken over and the sweeper deletes them.
ALTER TABLE cf_idempotency ALTER COLUMN status_code DROP NOT NULL;
ALTER TABLE cf_idempotency ALTER COLUMN response DROP NOT NULL;
ALTER TABLE cf_idempotency ADD COLUMN completed boolean NOT NULL DEFAULT true;
CREATE INDEX cf_idempotency_created ON cf_idempotency (created_at);

CREATE FUNCTION cf_complete_idempotency(p_actor text, p_key text, p_reserved_at timestamptz, p_status int, p_response text, p_etag text, p_location text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cf_idempotency SET completed = true, status_code = p_status, response = p_response, etag = p_etag, location = p_location
    WHERE actor_id = p_actor AND key = p_key AND NOT completed AND created_at = p_reserved_at;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'idempotency reservation lost' USING ERRCODE = 'CF409';
    END IF;
END
$$;
