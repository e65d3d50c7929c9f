using Npgsql;

namespace CaseFlow.Persistence.EventStore;

/// <summary>
/// The event store as commands and reads use it (issue 14: the seam for moving onto Marten step by step). Loads a
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

    /// <exception cref="ConcurrencyConflictException">A stream was not at its expected version (or a statement raised CF409).</exception>
    Task CommitAsync(CancellationToken ct);
}

/// <summary>CaseFlow's own store: one NpgsqlBatch, one round trip.</summary>
internal sealed class BatchCommandWrite(PostgresEventStore store) : ICommandWrite
{
    private readonly NpgsqlBatch _batch = new();
    private readonly List<StreamWrite> _writes = [];
    private NpgsqlConnection? _connection;

    public IReadOnlyList<EventEnvelope> Append(StreamWrite write, EventMetadata metadata, DateTimeOffset now)
    {
        _writes.Add(write);
        return store.AddAppend(_batch, write, metadata, now);
    }

    public void Execute(string sql, params object?[] args) => _batch.BatchCommands.Add(PostgresEventStore.Command(sql, args));

    public async Task CommitAsync(CancellationToken ct)
    {
        _connection = await store.DataSource.OpenConnectionAsync(ct);
        _batch.Connection = _connection;
        await PostgresEventStore.ExecuteAppendAsync(_batch, _writes, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _batch.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
