using System.Diagnostics;
using System.Text.Json;
using CaseFlow.Persistence.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Persistence.EventStore;

/// <summary>
/// CaseFlow's PostgreSQL event store (ADR: EventStore/README.md). An append is one batched round trip in one
/// implicit transaction: the stream row is inserted (new stream) or advanced from the expected version
/// (<c>cf_advance_stream</c>), then the events are inserted. A stale expected version fails the whole batch.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource, EventSerializer serializer, TimeProvider clock) : IEventStore
{
    public ICommandWrite BeginWrite() => new BatchCommandWrite(this);

    public EventSerializer Serializer => serializer;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Appends to one or several streams atomically: all or none are written.</summary>
    /// <exception cref="ConcurrencyConflictException">A stream was not at its expected version.</exception>
    public async Task<IReadOnlyList<EventEnvelope>> AppendAsync(
        IReadOnlyList<StreamWrite> writes, EventMetadata metadata, CancellationToken ct = default)
    {
        using var activity = CaseFlowTelemetry.Source.StartActivity("eventstore.append");
        var now = clock.GetUtcNow();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var envelopes = new List<EventEnvelope>();
        foreach (var write in writes)
            envelopes.AddRange(AddAppend(batch, write, metadata, now));
        activity?.SetTag(CaseFlowTelemetry.Tags.EventCount, envelopes.Count);
        await ExecuteAppendAsync(batch, writes, ct);
        return envelopes;
    }

    /// <summary>Adds the statements that append <paramref name="write"/> to <paramref name="batch"/>.</summary>
    public IReadOnlyList<EventEnvelope> AddAppend(NpgsqlBatch batch, StreamWrite write, EventMetadata metadata, DateTimeOffset now)
    {
        if (write.Events.Count == 0)
            return [];
        var newVersion = write.Expected.Value + write.Events.Count;
        if (write.Expected.IsNew)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO cf_streams (id, kind, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
                write.StreamId, write.Kind, newVersion, now));
        }
        else
        {
            batch.BatchCommands.Add(Command(
                "SELECT cf_advance_stream($1, $2, $3, $4)",
                write.StreamId, write.Expected.Value, newVersion, now));
        }

        var metadataJson = JsonSerializer.Serialize(metadata, EventSerializer.Options);
        var insert = new NpgsqlBatchCommand();
        var sql = new System.Text.StringBuilder("INSERT INTO cf_events (id, stream_id, version, type, data, metadata, \"timestamp\") VALUES ");
        var envelopes = new List<EventEnvelope>(write.Events.Count);
        for (var i = 0; i < write.Events.Count; i++)
        {
            var @event = write.Events[i];
            var id = Guid.CreateVersion7(now);
            var version = write.Expected.Value + i + 1;
            var type = serializer.NameOf(@event);
            var p = i * 7;
            if (i > 0)
                sql.Append(", ");
            sql.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(${p + 1}, ${p + 2}, ${p + 3}, ${p + 4}, ${p + 5}, ${p + 6}, ${p + 7})");
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = write.StreamId });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serializer.Serialize(@event), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            envelopes.Add(new EventEnvelope(0, id, write.StreamId, version, type, @event, metadata, now));
        }
        insert.CommandText = sql.ToString();
        batch.BatchCommands.Add(insert);
        return envelopes;
    }

    /// <summary>Runs an append batch, turning version clashes into <see cref="ConcurrencyConflictException"/>.</summary>
    public static async Task ExecuteAppendAsync(NpgsqlBatch batch, IReadOnlyList<StreamWrite> writes, CancellationToken ct)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            CaseFlowTelemetry.EventsAppended.Add(writes.Sum(w => w.Events.Count));
        }
        catch (PostgresException e) when (IsVersionClash(e))
        {
            var write = writes.FirstOrDefault(w => e.MessageText.Contains(w.StreamId.ToString(), StringComparison.Ordinal)) ?? writes[0];
            throw new ConcurrencyConflictException(write.StreamId, write.Expected.Value, e);
        }
    }

    public static bool IsVersionClash(PostgresException e) =>
        e.SqlState == "CF409"
        || (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "cf_streams_pkey" or "cf_events_stream_version");

    /// <summary>A stream's kind and current version; null when it does not exist.</summary>
    public async Task<(string Kind, long Version)?> VersionOfAsync(Guid streamId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT kind, version FROM cf_streams WHERE id = $1");
        cmd.Parameters.AddWithValue(streamId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Reads a stream's events in order; null when the stream does not exist.</summary>
    public Task<LoadedStream?> LoadAsync(Guid streamId, CancellationToken ct = default) => LoadAsync(
        dataSource, serializer, streamId,
        "SELECT kind, version FROM cf_streams WHERE id = $1",
        "SELECT seq, id, version, type, data::text, metadata::text, \"timestamp\" FROM cf_events WHERE stream_id = $1 ORDER BY version", ct);

    /// <summary>
    /// One stream in one round trip, whichever store holds it: <paramref name="streamSql"/> answers kind and version,
    /// <paramref name="eventsSql"/> the events as seq, id, version, type, data, metadata, timestamp.
    /// </summary>
    public static async Task<LoadedStream?> LoadAsync(
        NpgsqlDataSource dataSource, EventSerializer serializer, Guid streamId, string streamSql, string eventsSql, CancellationToken ct)
    {
        using var activity = CaseFlowTelemetry.Source.StartActivity("eventstore.load");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { Command(streamSql, streamId), Command(eventsSql, streamId) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var kind = reader.GetString(0);
        var version = reader.GetInt64(1);
        await reader.NextResultAsync(ct);
        var events = new List<EventEnvelope>((int)Math.Min(version, 1024));
        while (await reader.ReadAsync(ct))
            events.Add(ReadEnvelope(reader, serializer, streamId, 0));
        activity?.SetTag(CaseFlowTelemetry.Tags.EventCount, events.Count);
        return new LoadedStream(streamId, kind, version, events);
    }

    /// <summary>Reads columns seq, id, version, type, data, metadata, timestamp starting at <paramref name="offset"/>.</summary>
    public EventEnvelope ReadEnvelope(NpgsqlDataReader reader, Guid streamId, int offset) => ReadEnvelope(reader, serializer, streamId, offset);

    private static EventEnvelope ReadEnvelope(NpgsqlDataReader reader, EventSerializer serializer, Guid streamId, int offset)
    {
        var (type, data) = serializer.Deserialize(reader.GetString(offset + 3), reader.GetString(offset + 4));
        var metadata = JsonSerializer.Deserialize<EventMetadata>(reader.GetString(offset + 5), EventSerializer.Options)!;
        return new EventEnvelope(
            reader.GetInt64(offset), reader.GetGuid(offset + 1), streamId, reader.GetInt64(offset + 2), type, data, metadata,
            reader.GetFieldValue<DateTimeOffset>(offset + 6));
    }

    public static NpgsqlBatchCommand Command(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            // timestamptz takes UTC only: instants that users send with +08:00 are normalised here, once.
            var value = arg is DateTimeOffset instant ? instant.ToUniversalTime() : arg;
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

}
