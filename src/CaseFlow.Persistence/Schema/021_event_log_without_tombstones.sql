-- Marten fills the sequence numbers of a failed transaction with "tombstone" events, written in the background
-- after the failure: they are not CaseFlow's events and no refused command wrote them.
CREATE OR REPLACE VIEW cf_event_log AS
    SELECT seq, id, stream_id, version, type, data, metadata, "timestamp" FROM cf_events
    UNION ALL
    SELECT e.seq_id, e.id, e.stream_id, e.version, e.type, e.data,
           coalesce(e.headers, '{}'::jsonb) || jsonb_build_object('correlationId', e.correlation_id, 'causationId', e.causation_id),
           e."timestamp"
    FROM cf_marten.mt_events e
    WHERE e.type <> 'tombstone';
