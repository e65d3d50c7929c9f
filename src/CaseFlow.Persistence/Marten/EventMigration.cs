using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Marten;

/// <summary>What <see cref="EventMigration"/> did and found.</summary>
public sealed record EventMigrationReport(long Streams, long Events, IReadOnlyList<string> StreamMismatches, IReadOnlyList<string> ProjectionDifferences)
{
    public bool Clean => StreamMismatches.Count == 0 && ProjectionDifferences.Count == 0;
}

/// <summary>
/// <c>caseflow migrate-events</c> (issue 14): moves an installation's events from CaseFlow's own tables into
/// Marten's, once. In one transaction, with writers locked out: every stream (id, version, times) and its kind,
/// every event in commit order with its id, version, type, data, timestamp and metadata (actor, role, unit,
/// channel as headers; correlation and causation in Marten's columns); the counts are compared stream by stream
/// and any difference rolls everything back. <c>cf_events</c> is then read-only. Afterwards every async
/// projection is rebuilt on Marten's daemon and compared row for row with what it held before.
/// </summary>
public static class EventMigration
{
    public const string Marker = "migrate-events/cf_events->cf_marten";
    private const string S = CaseFlowStoreOptions.Schema;

    /// <summary>Events in CaseFlow's own tables that were never moved to Marten.</summary>
    public static async Task<bool> PendingAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM cf_events) AND NOT EXISTS (SELECT 1 FROM cf_schema_migrations WHERE script = $1)");
        cmd.Parameters.AddWithValue(Marker);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<EventMigrationReport> RunAsync(NpgsqlDataSource db, IProjectionRunner marten, ProjectionCatalog catalog, ILogger logger, CancellationToken ct = default)
    {
        long streams, events;
        var mismatches = new List<string>();
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            async Task<long> ExecAsync(string sql)
            {
                await using var cmd = new NpgsqlCommand(sql, conn, tx);
                cmd.CommandTimeout = 0;
                return await cmd.ExecuteNonQueryAsync(ct);
            }
            await ExecAsync("LOCK TABLE cf_streams, cf_events IN EXCLUSIVE MODE");
            // Moved history must come first in Marten's sequence: refuse when Marten already holds events of its own.
            await using (var holds = new NpgsqlCommand($"SELECT count(*) FROM {S}.mt_events WHERE type <> 'tombstone'", conn, tx))
            {
                if ((long)(await holds.ExecuteScalarAsync(ct))! > 0)
                {
                    await tx.RollbackAsync(ct);
                    return new EventMigrationReport(0, 0, ["Marten already holds events: the previous release's history cannot be placed before them; restore the backup into a new database and move it there"], []);
                }
            }
            streams = await ExecAsync(
                $"""
                INSERT INTO {S}.mt_streams (id, type, version, "timestamp", created)
                SELECT id, NULL, version, updated_at, created_at FROM cf_streams ORDER BY created_at
                """);
            await ExecAsync("INSERT INTO cf_stream_kinds (stream_id, kind) SELECT id, kind FROM cf_streams ON CONFLICT (stream_id) DO NOTHING");
            // Commit order (tx_id, seq) becomes Marten's sequence, after whatever Marten already holds.
            events = await ExecAsync(
                $"""
                INSERT INTO {S}.mt_events (seq_id, id, stream_id, version, data, type, "timestamp", mt_dotnet_type, correlation_id, causation_id, headers)
                SELECT base.last + row_number() OVER (ORDER BY e.tx_id, e.seq), e.id, e.stream_id, e.version, e.data, e.type, e."timestamp", NULL,
                       e.metadata->>'correlationId', e.metadata->>'causationId', e.metadata - 'correlationId' - 'causationId'
                FROM cf_events e, (SELECT coalesce(max(seq_id), 0) AS last FROM {S}.mt_events) base
                """);
            await ExecAsync($"SELECT setval('{S}.mt_events_sequence', greatest((SELECT coalesce(max(seq_id), 0) FROM {S}.mt_events), 1))");

            await using (var check = new NpgsqlCommand(
                $"""
                SELECT coalesce(c.stream_id, m.stream_id), coalesce(c.n, 0), coalesce(m.n, 0), coalesce(c.v, 0), coalesce(s.version, 0)
                FROM (SELECT stream_id, count(*) n, max(version) v FROM cf_events GROUP BY stream_id) c
                FULL JOIN (SELECT e.stream_id, count(*) n FROM {S}.mt_events e WHERE e.stream_id IN (SELECT id FROM cf_streams) GROUP BY e.stream_id) m ON m.stream_id = c.stream_id
                LEFT JOIN {S}.mt_streams s ON s.id = coalesce(c.stream_id, m.stream_id)
                WHERE coalesce(c.n, 0) <> coalesce(m.n, 0) OR coalesce(c.v, 0) <> coalesce(s.version, 0)
                LIMIT 100
                """, conn, tx))
            await using (var reader = await check.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    mismatches.Add($"stream {reader.GetGuid(0)}: {reader.GetInt64(1)} events before, {reader.GetInt64(2)} after; version {reader.GetInt64(3)} before, {reader.GetInt64(4)} after");
            }
            if (mismatches.Count > 0)
            {
                await tx.RollbackAsync(ct);
                logger.LogError("migrate-events found {Count} streams that would differ; nothing was moved", mismatches.Count);
                return new EventMigrationReport(0, 0, mismatches, []);
            }

            // From now on the old tables are the record of what was moved, not a place to write.
            await ExecAsync(
                """
                CREATE OR REPLACE FUNCTION cf_events_moved_to_marten() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'cf_events is read-only: the events moved to Marten (cf_marten.mt_events)';
                END $$;
                DROP TRIGGER IF EXISTS cf_events_read_only ON cf_events;
                CREATE TRIGGER cf_events_read_only BEFORE INSERT ON cf_events FOR EACH STATEMENT EXECUTE FUNCTION cf_events_moved_to_marten();
                DROP TRIGGER IF EXISTS cf_streams_read_only ON cf_streams;
                CREATE TRIGGER cf_streams_read_only BEFORE INSERT OR UPDATE OR DELETE ON cf_streams FOR EACH STATEMENT EXECUTE FUNCTION cf_events_moved_to_marten();
                DROP TRIGGER IF EXISTS cf_streams_never_truncated ON cf_streams;
                CREATE TRIGGER cf_streams_never_truncated BEFORE TRUNCATE ON cf_streams FOR EACH STATEMENT EXECUTE FUNCTION cf_events_moved_to_marten();
                """);
            // The previous daemon's checkpoints count in its own sequence numbers, meaningless on Marten's.
            await ExecAsync("DELETE FROM cf_projection_state");
            await using (var mark = new NpgsqlCommand("INSERT INTO cf_schema_migrations (script) VALUES ($1)", conn, tx))
            {
                mark.Parameters.AddWithValue(Marker);
                await mark.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("migrate-events moved {Streams} streams and {Events} events to Marten", streams, events);

        // The async projections as they were, rebuilt from Marten's copy, must come out the same.
        var differences = new List<string>();
        foreach (var projection in catalog.Async)
        {
            foreach (var table in projection.Tables)
                await ExecAsync(db, $"DROP TABLE IF EXISTS cf_migration_before_{table}; CREATE TABLE cf_migration_before_{table} AS SELECT * FROM {table}", ct);
            await marten.RebuildAsync(projection.Name, ct: ct);
            foreach (var table in projection.Tables)
            {
                await using var cmd = db.CreateCommand(
                    $"SELECT (SELECT count(*) FROM (SELECT * FROM {table} EXCEPT ALL SELECT * FROM cf_migration_before_{table}) a), (SELECT count(*) FROM (SELECT * FROM cf_migration_before_{table} EXCEPT ALL SELECT * FROM {table}) b)");
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                var (added, lost) = (reader.GetInt64(0), reader.GetInt64(1));
                await reader.DisposeAsync();
                if (added + lost > 0)
                    differences.Add($"{projection.Name}/{table}: {added} rows only after the rebuild, {lost} only before (kept in cf_migration_before_{table})");
                else
                    await ExecAsync(db, $"DROP TABLE cf_migration_before_{table}", ct);
            }
        }
        foreach (var d in differences)
            logger.LogWarning("migrate-events: {Difference}", d);
        return new EventMigrationReport(streams, events, [], differences);
    }

    private static async Task ExecAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
