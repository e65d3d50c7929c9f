using System.Globalization;
using CaseFlow.Persistence.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Projections;

public sealed record RebuildProgress(string Projection, long EventsApplied, bool Done);

/// <summary>
/// Replays every event into fresh copies of a projection's tables and swaps them in (issue 3, "Rebuild").
/// Async projections: the rebuild holds the projection's advisory lock, so the daemon pauses, and the
/// checkpoint is set to where the rebuild ended. Inline projections: the final catch-up and swap run with the
/// live tables locked, so commands writing to them wait for the swap (a short pause; an admin operation).
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource, PostgresEventStore store, ProjectionCatalog catalog, TimeProvider clock, ILogger<ProjectionRebuilder> logger)
{
    private const int PageSize = 5_000;

    public async Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        var registration = catalog.Find(name) ?? throw new ArgumentException($"Unknown projection '{name}'.", nameof(name));
        var projection = registration.Projection;
        var copies = projection.Tables.ToDictionary(t => t, t => t + "__rebuild", StringComparer.Ordinal);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (!await ProjectionDaemon.TryLockAsync(conn, projection.Name, ct))
        {
            // A daemon is catching up: wait for it to release the lock when idle; it then stays out until we are done.
            await using var wait = new NpgsqlCommand("SELECT pg_advisory_lock($1)", conn);
            wait.Parameters.AddWithValue(ProjectionDaemon.LockKey(projection.Name));
            await wait.ExecuteNonQueryAsync(ct);
        }
        try
        {
            foreach (var (table, copy) in copies)
                await ExecAsync(conn, null, $"DROP TABLE IF EXISTS {copy}; CREATE TABLE {copy} (LIKE {table} INCLUDING ALL);", ct);

            // The next page is read (and deserialised) on a second connection while this one is applied.
            await using var readConn = await dataSource.OpenConnectionAsync(ct);
            ulong lastTx = 0;
            long lastSeq = 0, total = 0;
            var next = ProjectionDaemon.ReadPageAsync(readConn, store, lastTx, lastSeq, PageSize, ct);
            try
            {
                while (true)
                {
                    var page = await next;
                    if (page.Count == 0)
                        break;
                    (lastTx, lastSeq) = (page[^1].Tx, page[^1].Event.Sequence);
                    next = ProjectionDaemon.ReadPageAsync(readConn, store, lastTx, lastSeq, PageSize, ct);
                    await using (var tx = await conn.BeginTransactionAsync(ct))
                    {
                        await ProjectionDaemon.ApplyAsync(conn, tx, projection, page.Select(p => p.Event), copies, ct);
                        await tx.CommitAsync(ct);
                    }
                    total += page.Count;
                    progress?.Report(new RebuildProgress(name, total, false));
                }
            }
            finally
            {
                // A failed apply leaves a read in flight on readConn: let it finish before the connection goes back.
                try
                {
                    await next;
                }
                catch (Exception) when (ct.IsCancellationRequested || next.IsFaulted)
                {
                    // already reported by the apply that failed, or cancelled
                }
            }

            await using (var swap = await conn.BeginTransactionAsync(ct))
            {
                // Writers of the live tables wait from here; whatever committed meanwhile is applied, then swapped.
                await ExecAsync(conn, swap, $"LOCK TABLE {string.Join(", ", copies.Keys)} IN ACCESS EXCLUSIVE MODE", ct);
                // Inline: every committed event counts now (its writers are locked out, the rest are applied).
                // Async: only below the horizon; the daemon takes the rest from the checkpoint set below.
                var belowHorizon = registration.Mode == ProjectionMode.Async;
                while (true)
                {
                    var page = await ProjectionDaemon.ReadPageAsync(conn, store, lastTx, lastSeq, 5_000, ct, belowHorizon);
                    if (page.Count == 0)
                        break;
                    await ProjectionDaemon.ApplyAsync(conn, swap, projection, page.Select(p => p.Event), copies, ct);
                    (lastTx, lastSeq) = (page[^1].Tx, page[^1].Event.Sequence);
                    total += page.Count;
                }
                foreach (var (table, copy) in copies)
                {
                    await ExecAsync(conn, swap, $"DROP TABLE {table}; ALTER TABLE {copy} RENAME TO {table};", ct);
                    await RenameIndexesAsync(conn, swap, table, copy, ct);
                }
                if (registration.Mode == ProjectionMode.Async)
                {
                    await using var checkpoint = new NpgsqlCommand(
                        """
                        INSERT INTO cf_projection_state (name, last_tx_id, last_seq, events_applied, updated_at, status)
                        VALUES ($1, $2::xid8, $3, $4, $5, 'running')
                        ON CONFLICT (name) DO UPDATE SET last_tx_id = EXCLUDED.last_tx_id, last_seq = EXCLUDED.last_seq,
                            events_applied = EXCLUDED.events_applied, updated_at = EXCLUDED.updated_at, status = 'running',
                            failed_seq = NULL, error = NULL
                        """, conn, swap);
                    checkpoint.Parameters.AddWithValue(name);
                    checkpoint.Parameters.AddWithValue(lastTx.ToString(CultureInfo.InvariantCulture));
                    checkpoint.Parameters.AddWithValue(lastSeq);
                    checkpoint.Parameters.AddWithValue(total);
                    checkpoint.Parameters.AddWithValue(clock.GetUtcNow());
                    await checkpoint.ExecuteNonQueryAsync(ct);
                }
                await swap.CommitAsync(ct);
            }
            progress?.Report(new RebuildProgress(name, total, true));
            logger.LogInformation("Rebuilt projection {Projection} from {Events} events", name, total);
            return total;
        }
        finally
        {
            await ProjectionDaemon.UnlockAsync(conn, projection.Name);
        }
    }

    /// <summary>Indexes of the copy keep "__rebuild" in their names; give them the live names back.</summary>
    private static async Task RenameIndexesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string table, string copy, CancellationToken ct)
    {
        var renames = new List<(string From, string To)>();
        await using (var cmd = new NpgsqlCommand("SELECT indexname FROM pg_indexes WHERE tablename = $1", conn, tx))
        {
            cmd.Parameters.AddWithValue(table);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var index = reader.GetString(0);
                if (index.Contains(copy, StringComparison.Ordinal))
                    renames.Add((index, index.Replace(copy, table, StringComparison.Ordinal)));
            }
        }
        foreach (var (from, to) in renames)
            await ExecAsync(conn, tx, $"ALTER INDEX {from} RENAME TO {to}", ct);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
