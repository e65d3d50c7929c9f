-- One read surface over the events whichever store wrote them (issue 14 moves them from cf_events to Marten's
-- cf_marten.mt_events): operators' queries, audits and tests read these views. Marten keeps actor, role, unit and
-- channel as headers and correlation and causation in columns; here they are one metadata document as before.
CREATE VIEW cf_event_log AS
    SELECT seq, id, stream_id, version, type, data, metadata, "timestamp" FROM cf_events
    UNION ALL
    SELECT e.seq_id, e.id, e.stream_id, e.version, e.type, e.data,
           coalesce(e.headers, '{}'::jsonb) || jsonb_build_object('correlationId', e.correlation_id, 'causationId', e.causation_id),
           e."timestamp"
    FROM cf_marten.mt_events e;

CREATE VIEW cf_stream_log AS
    SELECT id, kind, version FROM cf_streams
    UNION ALL
    SELECT s.id, k.kind, s.version FROM cf_marten.mt_streams s JOIN cf_stream_kinds k ON k.stream_id = s.id;
