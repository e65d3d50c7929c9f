using Microsoft.Extensions.DependencyInjection;
using System.Text;
using System.Text.Json;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Telemetry;

using Marten;
using Npgsql;

namespace CaseFlow.Persistence.Marten;

/// <summary>
/// The event store on Marten (issue 14): a command's write is one Marten session — the streams appended at their expected versions (Quick
/// append, exclusive lock on concurrent appends), actor, role, unit and channel as event headers, correlation and
/// causation in Marten's columns, and the inline projections', outbox's and idempotency's statements queued in
/// the same transaction. A stream is read back in one round trip from Marten's tables and deserialised by the
/// same <see cref="EventSerializer"/> as ever (Marten stores the golden JSON), upcasters included.
/// </summary>
public sealed class MartenEventStore(IDocumentStore marten, NpgsqlDataSource dataSource, EventSerializer serializer, IServiceProvider? services = null) : IEventStore
{
    private const string S = CaseFlowStoreOptions.Schema;

    public EventSerializer Serializer => serializer;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// A Marten session. In a process running Wolverine (the API host, the command line) the messages a command
    /// publishes go through Wolverine's outbox enrolled in that session: stored in the same transaction as the
    /// events, sent after the commit (issue 15).
    /// </summary>
    public ICommandWrite BeginWrite() => new MartenCommandWrite(marten.LightweightSession(), serializer, services);

    /// <summary>
    /// Marten keeps actor, role, unit and channel as headers and correlation and causation in columns: read back as
    /// the one metadata document CaseFlow's events have always carried.
    /// </summary>
    public async Task<LoadedStream?> LoadAsync(Guid streamId, CancellationToken ct = default)
    {
        using var activity = CaseFlowTelemetry.Source.StartActivity("eventstore.load");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { Statements.Command(StreamSql, streamId), Statements.Command(EventsSql, streamId) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var kind = reader.GetString(0);
        var version = reader.GetInt64(1);
        await reader.NextResultAsync(ct);
        var events = new List<EventEnvelope>((int)Math.Min(version, 1024));
        while (await reader.ReadAsync(ct))
            events.Add(Envelope(reader, serializer, streamId));
        activity?.SetTag(CaseFlowTelemetry.Tags.EventCount, events.Count);
        return new LoadedStream(streamId, kind, version, events);
    }

    /// <summary>An event from the columns of <see cref="EventColumns"/>, the current type after upcasting.</summary>
    internal static EventEnvelope Envelope(NpgsqlDataReader reader, EventSerializer serializer, Guid streamId)
    {
        var (type, data) = serializer.Deserialize(reader.GetString(3), reader.GetString(4));
        var metadata = JsonSerializer.Deserialize<EventMetadata>(reader.GetString(5), EventSerializer.Options)!;
        return new EventEnvelope(reader.GetInt64(0), reader.GetGuid(1), streamId, reader.GetInt64(2), type, data, metadata,
            reader.GetFieldValue<DateTimeOffset>(6));
    }

    /// <summary>seq, id, version, type, data, metadata (headers, correlation and causation as one document), timestamp.</summary>
    internal const string EventColumns =
        """
        seq_id, id, version, type, data::text,
        (coalesce(headers, '{}'::jsonb) || jsonb_build_object('correlationId', coalesce(correlation_id, ''), 'causationId', causation_id))::text, "timestamp"
        """;

    private const string EventsSql = $"SELECT {EventColumns} FROM {S}.mt_events WHERE stream_id = $1 ORDER BY version";

    private const string StreamSql = $"SELECT k.kind, s.version FROM {S}.mt_streams s JOIN cf_stream_kinds k ON k.stream_id = s.id WHERE s.id = $1";

    public async Task<(string Kind, long Version)?> VersionOfAsync(Guid streamId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(StreamSql);
        cmd.Parameters.AddWithValue(streamId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// Turns <c>$1</c>-style SQL into Marten's positional placeholder (<c>^</c>), repeating reused arguments. Text in
    /// single quotes is left alone; a <c>^</c> of the statement's own, or a <c>$n</c> without its argument, is a
    /// programming error and throws rather than binding the wrong values.
    /// </summary>
    public static (string Sql, object?[] Args) Positional(string sql, object?[] args)
    {
        var text = new StringBuilder(sql.Length);
        var ordered = new List<object?>();
        var quoted = false;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '\'')
                quoted = !quoted;
            if (!quoted && c == '^')
                throw new InvalidOperationException($"SQL for Marten may not contain '^' outside quotes: {sql}");
            if (!quoted && c == '$' && i + 1 < sql.Length && char.IsAsciiDigit(sql[i + 1]))
            {
                var j = i + 1;
                while (j < sql.Length && char.IsAsciiDigit(sql[j]))
                    j++;
                var n = int.Parse(sql.AsSpan(i + 1, j - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                if (n < 1 || n > args.Length)
                    throw new InvalidOperationException($"${n} has no argument ({args.Length} given): {sql}");
                var value = args[n - 1];
                ordered.Add(value is DateTimeOffset instant ? instant.ToUniversalTime() : value);
                text.Append('^');
                i = j - 1;
            }
            else
            {
                text.Append(c);
            }
        }
        return (text.ToString(), ordered.ToArray());
    }
}

/// <summary>One command's write as a Marten session.</summary>
internal sealed class MartenCommandWrite(IDocumentSession session, EventSerializer serializer, IServiceProvider? services) : ICommandWrite
{
    private readonly List<StreamWrite> _writes = [];
    private readonly List<object> _messages = [];
    private AsyncServiceScope? _scope;

    public void Publish(object message) => _messages.Add(message);

    public IReadOnlyList<EventEnvelope> Append(StreamWrite write, EventMetadata metadata, DateTimeOffset now)
    {
        if (write.Events.Count == 0)
            return [];
        _writes.Add(write);
        var action = write.Expected.IsNew
            ? session.Events.StartStream(write.StreamId, write.Events.ToArray())
            : session.Events.Append(write.StreamId, write.Expected.Value + write.Events.Count, write.Events.ToArray());
        if (write.Expected.IsNew)
            Execute("INSERT INTO cf_stream_kinds (stream_id, kind) VALUES ($1, $2)", write.StreamId, write.Kind);
        var envelopes = new List<EventEnvelope>(write.Events.Count);
        for (var i = 0; i < action.Events.Count; i++)
        {
            var e = action.Events[i];
            e.Id = Guid.CreateVersion7(now);
            e.CorrelationId = metadata.CorrelationId;
            e.CausationId = metadata.CausationId;
            e.SetHeader("actorId", metadata.ActorId);
            e.SetHeader("actorName", metadata.ActorName);
            e.SetHeader("actorRole", metadata.ActorRole);
            e.SetHeader("unitId", metadata.UnitId);
            e.SetHeader("unitName", metadata.UnitName);
            e.SetHeader("channel", metadata.Channel);
            envelopes.Add(new EventEnvelope(0, e.Id, write.StreamId, write.Expected.Value + i + 1, serializer.NameOf(write.Events[i]), write.Events[i], metadata, now));
        }
        return envelopes;
    }

    public void Execute(string sql, params object?[] args)
    {
        var (positional, ordered) = MartenEventStore.Positional(sql, args);
        session.QueueSqlCommand('^', positional, ordered!);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        try
        {
            if (_messages.Count > 0)
            {
                // Enrolled only when there is something to send: most commands cause no message.
                _scope = (services?.GetService(typeof(IServiceScopeFactory)) as IServiceScopeFactory)?.CreateAsyncScope();
                if (_scope?.ServiceProvider.GetService(typeof(global::Wolverine.Marten.IMartenOutbox)) is not global::Wolverine.Marten.IMartenOutbox outbox)
                    throw new InvalidOperationException("This process runs no message bus (Wolverine): a command's messages could not be sent, so it is not written.");
                outbox.Enroll(session);
                foreach (var message in _messages)
                    await outbox.PublishAsync(message);
            }
            await session.SaveChangesAsync(ct);
            CaseFlowTelemetry.EventsAppended.Add(_writes.Sum(w => w.Events.Count));
        }
        catch (Exception e) when (IsConflict(e))
        {
            var write = _writes.Count > 0 ? _writes[0] : new StreamWrite(Guid.Empty, "", ExpectedVersion.NoStream, []);
            throw new ConcurrencyConflictException(write.StreamId, write.Expected.Value, e);
        }
    }

    /// <summary>A stream not at its expected version, a stream that already exists, or a statement's CF409.</summary>
    private static bool IsConflict(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is JasperFx.ConcurrencyException or global::Marten.Exceptions.ExistingStreamIdCollisionException)
                return true;
            if (x is PostgresException pg && (pg.SqlState == "CF409" || (pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName is "cf_stream_kinds_pkey" or "pk_mt_events_stream_and_version" or "pkey_mt_streams_id")))
                return true;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await session.DisposeAsync();
        if (_scope is { } scope)
            await scope.DisposeAsync();
    }
}
