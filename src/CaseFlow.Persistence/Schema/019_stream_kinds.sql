-- Marten keeps streams by id and version (cf_marten.mt_streams); CaseFlow also needs each stream's kind (case,
-- inquiry, notice, pickup, …) to refuse a command aimed at a stream of another kind. Written in the same
-- transaction as the stream's first events (MartenEventStore).
CREATE TABLE cf_stream_kinds (
    stream_id  uuid PRIMARY KEY,
    kind       text NOT NULL
);
