using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CaseFlow.Api.Infrastructure;

/// <summary>Ready only when the database answers; the failure is described without its message (issue 13).</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource db, CaseFlow.Persistence.Resilience.DatabaseOutage outage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(ct);
            outage.ReportAvailable();
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            outage.ReportUnavailable(e);
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer ({CaseFlow.Persistence.Resilience.DatabaseFailures.Describe(e)})");
        }
    }
}

/// <summary>
/// Degraded when an async projection has failed, or is behind and has made no progress for a while: a daemon
/// that died must show here, not only in the logs.
/// </summary>
public sealed class ProjectionHealthCheck(IProjectionRunner daemon) : IHealthCheck
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromMinutes(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var statuses = await daemon.StatusAsync(ct);
        var data = statuses.ToDictionary(s => s.Name, s => (object)new { s.Status, s.EventsBehind, s.SecondsSinceProgress, s.FailedSequence, s.Error });
        var failed = statuses.Where(s => s.Status == "failed").ToList();
        if (failed.Count > 0)
            return HealthCheckResult.Degraded($"projection failed: {string.Join("; ", failed.Select(f => $"{f.Name} at event {f.FailedSequence}: {f.Error}"))}", data: data);
        var stalled = statuses.Where(s => s.EventsBehind > 0 && s.SecondsSinceProgress > StallAfter.TotalSeconds).ToList();
        if (stalled.Count > 0)
            return HealthCheckResult.Degraded($"projection stalled: {string.Join(", ", stalled.Select(s => $"{s.Name} {s.EventsBehind} events behind"))}", data: data);
        return HealthCheckResult.Healthy("projections up to date", data);
    }
}

/// <summary>
/// Background work (the case sweeper) reports each pass; degraded while one keeps failing, with
/// how often, since when and the next retry — so an operator sees after an outage that everything runs again.
/// </summary>
public sealed class BackgroundHealthCheck(CaseFlow.Persistence.Resilience.BackgroundHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var workers = health.Workers;
        var data = workers.ToDictionary(w => w.Name, w => (object)new { w.LastSuccessAt, w.Passes, w.ConsecutiveFailures, w.LastFailure, w.LastFailureAt, w.NextRetrySeconds });
        var failing = workers.Where(w => w.ConsecutiveFailures > 0).ToList();
        return Task.FromResult(failing.Count > 0
            ? HealthCheckResult.Degraded($"retrying: {string.Join(", ", failing.Select(w => $"{w.Name} ({w.ConsecutiveFailures} failures)"))}", data: data)
            : HealthCheckResult.Healthy(workers.Count == 0 ? "no background work in this host" : "background work running", data));
    }
}

/// <summary>
/// Degraded while notifications lie in Wolverine's dead letters: an applicant or a clerk was not told, and only the
/// administrator can mend the gateway and replay them (<c>/api/admin/dead-letters</c>; issue 15).
/// </summary>
public sealed class NotificationHealthCheck(Wolverine.Runtime.IWolverineRuntime wolverine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var dead = await wolverine.Storage.DeadLetters.QueryAsync(
            new Wolverine.Persistence.Durability.DeadLetterManagement.DeadLetterEnvelopeQuery { PageSize = 1, Replayable = false }, ct);
        var data = new Dictionary<string, object> { ["deadLetters"] = dead.TotalCount };
        return dead.TotalCount > 0
            ? HealthCheckResult.Degraded($"{dead.TotalCount} messages could not be delivered: see /api/admin/dead-letters", data: data)
            : HealthCheckResult.Healthy("no undelivered messages", data);
    }
}
