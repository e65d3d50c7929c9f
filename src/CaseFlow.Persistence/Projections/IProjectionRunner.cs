namespace CaseFlow.Persistence.Projections;

/// <summary>
/// The async projections as operators, health checks and tests see them (run by Marten's daemon, issue 14): their
/// status and lag, a catch-up to the present, a rebuild.
/// </summary>
public interface IProjectionRunner
{
    Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default);

    /// <summary>Applies everything committed so far to every async projection (CLI, tests).</summary>
    Task CatchUpAllAsync(CancellationToken ct = default);

    Task<long> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default);
}

/// <summary>An async projection as operators see it: where it is, how far behind, and why it stopped if it did.</summary>
public sealed record ProjectionStatus(string Name, string Status, long LastSequence, long EventsBehind, double SecondsSinceProgress, long? FailedSequence, string? Error);

public sealed record RebuildProgress(string Projection, long EventsApplied, bool Done);

/// <summary>An event a projection could not apply: the projection stops there (nothing is skipped).</summary>
public sealed class ProjectionFailedException(string projection, long sequence, string eventType, Exception inner)
    : Exception($"Projection {projection} failed on event {sequence} ({eventType}): {inner.Message}", inner)
{
    public long Sequence { get; } = sequence;
}
