using System.Globalization;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Projections;

/// <summary>Where an async projection stands: its checkpoint, lag and failure, as shown in /health/ready.</summary>
public sealed record ProjectionStatus(string Name, string Status, long LastSequence, long EventsBehind, double SecondsSinceProgress, long? FailedSequence, string? Error);

/// <summary>
/// Runs the asynchronous projections (ADR: Projections/README.md).
/// <list type="bullet">
/// <item>Commit-order safety: events are read in (tx_id, seq) order and only below
/// <c>pg_snapshot_xmin(pg_current_snapshot())</c>, so every transaction read is finished and none can later
/// appear before the checkpoint. A late-committing writer with a low sequence number is picked up, never skipped.</item>
/// <item>Exactly once: a page of events and the checkpoint are written in one transaction.</item>
/// <item>One runner at a time per projection across hosts: a session advisory lock, held while catching up,
/// released when idle or when the holder dies.</item>
/// <item>A failing event stops the projection there; its sequence and error are recorded and shown.</item>
/// </list>
/// </summary>
public sealed class ProjectionDaemon(
    NpgsqlDataSource dataSource,
    PostgresEventStore store,
    ProjectionCatalog catalog,
    TimeProvider clock,
    ILogger<ProjectionDaemon> logger,
    Resilience.BackgroundHealth health) : BackgroundService
{
    public const int PageSize = 500;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The advisory-lock key of a projection: the same in every process (string.GetHashCode is randomised per
    /// process, which would give each host its own lock and no mutual exclusion at all).
    /// </summary>
    public static long LockKey(string projection) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("caseflow/projection/" + projection)), 0);

    private IReadOnlyList<ProjectionStatus> _latest = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Lag as metrics: events behind and seconds since progress, per projection (refreshed every 10 s).
        CaseFlowTelemetry.Meter.CreateObservableGauge("caseflow.projection.lag.events",
            () => _latest.Select(s => new System.Diagnostics.Metrics.Measurement<long>(s.EventsBehind, new KeyValuePair<string, object?>(CaseFlowTelemetry.Tags.Projection, s.Name))));
        CaseFlowTelemetry.Meter.CreateObservableGauge("caseflow.projection.lag.seconds",
            () => _latest.Select(s => new System.Diagnostics.Metrics.Measurement<double>(s.EventsBehind > 0 ? s.SecondsSinceProgress : 0, new KeyValuePair<string, object?>(CaseFlowTelemetry.Tags.Projection, s.Name))));
        return Task.WhenAll(catalog.Async.Select(p => RunProjectionAsync(p, stoppingToken)).Append(RefreshStatusAsync(stoppingToken)));
    }

    private async Task RefreshStatusAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _latest = await StatusAsync(ct);
                health.Succeeded("projection status");
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await Task.Delay(health.Failed("projection status", e), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Runs one projection on this host whenever it holds the projection's lock. The lock is held while there is
    /// work and released when caught up, so a rebuild (or another host) can take it between bursts; mutual
    /// exclusion is what matters, and a dead host's session releases it at once.
    /// </summary>
    private async Task RunProjectionAsync(IProjection projection, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    if (await TryLockAsync(conn, projection.Name, ct))
                    {
                        try
                        {
                            while (await ApplyPageAsync(conn, projection, ct) > 0)
                            {
                            }
                            health.Succeeded($"projection {projection.Name}");
                        }
                        finally
                        {
                            await UnlockAsync(conn, projection.Name);
                        }
                    }
                    await Task.Delay(PollInterval, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Retries from its checkpoint, with back-off; a database outage is logged once, not per retry.
                await Task.Delay(health.Failed($"projection {projection.Name}", e), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// One catch-up pass on this host (used by the CLI and the tests): takes the projection's lock, applies every
    /// event that is safe to read, releases the lock. Returns the number of events applied, or -1 when another
    /// host holds the lock.
    /// </summary>
    /// <remarks>
    /// The horizon is cluster-wide: any open transaction holds it back. With <paramref name="includeInFlight"/>,
    /// the pass also waits (up to 30 s) for transactions that were running when it started, so that everything
    /// committed by then is applied — what the CLI and tests mean by "catch up".
    /// </remarks>
    public async Task<long> CatchUpAsync(IProjection projection, CancellationToken ct = default, bool includeInFlight = false)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (!await TryLockAsync(conn, projection.Name, ct))
            return -1;
        try
        {
            var target = includeInFlight ? await HorizonAsync(conn, "pg_snapshot_xmax", ct) : 0UL;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            long total = 0;
            while (true)
            {
                // Sample the horizon before reading: an empty page after the target was passed means all is applied.
                var reached = await HorizonAsync(conn, "pg_snapshot_xmin", ct) >= target;
                var applied = await ApplyPageAsync(conn, projection, ct);
                total += applied;
                if (applied > 0)
                    continue;
                if (reached || DateTime.UtcNow > deadline)
                    return total;
                await Task.Delay(5, ct);
            }
        }
        finally
        {
            await UnlockAsync(conn, projection.Name);
        }
    }

    private static async Task<ulong> HorizonAsync(NpgsqlConnection conn, string function, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {function}(pg_current_snapshot())::text", conn);
        return ulong.Parse((string)(await cmd.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture);
    }

    internal static async Task<bool> TryLockAsync(NpgsqlConnection conn, string projection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", conn);
        cmd.Parameters.AddWithValue(LockKey(projection));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    internal static async Task UnlockAsync(NpgsqlConnection conn, string projection)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", conn);
        cmd.Parameters.AddWithValue(LockKey(projection));
        await cmd.ExecuteScalarAsync(CancellationToken.None);
    }

    /// <summary>Applies the next page of safe events and moves the checkpoint, in one transaction.</summary>
    private async Task<int> ApplyPageAsync(NpgsqlConnection conn, IProjection projection, CancellationToken ct)
    {
        var (lastTx, lastSeq) = await ReadCheckpointAsync(conn, projection.Name, ct);
        var page = await ReadPageAsync(conn, store, lastTx, lastSeq, PageSize, ct);
        if (page.Count == 0)
            return 0;

        using var activity = CaseFlowTelemetry.Source.StartActivity("projection.apply");
        activity?.SetTag(CaseFlowTelemetry.Tags.Projection, projection.Name);
        activity?.SetTag(CaseFlowTelemetry.Tags.EventCount, page.Count);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await ApplyAsync(conn, tx, projection, page.Select(p => p.Event), null, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            await PinpointFailureAsync(conn, projection, page.Select(p => p.Event), ct);
            throw;
        }
        lastTx = page[^1].Tx;
        lastSeq = page[^1].Event.Sequence;
        var applied = page.Count;
        await using (var checkpoint = new NpgsqlCommand(
            """
            INSERT INTO cf_projection_state (name, last_tx_id, last_seq, events_applied, updated_at, status, failed_seq, error)
            VALUES ($1, $2::xid8, $3, $4, $5, 'running', NULL, NULL)
            ON CONFLICT (name) DO UPDATE SET last_tx_id = EXCLUDED.last_tx_id, last_seq = EXCLUDED.last_seq,
                events_applied = cf_projection_state.events_applied + EXCLUDED.events_applied,
                updated_at = EXCLUDED.updated_at, status = 'running', failed_seq = NULL, error = NULL
            """, conn, tx))
        {
            checkpoint.Parameters.AddWithValue(projection.Name);
            checkpoint.Parameters.AddWithValue(lastTx.ToString(CultureInfo.InvariantCulture));
            checkpoint.Parameters.AddWithValue(lastSeq);
            checkpoint.Parameters.AddWithValue((long)applied);
            checkpoint.Parameters.AddWithValue(clock.GetUtcNow());
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return applied;
    }

    /// <summary>Applies events to a projection's tables (live, or the rebuild copies) in one batched round trip.</summary>
    internal static async Task ApplyAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IProjection projection, IEnumerable<EventEnvelope> events,
        IReadOnlyDictionary<string, string>? tables, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        var writer = new ProjectionWriter(batch, tables);
        foreach (var e in events)
            projection.Apply(e, writer);
        if (batch.BatchCommands.Count == 0)
            return;
        // A page repeats a projection's few statements thousands of times: prepared once per connection, they
        // skip parsing and planning (a full rebuild ran 2.5× faster). Only projection writes are prepared — the
        // read side's catch-all queries need plans made for their actual parameters.
        await batch.PrepareAsync(ct);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replays a failed page one event at a time to name the event that fails, and records it.</summary>
    private async Task PinpointFailureAsync(NpgsqlConnection conn, IProjection projection, IEnumerable<EventEnvelope> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            try
            {
                await ApplyAsync(conn, tx, projection, [e], null, ct);
                await tx.RollbackAsync(ct);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                await tx.RollbackAsync(CancellationToken.None);
                await RecordFailureAsync(conn, projection.Name, e, error);
                throw new ProjectionFailedException(projection.Name, e.Sequence, e.Type, error);
            }
        }
    }

    private async Task RecordFailureAsync(NpgsqlConnection conn, string name, EventEnvelope e, Exception error)
    {
        // A database error's text may quote the event's data: only its SQLSTATE and constraint are kept (issue 13).
        var why = Resilience.DatabaseFailures.Why(error);
        var message = $"event {e.Sequence} ({e.Type}, stream {e.StreamId} v{e.Version}): {why}";
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO cf_projection_state (name, updated_at, status, failed_seq, error) VALUES ($1, $2, 'failed', $3, $4)
            ON CONFLICT (name) DO UPDATE SET status = 'failed', failed_seq = EXCLUDED.failed_seq, error = EXCLUDED.error
            """, conn);
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(clock.GetUtcNow());
        cmd.Parameters.AddWithValue(e.Sequence);
        cmd.Parameters.AddWithValue(message);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        logger.LogError("Projection {Projection} failed on event {Sequence} ({Type}): {Failure}\n{Frames}", name, e.Sequence, e.Type,
            Resilience.DatabaseFailures.Describe(error), Resilience.DatabaseFailures.Frames(error));
    }

    internal static async Task<(ulong Tx, long Seq)> ReadCheckpointAsync(NpgsqlConnection conn, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT last_tx_id::text, last_seq FROM cf_projection_state WHERE name = $1", conn);
        cmd.Parameters.AddWithValue(name);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1))
            : (0UL, 0L);
    }

    /// <summary>The next events after (tx, seq) whose transactions are all finished, in commit-safe order.</summary>
    /// <param name="belowHorizon">
    /// True (the daemon): only transactions below the horizon, which are all finished. False: everything visible
    /// now — only for the inline rebuild's final catch-up, made while the projection's writers are locked out.
    /// </param>
    internal static async Task<List<(ulong Tx, EventEnvelope Event)>> ReadPageAsync(
        NpgsqlConnection conn, PostgresEventStore store, ulong afterTx, long afterSeq, int limit, CancellationToken ct, bool belowHorizon = true)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT e.seq, e.id, e.version, e.type, e.data::text, e.metadata::text, e."timestamp", e.stream_id, e.tx_id::text AS tx_text
            FROM cf_events e
            WHERE (e.tx_id, e.seq) > ($1::xid8, $2) {(belowHorizon ? "AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())" : "")}
            ORDER BY e.tx_id, e.seq LIMIT $3
            """, conn);
        cmd.Parameters.AddWithValue(afterTx.ToString(CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue(afterSeq);
        cmd.Parameters.AddWithValue(limit);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var page = new List<(ulong, EventEnvelope)>();
        while (await reader.ReadAsync(ct))
            page.Add((ulong.Parse(reader.GetString(8), CultureInfo.InvariantCulture), store.ReadEnvelope(reader, reader.GetGuid(7), 0)));
        return page;
    }

    /// <summary>Checkpoint, lag and failure of every async projection.</summary>
    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var result = new List<ProjectionStatus>();
        foreach (var projection in catalog.Async)
        {
            await using var cmd = new NpgsqlCommand(
                """
                SELECT s.status, s.last_seq, s.updated_at, s.failed_seq, s.error,
                       (SELECT count(*) FROM (SELECT 1 FROM cf_events e WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq) LIMIT 1000000) behind)
                FROM (SELECT coalesce(p.status, 'running') AS status, coalesce(p.last_seq, 0) AS last_seq,
                             coalesce(p.last_tx_id, '0'::xid8) AS last_tx_id, coalesce(p.updated_at, (SELECT min(e0."timestamp") FROM cf_events e0)) AS updated_at, p.failed_seq, p.error
                      FROM (SELECT 1) one LEFT JOIN cf_projection_state p ON p.name = $1) s
                """, conn);
            cmd.Parameters.AddWithValue(projection.Name);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var since = reader.IsDBNull(2) ? 0 : (clock.GetUtcNow() - reader.GetFieldValue<DateTimeOffset>(2)).TotalSeconds;
            result.Add(new ProjectionStatus(
                projection.Name, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(5), Math.Max(0, since),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return result;
    }
}

public sealed class ProjectionFailedException(string projection, long sequence, string eventType, Exception inner)
    : Exception($"Projection {projection} failed on event {sequence} ({eventType}): {inner.Message}", inner)
{
    public long Sequence { get; } = sequence;
}
