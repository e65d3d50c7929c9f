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
    global::Marten.Events.Daemon.Coordination.IProjectionCoordinator? coordinator = null)
    : IProjectionRunner
{
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
        }
    }

    public async Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        await WhilePausedAsync(async () =>
        {
            using var daemon = await store.BuildProjectionDaemonAsync(logger: logger);
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), ct);
        });
        await using var cmd = db.CreateCommand($"SELECT coalesce(max(seq_id), 0) FROM {S}.mt_events");
        var applied = (long)(await cmd.ExecuteScalarAsync(ct))!;
        progress?.Report(new RebuildProgress(name, applied, true));
        return applied;
    }
}
