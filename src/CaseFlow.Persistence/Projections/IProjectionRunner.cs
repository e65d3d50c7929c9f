namespace CaseFlow.Persistence.Projections;

/// <summary>
/// The async projections as operators, health checks and tests see them, whichever daemon runs them (CaseFlow's
/// <see cref="ProjectionDaemon"/> or Marten's, issue 14): their status and lag, a catch-up to the present, a rebuild.
/// </summary>
public interface IProjectionRunner
{
    Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default);

    /// <summary>Applies everything committed so far to every async projection (CLI, tests).</summary>
    Task CatchUpAllAsync(CancellationToken ct = default);

    Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default);
}

/// <summary>CaseFlow's own daemon and rebuilder.</summary>
public sealed class CaseFlowProjectionRunner(ProjectionDaemon daemon, ProjectionRebuilder rebuilder, ProjectionCatalog catalog) : IProjectionRunner
{
    public Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default) => daemon.StatusAsync(ct);

    public Task CatchUpAllAsync(CancellationToken ct = default) =>
        Task.WhenAll(catalog.Async.Select(p => daemon.CatchUpAsync(p, ct, includeInFlight: true)));

    public Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default) =>
        rebuilder.RebuildAsync(name, progress, ct);
}
