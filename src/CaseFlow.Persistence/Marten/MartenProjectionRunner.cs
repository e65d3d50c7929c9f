using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;
using CaseFlow.Persistence.Resilience;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Marten;

/// <summary>
/// CaseFlow's async projections on Marten's daemon (issue 14): status and lag from Marten's progression table
/// (extended tracking names the event a paused projection stopped at), catch-up and rebuild through a daemon.
/// </summary>
public sealed class MartenProjectionRunner(
    IDocumentStore store, ProjectionCatalog catalog, NpgsqlDataSource db, TimeProvider clock, ILogger<MartenProjectionRunner> log, DatabaseOutage outage,
    EventSerializer serializer, global::Marten.Events.Daemon.Coordination.IProjectionCoordinator? coordinator = null,
    Func<StoreOptions>? rebuildOptions = null)
    : IProjectionRunner
{
    /// <summary>Events per page of a rebuild (Marten's default, 500, commits ten times as often).</summary>
    public const int RebuildBatchSize = 5_000;

    private readonly SafeLogger logger = new(log, outage);

    private const string S = CaseFlowStoreOptions.Schema;

    public static string ShardOf(string projection) => projection + ":All";

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default)
    {
        var result = new List<ProjectionStatus>();
        await using var conn = await db.OpenConnectionAsync(ct);
        foreach (var projection in catalog.Async)
        {
            await using var cmd = new NpgsqlCommand(
                $"""
                SELECT coalesce(p.last_seq_id, 0), p.last_updated, CASE WHEN f.name IS NOT NULL THEN 'Paused' ELSE p.agent_status END,
                       coalesce(f.error, p.pause_reason), coalesce(f.failed_seq, p.failure_event_sequence),
                       (SELECT count(*) FROM (SELECT 1 FROM {S}.mt_events e WHERE e.seq_id > coalesce(p.last_seq_id, 0) LIMIT 1000000) behind),
                       (SELECT min(e0."timestamp") FROM {S}.mt_events e0)
                FROM (SELECT 1) one
                LEFT JOIN {S}.mt_event_progression p ON p.name = $1
                LEFT JOIN cf_projection_state f ON f.name = $2 AND f.status = 'failed' AND f.failed_seq > coalesce(p.last_seq_id, 0)
                """, conn);
            cmd.Parameters.AddWithValue(ShardOf(projection.Name));
            cmd.Parameters.AddWithValue(projection.Name);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var paused = !reader.IsDBNull(2) && reader.GetString(2) == "Paused";
            DateTimeOffset? since = !reader.IsDBNull(1) ? reader.GetFieldValue<DateTimeOffset>(1) : reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6);
            result.Add(new ProjectionStatus(projection.Name, paused ? "failed" : "running", reader.GetInt64(0), reader.GetInt64(5),
                since is { } s ? Math.Max(0, (clock.GetUtcNow() - s).TotalSeconds) : 0,
                reader.IsDBNull(4) ? null : reader.GetInt64(4), paused && !reader.IsDBNull(3) ? reader.GetString(3) : null));
        }
        return result;
    }

    public Task CatchUpAllAsync(CancellationToken ct = default) => WhilePausedAsync(async () =>
    {
        using var daemon = await store.BuildProjectionDaemonAsync(logger: logger);
        await daemon.CatchUpAsync(TimeSpan.FromMinutes(5), ct);
    });

    /// <summary>
    /// This host's own daemon (HotCold, when background work runs here) is paused meanwhile, so it does not apply
    /// the shard the rebuild is clearing. A rebuild should be started on the node that runs the projections, or
    /// with background work off elsewhere (ops/README.md).
    /// </summary>
    private async Task WhilePausedAsync(Func<Task> work)
    {
        Interlocked.Increment(ref _paused);
        if (coordinator is not null)
            await coordinator.PauseAsync();
        try
        {
            await work();
        }
        finally
        {
            if (coordinator is not null)
                await coordinator.ResumeAsync();
            Interlocked.Decrement(ref _paused);
        }
    }

    private int _paused;

    /// <summary>A rebuild or catch-up holds this host's daemon paused (the watchdog leaves it alone meanwhile).</summary>
    public bool HoldsDaemonPaused => Volatile.Read(ref _paused) > 0;

    /// <summary>
    /// A blue/green rebuild (issue 14): Marten's daemon replays every event into fresh copies of the projection's
    /// tables (a second, rebuild-only store whose one projection is this one writing into the copies), while
    /// readers keep the live tables, complete as of the pause. Then, in one transaction, the copies take the live
    /// names and the projection's checkpoint moves to where the replay ended; this host's daemon resumes from there.
    /// </summary>
    public async Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        var registration = catalog.Find(name) ?? throw new ArgumentException($"Unknown projection '{name}'.", nameof(name));
        var projection = registration.Projection;
        if (registration.Mode == ProjectionMode.Inline)
            return await RebuildInlineAsync(projection, progress, ct);
        var copies = projection.Tables.ToDictionary(t => t, ShadowTables.CopyOf, StringComparer.Ordinal);
        var shadow = name + ShadowTables.Suffix;
        long applied = 0;
        await WhilePausedAsync(async () =>
        {
            await using (var conn = await db.OpenConnectionAsync(ct))
            {
                await ShadowTables.CreateAsync(conn, copies, ct);
                await using var forget = new NpgsqlCommand($"DELETE FROM {S}.mt_event_progression WHERE name = $1", conn);
                forget.Parameters.AddWithValue(ShardOf(shadow));
                await forget.ExecuteNonQueryAsync(ct);
            }

            var options = rebuildOptions?.Invoke() ?? CaseFlowStoreOptions.For(DataSourceOf(store), clock);
            options.Projections.Add(new MartenProjection(projection, serializer, null, copies), global::JasperFx.Events.Projections.ProjectionLifecycle.Async, shadow, async =>
            {
                async.BatchSize = RebuildBatchSize;
                foreach (var copy in copies.Values)
                    async.DeleteDataInTableOnTeardown(copy);
            });
            using var rebuildStore = new DocumentStore(options);
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reporting = ReportAsync(shadow, name, progress, watch.Token);
            try
            {
                using var daemon = await rebuildStore.BuildProjectionDaemonAsync(logger: logger);
                await daemon.RebuildProjectionAsync(shadow, TimeSpan.FromMinutes(60), ct);
            }
            finally
            {
                await watch.CancelAsync();
                await reporting;
            }

            await using var swapConn = await db.OpenConnectionAsync(ct);
            await using var swap = await swapConn.BeginTransactionAsync(ct);
            await using (var reached = new NpgsqlCommand($"SELECT coalesce(max(last_seq_id), 0) FROM {S}.mt_event_progression WHERE name = $1", swapConn, swap))
            {
                reached.Parameters.AddWithValue(ShardOf(shadow));
                applied = (long)(await reached.ExecuteScalarAsync(ct))!;
            }
            await ShadowTables.SwapAsync(swapConn, swap, copies, ct);
            await using (var checkpoint = new NpgsqlBatch(swapConn, swap))
            {
                checkpoint.BatchCommands.Add(new NpgsqlBatchCommand(
                    $"""
                    INSERT INTO {S}.mt_event_progression (name, last_seq_id, last_updated, agent_status) VALUES ($1, $2, now(), 'Running')
                    ON CONFLICT (name) DO UPDATE SET last_seq_id = EXCLUDED.last_seq_id, last_updated = EXCLUDED.last_updated,
                        agent_status = EXCLUDED.agent_status, pause_reason = NULL, failure_event_sequence = NULL
                    """) { Parameters = { new() { Value = ShardOf(name) }, new() { Value = applied } } });
                checkpoint.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {S}.mt_event_progression WHERE name = $1") { Parameters = { new() { Value = ShardOf(shadow) } } });
                checkpoint.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM cf_projection_state WHERE name = $1") { Parameters = { new() { Value = name } } });
                await checkpoint.ExecuteNonQueryAsync(ct);
            }
            await swap.CommitAsync(ct);
        });
        progress?.Report(new RebuildProgress(name, applied, true));
        return applied;
    }

    /// <summary>
    /// An inline projection (written by the commands themselves, not by Marten's daemon) rebuilt blue/green too:
    /// every committed event replayed into copies page by page while readers and writers keep the live tables;
    /// then, with the live tables locked against writers (readers still read), whatever committed meanwhile —
    /// past the last page, or in a gap a then-open transaction left — is applied, and the copies swapped in. A
    /// command that had not written its rows yet writes them into the swapped tables after the lock.
    /// </summary>
    private async Task<long> RebuildInlineAsync(IProjection projection, IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        var copies = projection.Tables.ToDictionary(t => t, ShadowTables.CopyOf, StringComparer.Ordinal);
        await using var conn = await db.OpenConnectionAsync(ct);
        await ShadowTables.CreateAsync(conn, copies, ct);
        long last = 0, total = 0;
        var gaps = new SortedSet<long>();
        while (true)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var applied = await ApplyPageAsync(conn, tx, projection, copies, last, null, gaps, ct);
            await tx.CommitAsync(ct);
            if (applied.Read == 0)
                break;
            (last, total) = (applied.Last, total + applied.Read);
            progress?.Report(new RebuildProgress(projection.Name, total, false));
        }
        await using (var swap = await conn.BeginTransactionAsync(ct))
        {
            await using (var lockWriters = new NpgsqlCommand($"LOCK TABLE {string.Join(", ", copies.Keys)} IN EXCLUSIVE MODE", conn, swap))
                await lockWriters.ExecuteNonQueryAsync(ct);
            // The gaps first (transactions open during the pages, committed since), then what came after.
            total += (await ApplyPageAsync(conn, swap, projection, copies, last, [.. gaps], gaps, ct)).Read;
            while (true)
            {
                var applied = await ApplyPageAsync(conn, swap, projection, copies, last, null, gaps, ct);
                if (applied.Read == 0)
                    break;
                (last, total) = (applied.Last, total + applied.Read);
            }
            await ShadowTables.SwapAsync(conn, swap, copies, ct);
            await swap.CommitAsync(ct);
        }
        progress?.Report(new RebuildProgress(projection.Name, total, true));
        return total;
    }

    /// <summary>
    /// Up to 5,000 events after <paramref name="after"/> (or, given <paramref name="pending"/>, exactly those),
    /// applied to the copies in one prepared batch; sequence numbers missing between them are added to
    /// <paramref name="gaps"/> (a jump of more than 10,000 is a sequence set forward, not transactions in flight).
    /// </summary>
    private async Task<(int Read, long Last)> ApplyPageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IProjection projection,
        IReadOnlyDictionary<string, string> copies, long after, long[]? pending, SortedSet<long> gaps, CancellationToken ct)
    {
        var events = new List<EventEnvelope>();
        var read = 0;
        var last = after;
        await using (var cmd = new NpgsqlCommand(
            pending is null
                ? $"SELECT {MartenEventStore.EventColumns}, stream_id FROM {S}.mt_events WHERE seq_id > $1 ORDER BY seq_id LIMIT 5000"
                : $"SELECT {MartenEventStore.EventColumns}, stream_id FROM {S}.mt_events WHERE seq_id = ANY($1) ORDER BY seq_id", conn, tx))
        {
            if (pending is null)
                cmd.Parameters.AddWithValue(after);
            else
                cmd.Parameters.AddWithValue(pending);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var seq = reader.GetInt64(0);
                read++;
                if (pending is null)
                {
                    if (seq - last <= 10_000)
                        for (var missing = last + 1; missing < seq; missing++)
                            gaps.Add(missing);
                    last = seq;
                }
                else
                    gaps.Remove(seq);
                // Marten's tombstones fill a failed transaction's sequence numbers: not CaseFlow's events.
                if (reader.GetString(3) != "tombstone")
                    events.Add(MartenEventStore.Envelope(reader, serializer, reader.GetGuid(7)));
            }
        }
        if (events.Count == 0)
            return (read, last);
        await using var batch = new NpgsqlBatch(conn, tx);
        var writer = new ProjectionWriter(batch, copies);
        foreach (var e in events)
            projection.Apply(e, writer);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.PrepareAsync(ct);
            await batch.ExecuteNonQueryAsync(ct);
        }
        return (read, last);
    }

    /// <summary>The replay's position, read once a second for the CLI's progress bar and the job's status.</summary>
    private async Task ReportAsync(string shadow, string name, IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        if (progress is null)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await using var cmd = db.CreateCommand($"SELECT coalesce(max(last_seq_id), 0) FROM {S}.mt_event_progression WHERE name = $1");
                cmd.Parameters.AddWithValue(ShardOf(shadow));
                progress.Report(new RebuildProgress(name, (long)(await cmd.ExecuteScalarAsync(ct))!, false));
            }
        }
        catch (Exception e) when (e is OperationCanceledException || DatabaseFailures.IsUnavailable(e))
        {
            // the rebuild ended (or the database went away: the rebuild reports that itself)
        }
    }

    private static NpgsqlDataSource DataSourceOf(IDocumentStore store) =>
        (store.Storage.Database as Weasel.Postgresql.PostgresqlDatabase)?.DataSource
        ?? throw new InvalidOperationException("Marten's database has no data source to rebuild with.");
}
