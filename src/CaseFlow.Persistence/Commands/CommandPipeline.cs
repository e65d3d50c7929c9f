using System.Diagnostics;
using System.Text.Json;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;
using CaseFlow.Persistence.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Persistence.Commands;

/// <summary>Who sends a command and under which conditions (If-Match, Idempotency-Key).</summary>
public sealed record CommandContext(
    string CommandName,
    Actor Actor,
    string CorrelationId,
    string? CausationId = null,
    long? IfMatch = null,
    IdempotencyRequest? Idempotency = null,
    string? ResourcePath = null);

/// <summary>An <c>Idempotency-Key</c> with a hash of the request it came with.</summary>
public sealed record IdempotencyRequest(string Key, string RequestHash);

/// <summary>A response as stored for an idempotent replay.</summary>
public sealed record StoredResponse(int StatusCode, string Body, string? ETag, string? Location);

/// <summary>What happened to a command. The host maps each case to one HTTP answer.</summary>
public abstract record CommandOutcome
{
    private CommandOutcome() { }

    public sealed record Succeeded(Guid StreamId, long Version, bool Created, IReadOnlyList<EventEnvelope> Events, StoredResponse Response) : CommandOutcome;
    public sealed record Rejected(DomainError Error) : CommandOutcome;
    public sealed record PreconditionFailed(long CurrentVersion) : CommandOutcome;
    public sealed record Conflict(Guid StreamId) : CommandOutcome;
    public sealed record Replayed(StoredResponse Response) : CommandOutcome;
    public sealed record IdempotencyKeyReused : CommandOutcome;
}

/// <summary>
/// The one path every command takes (issue 3): load the stream → pure decide → append with the expected
/// version → inline projections → outbox messages → idempotency record, all in one transaction (one batched
/// round trip). The load happens before the write; the expected-version check makes the pair atomic.
/// </summary>
public sealed class CommandPipeline(
    PostgresEventStore store,
    ProjectionCatalog projections,
    IEnumerable<IOutboxPolicy> outboxPolicies,
    TimeProvider clock)
{
    private readonly IOutboxPolicy[] _policies = outboxPolicies.ToArray();
    private readonly IProjection[] _inline = projections.Inline.ToArray();

    public TimeProvider Clock => clock;

    public async Task<CommandOutcome> ExecuteAsync<TState>(
        StreamKind<TState> kind,
        Guid streamId,
        CommandContext context,
        Func<TState, DateTimeOffset, Decision> decide,
        CancellationToken ct = default)
    {
        using var activity = CaseFlowTelemetry.Source.StartActivity($"command {context.CommandName}");
        activity?.SetTag(CaseFlowTelemetry.Tags.Command, context.CommandName);
        activity?.SetTag(CaseFlowTelemetry.Tags.StreamKind, kind.Name);
        activity?.SetTag(CaseFlowTelemetry.Tags.StreamId, streamId);
        activity?.SetTag(CaseFlowTelemetry.Tags.ActorRole, context.Actor.Role.ToString());
        var started = Stopwatch.GetTimestamp();
        var outcome = await RunAsync(kind, streamId, context, decide, ct);
        var outcomeName = outcome.GetType().Name;
        activity?.SetTag(CaseFlowTelemetry.Tags.Outcome, outcomeName);
        CaseFlowTelemetry.CommandsHandled.Add(1,
            new(CaseFlowTelemetry.Tags.Command, context.CommandName), new(CaseFlowTelemetry.Tags.Outcome, outcomeName));
        CaseFlowTelemetry.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>(CaseFlowTelemetry.Tags.Command, context.CommandName));
        return outcome;
    }

    private async Task<CommandOutcome> RunAsync<TState>(
        StreamKind<TState> kind, Guid streamId, CommandContext context, Func<TState, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        if (context.Idempotency is { } key && await FindStoredAsync(context.Actor.Id, key, ct) is { } earlier)
            return earlier;

        var loaded = await store.LoadAsync(streamId, ct);
        if (loaded is not null && loaded.Kind != kind.Name)
            return new CommandOutcome.Rejected(DomainError.NotFound("stream.not_found", "未找到该记录。"));
        var version = loaded?.Version ?? 0;
        if (context.IfMatch is { } ifMatch && ifMatch != version)
            return new CommandOutcome.PreconditionFailed(version);

        var state = loaded is null ? kind.Initial : kind.Fold(loaded.Events.Select(e => e.Data));
        var now = clock.GetUtcNow();
        var decision = decide(state, now);
        if (decision.Error is { } error)
            return new CommandOutcome.Rejected(error);

        var writes = new List<StreamWrite> { new(streamId, kind.Name, new ExpectedVersion(version), decision.Events) };
        foreach (var also in decision.Also)
        {
            var expected = ExpectedVersion.NoStream;
            if (also.Existing && also.AtVersion is { } seen)
            {
                expected = ExpectedVersion.Exactly(seen);
            }
            else if (also.Existing)
            {
                // The owned stream's version as it is now: if another command moves it before this one commits,
                // cf_advance_stream refuses and nothing of this command is written.
                if (await store.VersionOfAsync(also.StreamId, ct) is not { } current || current.Kind != also.StreamKind)
                    return new CommandOutcome.Rejected(DomainError.NotFound("stream.not_found", "未找到该记录。"));
                expected = ExpectedVersion.Exactly(current.Version);
            }
            writes.Add(new StreamWrite(also.StreamId, also.StreamKind, expected, also.Events));
        }

        var metadata = EventMetadata.For(context.Actor, context.CorrelationId, context.CausationId);
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var envelopes = new List<EventEnvelope>();
        foreach (var write in writes)
            envelopes.AddRange(store.AddAppend(batch, write, metadata, now));

        var writer = new ProjectionWriter(batch);
        foreach (var e in envelopes)
        {
            foreach (var projection in _inline)
                projection.Apply(e, writer);
            foreach (var policy in _policies)
            {
                foreach (var message in policy.MessagesFor(e))
                    OutboxWriter.Add(batch, message, now);
            }
        }

        var newVersion = version + decision.Events.Count;
        var created = version == 0;
        var response = new StoredResponse(
            created ? 201 : 200,
            JsonSerializer.Serialize(new CommandAccepted(streamId, newVersion, envelopes.Where(e => e.StreamId == streamId).Select(e => e.Type).ToArray()), EventSerializer.Options),
            ETagFor(newVersion),
            context.ResourcePath);
        if (context.Idempotency is { } idem)
            batch.BatchCommands.Add(IdempotencyInsert(context.Actor.Id, idem, response, now));

        try
        {
            await PostgresEventStore.ExecuteAppendAsync(batch, writes, ct);
        }
        catch (ConcurrencyConflictException)
        {
            return new CommandOutcome.Conflict(streamId);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "cf_idempotency_pkey")
        {
            // The same key won a race with this request: answer as the winner did (or 422 if the body differs).
            return await FindStoredAsync(context.Actor.Id, context.Idempotency!, ct) ?? new CommandOutcome.Conflict(streamId);
        }

        return new CommandOutcome.Succeeded(streamId, newVersion, created, envelopes, response);
    }

    public static string ETagFor(long version) => $"\"{version}\"";

    private async Task<CommandOutcome?> FindStoredAsync(string actorId, IdempotencyRequest key, CancellationToken ct)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT request_hash, status_code, response, etag, location FROM cf_idempotency WHERE actor_id = $1 AND key = $2", conn);
        cmd.Parameters.AddWithValue(actorId);
        cmd.Parameters.AddWithValue(key.Key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        if (reader.GetString(0) != key.RequestHash)
            return new CommandOutcome.IdempotencyKeyReused();
        return new CommandOutcome.Replayed(new StoredResponse(
            reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
    }

    private static NpgsqlBatchCommand IdempotencyInsert(string actorId, IdempotencyRequest key, StoredResponse response, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO cf_idempotency (actor_id, key, request_hash, status_code, response, etag, location, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actorId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.RequestHash });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.StatusCode });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = response.Body });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ETag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return command;
    }
}

/// <summary>The body every successful command returns: the stream, its new version and what was recorded.</summary>
public sealed record CommandAccepted(Guid Id, long Version, IReadOnlyList<string> Events);
