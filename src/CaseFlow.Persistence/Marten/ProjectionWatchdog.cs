using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Marten;

/// <summary>
/// Restarts this host's projection daemon when an async projection has committed events behind it, is not paused
/// by a failing event, and has not moved for <see cref="StuckAfter"/> while the database answers. Seen after a
/// database outage (OutageTests, about one run in three): Marten's HotCold coordinator sometimes never started the
/// shards again, and the ledger stayed behind for good. Pausing and resuming the coordinator takes leadership
/// anew and starts the shards from their checkpoints (nothing is skipped or applied twice). To be replaced by
/// Wolverine-managed distribution (issue 15).
/// </summary>
public sealed class ProjectionWatchdog(
    NpgsqlDataSource db, ProjectionCatalog catalog, IProjectionRunner runner, ILogger<ProjectionWatchdog> logger,
    global::Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator) : BackgroundService
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

    private const string S = CaseFlowStoreOptions.Schema;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Polling cadence on the machine's clock, like every background loop; no domain time is read here.
        var seen = new Dictionary<string, (long Sequence, DateTimeOffset Since)>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, stoppingToken);
                if (runner is MartenProjectionRunner { HoldsDaemonPaused: true })
                {
                    seen.Clear(); // paused on purpose by a rebuild
                    continue;
                }
                var stuck = new List<string>();
                foreach (var (name, last, behind) in await ReadAsync(stoppingToken))
                {
                    var now = DateTimeOffset.UtcNow;
                    if (!behind || !seen.TryGetValue(name, out var before) || before.Sequence != last)
                    {
                        seen[name] = (last, now);
                        continue;
                    }
                    if (now - before.Since >= StuckAfter)
                        stuck.Add($"{name}@{last}");
                }
                if (stuck.Count == 0)
                    continue;
                logger.LogWarning("Async projections {Projections} made no progress for {Seconds} s with events behind them: restarting this host's projection daemon",
                    string.Join(", ", stuck), StuckAfter.TotalSeconds);
                await coordinator.PauseAsync();
                await coordinator.ResumeAsync();
                seen.Clear();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Resilience.DatabaseFailures.IsUnavailable(e))
            {
                seen.Clear(); // the database is away: nothing can progress, nothing is stuck
            }
            catch (Exception e)
            {
                // A watchdog never takes the host down; the failure is logged without its message (issue 13).
                logger.LogWarning("Projection watchdog pass failed: {Failure}", Resilience.DatabaseFailures.Describe(e));
                seen.Clear();
            }
        }
    }

    /// <summary>Each async projection's checkpoint, and whether committed events lie behind it (a failed one excluded): one query.</summary>
    private async Task<List<(string Name, long Last, bool Behind)>> ReadAsync(CancellationToken ct)
    {
        var names = catalog.Async.Select(p => p.Name).ToArray();
        var result = new List<(string, long, bool)>(names.Length);
        await using var cmd = db.CreateCommand(
            $"""
            SELECT n.name, coalesce(p.last_seq_id, 0),
                   EXISTS (SELECT 1 FROM {S}.mt_events e WHERE e.seq_id > coalesce(p.last_seq_id, 0))
                   AND coalesce(p.agent_status, '') <> 'Paused'
                   AND NOT EXISTS (SELECT 1 FROM cf_projection_state f WHERE f.name = n.name AND f.status = 'failed')
            FROM unnest($1::text[], $2::text[]) AS n(name, shard)
            LEFT JOIN {S}.mt_event_progression p ON p.name = n.shard
            """);
        cmd.Parameters.AddWithValue(names);
        cmd.Parameters.AddWithValue(names.Select(MartenProjectionRunner.ShardOf).ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add((reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2)));
        return result;
    }
}
