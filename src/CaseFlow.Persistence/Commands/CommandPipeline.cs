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
    IfMatchCondition? IfMatch = null,
    IdempotencyRequest? Idempotency = null,
    string? ResourcePath = null);

/// <summary>
/// <c>If-Match</c> as RFC 9110 §13.1.1 reads it: <c>*</c> (the record exists) or a list of entity tags, compared
/// strongly with the stream's version (a weak tag never matches). A stream's ETag is its version, <c>"3"</c>.
/// </summary>
public sealed record IfMatchCondition(bool Any, IReadOnlyList<long> Versions)
{
    public bool Matches(long currentVersion) => Any ? currentVersion > 0 : Versions.Contains(currentVersion);

    public static implicit operator IfMatchCondition?(long? version) => version is { } v ? new(false, [v]) : null;
}

/// <summary>
/// An <c>Idempotency-Key</c> with a hash of the request it came with; <see cref="ReservedAt"/> is set once the key
/// is reserved for this request (<see cref="CommandPipeline.ReserveAsync"/>).
/// </summary>
public sealed record IdempotencyRequest(string Key, string RequestHash, DateTimeOffset? ReservedAt = null);

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
    public sealed record IdempotencyInProgress : CommandOutcome;
}

/// <summary>
/// The one path every command takes (issue 3): load the stream → pure decide → append with the expected
/// version → inline projections → outbox messages → idempotency record, all in one transaction (one batched
/// round trip). The load happens before the write; the expected-version check makes the pair atomic.
/// </summary>
public sealed class CommandPipeline(
    IEventStore store,
    ProjectionCatalog projections,
    IEnumerable<IOutboxPolicy> outboxPolicies,
    TimeProvider clock)
{
    private readonly IOutboxPolicy[] _policies = outboxPolicies.ToArray();
    private readonly IProjection[] _inline = projections.Inline.ToArray();

    public TimeProvider Clock => clock;

    /// <summary>How many times a command without If-Match that lost a race is decided again before it answers 409.</summary>
    public const int ConflictRetries = 3;

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
        if (context.Idempotency is { ReservedAt: null } key)
        {
            var (reserved, earlier) = await ReserveAsync(context.Actor.Id, key, ct);
            if (earlier is not null)
                return earlier;
            context = context with { Idempotency = reserved };
        }
        CommandOutcome? outcome = null;
        try
        {
            outcome = await DecideAndAppendAsync(kind, streamId, context, decide, ct);
            // A lost race without If-Match is decided again on the stream as it is now (the decider re-checks
            // everything): departments working one bundle's parts, or the sweeper raising a light, no longer turn a
            // user's command into a 409. With If-Match the user asked for exactly the version they read.
            for (var retry = 0; outcome is CommandOutcome.Conflict && context.IfMatch is null && retry < ConflictRetries; retry++)
                outcome = await DecideAndAppendAsync(kind, streamId, context, decide, ct);
            return outcome;
        }
        finally
        {
            // A refused or failed command leaves no trace of its key: the client may correct the request and retry.
            if (outcome is not CommandOutcome.Succeeded && context.Idempotency is { } held)
                await ReleaseAsync(context.Actor.Id, held);
        }
    }

    private async Task<CommandOutcome> DecideAndAppendAsync<TState>(
        StreamKind<TState> kind, Guid streamId, CommandContext context, Func<TState, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var loaded = await store.LoadAsync(streamId, ct);
        if (loaded is not null && loaded.Kind != kind.Name)
            return new CommandOutcome.Rejected(DomainError.NotFound("stream.not_found", "未找到该记录。"));
        var version = loaded?.Version ?? 0;
        // If-Match is compared with the version users see: the system's annotations (lights, escalations) do not
        // count (ISystemAnnotation; issue 16). The append still expects the stream's real version.
        var userVersion = loaded?.UserVersion ?? 0;
        if (context.IfMatch is { } ifMatch && !ifMatch.Matches(userVersion))
            return new CommandOutcome.PreconditionFailed(userVersion);

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
        await using var write = store.BeginWrite();
        var envelopes = new List<EventEnvelope>();
        foreach (var w in writes)
            envelopes.AddRange(write.Append(w, metadata, now));

        var writer = new ProjectionWriter(write.Execute);
        foreach (var e in envelopes)
        {
            foreach (var projection in _inline)
                projection.Apply(e, writer);
            foreach (var policy in _policies)
            {
                foreach (var message in policy.MessagesFor(e))
                {
                    OutboxWriter.Add(write, message, now); // the record: what this command caused to be sent
                    write.Publish(message);                // the delivery: Wolverine's outbox, same transaction (issue 15)
                }
            }
        }

        var newVersion = version + decision.Events.Count;
        var newUserVersion = userVersion + UserVersions.Count(decision.Events);
        var created = version == 0;
        var response = new StoredResponse(
            created ? 201 : 200,
            JsonSerializer.Serialize(new CommandAccepted(streamId, newUserVersion, envelopes.Where(e => e.StreamId == streamId).Select(e => e.Type).ToArray()), EventSerializer.Options),
            ETagFor(newUserVersion),
            context.ResourcePath);
        if (context.Idempotency is { } idem)
            write.Execute("SELECT cf_complete_idempotency($1, $2, $3, $4, $5, $6, $7)",
                context.Actor.Id, idem.Key, idem.ReservedAt!.Value, response.StatusCode, response.Body, response.ETag, response.Location);

        try
        {
            await write.CommitAsync(ct);
        }
        catch (ConcurrencyConflictException)
        {
            return new CommandOutcome.Conflict(streamId);
        }

        return new CommandOutcome.Succeeded(streamId, newVersion, created, envelopes, response);
    }

    public static string ETagFor(long version) => $"\"{version}\"";

    /// <summary>How long an <c>Idempotency-Key</c> is remembered (README "Security").</summary>
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(24);

    /// <summary>A reservation whose request has not finished in this time is taken to have died and may be taken over.</summary>
    public static readonly TimeSpan AbandonedReservationAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Reserves <paramref name="key"/> for this request before any work is done (a case number, a decision): the
    /// returned request carries the reservation. Otherwise the answer for the caller: the first response replayed,
    /// <see cref="CommandOutcome.IdempotencyInProgress"/> while the first request is still running, or
    /// <see cref="CommandOutcome.IdempotencyKeyReused"/> for another body. Expired and abandoned rows are taken over.
    /// </summary>
    public async Task<(IdempotencyRequest? Reserved, CommandOutcome? Earlier)> ReserveAsync(string actorId, IdempotencyRequest key, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using (var reserve = new NpgsqlCommand(
            """
            INSERT INTO cf_idempotency (actor_id, key, request_hash, completed, created_at) VALUES ($1, $2, $3, false, $4)
            ON CONFLICT (actor_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, completed = false, status_code = NULL, response = NULL,
                etag = NULL, location = NULL, created_at = EXCLUDED.created_at
            WHERE cf_idempotency.created_at < $5 OR (NOT cf_idempotency.completed AND cf_idempotency.created_at < $6)
            RETURNING created_at
            """, conn))
        {
            reserve.Parameters.AddWithValue(actorId);
            reserve.Parameters.AddWithValue(key.Key);
            reserve.Parameters.AddWithValue(key.RequestHash);
            reserve.Parameters.AddWithValue(now);
            reserve.Parameters.AddWithValue(now - IdempotencyKeyLifetime);
            reserve.Parameters.AddWithValue(now - AbandonedReservationAfter);
            // created_at as stored (microseconds): completion and release match the reservation on it exactly.
            if (await reserve.ExecuteScalarAsync(ct) is DateTime reservedUtc)
                return (key with { ReservedAt = new DateTimeOffset(DateTime.SpecifyKind(reservedUtc, DateTimeKind.Utc)) }, null);
        }
        await using var cmd = new NpgsqlCommand(
            "SELECT request_hash, completed, status_code, response, etag, location FROM cf_idempotency WHERE actor_id = $1 AND key = $2", conn);
        cmd.Parameters.AddWithValue(actorId);
        cmd.Parameters.AddWithValue(key.Key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return (null, new CommandOutcome.IdempotencyInProgress()); // released between the two statements: let the client retry
        if (reader.GetString(0) != key.RequestHash)
            return (null, new CommandOutcome.IdempotencyKeyReused());
        if (!reader.GetBoolean(1))
            return (null, new CommandOutcome.IdempotencyInProgress());
        return (null, new CommandOutcome.Replayed(new StoredResponse(
            reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5))));
    }

    /// <summary>Gives a reservation back (the request was refused or failed before its write committed).</summary>
    public async Task ReleaseAsync(string actorId, IdempotencyRequest key)
    {
        if (key.ReservedAt is not { } reservedAt)
            return;
        try
        {
            await using var cmd = store.DataSource.CreateCommand("DELETE FROM cf_idempotency WHERE actor_id = $1 AND key = $2 AND NOT completed AND created_at = $3");
            cmd.Parameters.AddWithValue(actorId);
            cmd.Parameters.AddWithValue(key.Key);
            cmd.Parameters.AddWithValue(reservedAt);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The database is away: the reservation is taken over once it is older than AbandonedReservationAfter.
        }
    }

    /// <summary>Deletes keys older than <see cref="IdempotencyKeyLifetime"/> (the sweeper calls it).</summary>
    public async Task<int> ForgetExpiredKeysAsync(CancellationToken ct = default)
    {
        await using var cmd = store.DataSource.CreateCommand("DELETE FROM cf_idempotency WHERE created_at < $1");
        cmd.Parameters.AddWithValue(clock.GetUtcNow() - IdempotencyKeyLifetime);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The body every successful command returns: the stream, its new version (as users see it, the ETag's) and what was recorded.</summary>
public sealed record CommandAccepted(Guid Id, long Version, IReadOnlyList<string> Events);
