using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseFlow.Persistence.Projections;

/// <summary>A rebuild as operators follow it.</summary>
public sealed record RebuildJob(Guid Id, string Projection, string Status, long EventsApplied, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>
/// Rebuilds run in the background of the host that was asked (issue 14): the request is answered at once with
/// the job, whose status is then read until it has succeeded or failed. One rebuild per projection at a time.
/// The jobs are kept in this host's memory (the projection's own status is in the database for every host).
/// </summary>
public sealed class ProjectionRebuilds(IProjectionRunner runner, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ProjectionRebuilds> logger)
{
    private readonly ConcurrentDictionary<Guid, RebuildJob> _jobs = new();
    private readonly Lock _gate = new();

    public RebuildJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    private void Update(Guid id, Func<RebuildJob, RebuildJob> change)
    {
        lock (_gate)
            _jobs[id] = change(_jobs[id]);
    }

    /// <summary>Starts a rebuild, or returns the one already running for that projection.</summary>
    public RebuildJob Start(string projection)
    {
        RebuildJob job;
        lock (_gate)
        {
            if (_jobs.Values.FirstOrDefault(j => j.Projection == projection && j.Status == "running") is { } running)
                return running;
            job = new RebuildJob(Guid.CreateVersion7(clock.GetUtcNow()), projection, "running", 0, clock.GetUtcNow(), null, null);
            _jobs[job.Id] = job;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                // Progress<T> reports later on the thread pool: a late report may only add to a running job, never undo its end.
                var progress = new Progress<RebuildProgress>(p => Update(job.Id, j => j.Status == "running" ? j with { EventsApplied = p.EventsApplied } : j));
                var applied = await runner.RebuildAsync(projection, progress, lifetime.ApplicationStopping);
                Update(job.Id, j => j with { Status = "succeeded", EventsApplied = applied, FinishedAt = clock.GetUtcNow() });
            }
            catch (Exception e)
            {
                Update(job.Id, j => j with { Status = "failed", FinishedAt = clock.GetUtcNow(), Error = Resilience.DatabaseFailures.Why(e) });
                logger.LogError("Rebuild of {Projection} failed: {Failure}", projection, Resilience.DatabaseFailures.Describe(e));
            }
        });
        return job;
    }
}
