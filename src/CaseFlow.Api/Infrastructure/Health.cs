using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CaseFlow.Api.Infrastructure;

/// <summary>Ready only when the database answers.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
        }
    }
}

/// <summary>
/// Degraded when an async projection has failed, or is behind and has made no progress for a while: a daemon
/// that died must show here, not only in the logs.
/// </summary>
public sealed class ProjectionHealthCheck(ProjectionDaemon daemon) : IHealthCheck
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
