using Npgsql;

namespace CaseFlow.Persistence.EventStore;

/// <summary>
/// The event store as commands and reads use it (on Marten since issue 14, <see cref="Marten.MartenEventStore"/>). Loads a
/// stream, tells a stream's kind and version, and opens the one write of a command: its events, its inline
/// projections' and outbox's statements, committed together or not at all.
/// </summary>
public interface IEventStore
{
    EventSerializer Serializer { get; }

    NpgsqlDataSource DataSource { get; }

    Task<LoadedStream?> LoadAsync(Guid streamId, CancellationToken ct = default);

    Task<(string Kind, long Version)?> VersionOfAsync(Guid streamId, CancellationToken ct = default);

    ICommandWrite BeginWrite();
}

/// <summary>
/// One command's write: appends (each at its expected version) and SQL statements (inline projections, outbox,
/// idempotency; <c>$1</c>-style placeholders), all in one transaction at <see cref="CommitAsync"/>.
/// </summary>
public interface ICommandWrite : IAsyncDisposable
{
    IReadOnlyList<EventEnvelope> Append(StreamWrite write, EventMetadata metadata, DateTimeOffset now);

    void Execute(string sql, params object?[] args);

    /// <summary>A message sent only if the write commits (Wolverine's outbox, in the same transaction; issue 15).</summary>
    void Publish(object message);

    /// <exception cref="ConcurrencyConflictException">A stream was not at its expected version (or a statement raised CF409).</exception>
    Task CommitAsync(CancellationToken ct);
}
