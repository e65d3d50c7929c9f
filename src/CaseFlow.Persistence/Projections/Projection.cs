using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.Projections;

/// <summary>
/// A read model kept in plain, indexed tables. A projection turns one event into SQL statements; it must be
/// deterministic (no clock, no new ids: only the event's own data and timestamp) so that a rebuild gives the
/// same rows. Unknown events are ignored.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: the checkpoint key and the rebuild argument.</summary>
    string Name { get; }

    /// <summary>The tables it owns (a rebuild fills fresh copies of these and swaps them in).</summary>
    IReadOnlyList<string> Tables { get; }

    void Apply(EventEnvelope e, ProjectionWriter writer);
}

public enum ProjectionMode
{
    /// <summary>Updated in the command's own transaction (per-stream views: worklists, case views).</summary>
    Inline,
    /// <summary>Updated by the daemon from a checkpoint (cross-stream views: ledgers, reports).</summary>
    Async,
}

public sealed record ProjectionRegistration(IProjection Projection, ProjectionMode Mode);

/// <summary>
/// Collects a projection's statements (<c>$1</c>-style placeholders) into the transaction they belong to — a
/// command's write or the daemon's batch — pointing them at the live or the rebuild tables.
/// </summary>
public sealed class ProjectionWriter(Action<string, object?[]> execute, IReadOnlyDictionary<string, string>? tableNames = null)
{
    public ProjectionWriter(NpgsqlBatch batch, IReadOnlyDictionary<string, string>? tableNames = null)
        : this((sql, args) => batch.BatchCommands.Add(Statements.Command(sql, args)), tableNames)
    {
    }

    /// <summary>The physical name of a table the projection owns.</summary>
    public string Table(string name) => tableNames?.GetValueOrDefault(name) ?? name;

    public void Execute(string sql, params object?[] args) => execute(sql, args);
}

/// <summary>All projections of the product, by mode.</summary>
public sealed class ProjectionCatalog(IEnumerable<ProjectionRegistration> registrations)
{
    private readonly List<ProjectionRegistration> _all = registrations.ToList();

    public IEnumerable<IProjection> Inline => _all.Where(r => r.Mode == ProjectionMode.Inline).Select(r => r.Projection);

    public IEnumerable<IProjection> Async => _all.Where(r => r.Mode == ProjectionMode.Async).Select(r => r.Projection);

    public ProjectionRegistration? Find(string name) => _all.FirstOrDefault(r => r.Projection.Name == name);

    public IEnumerable<ProjectionRegistration> All => _all;
}
