-- Events are the permanent record (DOMAIN.md; issue 14): Marten's event table refuses UPDATE, DELETE and
-- TRUNCATE from anyone, CaseFlow's own role included. Marten's own operations only insert events (appends,
-- tombstones) and update mt_streams (the version), which stays allowed; streams may not be deleted or truncated.
CREATE FUNCTION cf_marten_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are the permanent record: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'CF403';
END $$;

CREATE TRIGGER cf_events_never_change BEFORE UPDATE OR DELETE ON cf_marten.mt_events
    FOR EACH ROW EXECUTE FUNCTION cf_marten_events_immutable();
CREATE TRIGGER cf_events_never_truncated BEFORE TRUNCATE ON cf_marten.mt_events
    FOR EACH STATEMENT EXECUTE FUNCTION cf_marten_events_immutable();
CREATE TRIGGER cf_streams_never_deleted BEFORE DELETE ON cf_marten.mt_streams
    FOR EACH ROW EXECUTE FUNCTION cf_marten_events_immutable();
CREATE TRIGGER cf_streams_never_truncated BEFORE TRUNCATE ON cf_marten.mt_streams
    FOR EACH STATEMENT EXECUTE FUNCTION cf_marten_events_immutable();
