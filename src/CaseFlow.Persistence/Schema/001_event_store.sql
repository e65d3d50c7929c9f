-- CaseFlow event store. Forward-only: a published script is never edited; changes go in a new script.
-- ADR: src/CaseFlow.Persistence/EventStore/README.md

CREATE TABLE cf_streams (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE cf_events (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          uuid        NOT NULL,
    stream_id   uuid        NOT NULL,
    version     bigint      NOT NULL,
    type        text        NOT NULL,
    data        jsonb       NOT NULL,
    metadata    jsonb       NOT NULL,
    "timestamp" timestamptz NOT NULL,
    -- The writing transaction's id: the async daemon reads in (tx_id, seq) order below the oldest
    -- running transaction, so an event whose transaction commits late is never skipped.
    tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT cf_events_id_unique UNIQUE (id),
    CONSTRAINT cf_events_stream_version UNIQUE (stream_id, version)
);

CREATE INDEX cf_events_commit_order ON cf_events (tx_id, seq);

-- Events are the permanent record: the database itself refuses to change or remove them.
CREATE FUNCTION cf_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cf_events is append-only: % is refused', TG_OP USING ERRCODE = 'CF001';
END
$$;

CREATE TRIGGER cf_events_no_update_delete BEFORE UPDATE OR DELETE ON cf_events
    FOR EACH ROW EXECUTE FUNCTION cf_events_append_only();
CREATE TRIGGER cf_events_no_truncate BEFORE TRUNCATE ON cf_events
    FOR EACH STATEMENT EXECUTE FUNCTION cf_events_append_only();

-- Optimistic concurrency for appends to an existing stream: moves the stream from the expected to the
-- new version, or fails the whole transaction with SQLSTATE CF409. Concurrent writers queue on the
-- stream row; the loser re-checks the version after the winner commits and fails.
CREATE FUNCTION cf_advance_stream(p_id uuid, p_expected bigint, p_new bigint, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cf_streams SET version = p_new, updated_at = p_at WHERE id = p_id AND version = p_expected;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'stream % is not at version %', p_id, p_expected USING ERRCODE = 'CF409';
    END IF;
END
$$;

-- Asynchronous projections: checkpoint (in commit-safe order) and health of each.
CREATE TABLE cf_projection_state (
    name            text        PRIMARY KEY,
    last_tx_id      xid8        NOT NULL DEFAULT '0',
    last_seq        bigint      NOT NULL DEFAULT 0,
    events_applied  bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'running',
    failed_seq      bigint,
    error           text
);

-- Outbox: messages written in the command's transaction, dispatched at least once.
CREATE TABLE cf_outbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id       uuid        NOT NULL UNIQUE,
    kind             text        NOT NULL,
    recipient        text        NOT NULL,
    template         text        NOT NULL,
    payload          jsonb       NOT NULL,
    caused_by_event  uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    sent_at          timestamptz
);
CREATE INDEX cf_outbox_due ON cf_outbox (next_attempt_at, id) WHERE status = 'pending';

-- What the default sender delivered: the operator's record of every message that went out.
CREATE TABLE cf_sent_messages (
    message_id  uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    recipient   text        NOT NULL,
    template    text        NOT NULL,
    payload     jsonb       NOT NULL,
    sent_at     timestamptz NOT NULL
);

-- Idempotency-Key: the stored response of a command, written in the command's own transaction.
CREATE TABLE cf_idempotency (
    actor_id      text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status_code   int         NOT NULL,
    response      text        NOT NULL,
    etag          text,
    location      text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (actor_id, key)
);
