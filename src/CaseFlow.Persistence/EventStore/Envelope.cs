using CaseFlow.Domain.Common;

namespace CaseFlow.Persistence.EventStore;

/// <summary>Metadata on every event (issue 3): who acted, in which role and unit, over which channel, and why.</summary>
public sealed record EventMetadata(
    string ActorId,
    string ActorName,
    string ActorRole,
    string UnitId,
    string UnitName,
    string Channel,
    string CorrelationId,
    string? CausationId)
{
    public static EventMetadata For(Actor actor, string correlationId, string? causationId) =>
        new(actor.Id, actor.Name, actor.Role.ToString(), actor.UnitId, actor.UnitName, actor.Channel.ToString(), correlationId, causationId);
}

/// <summary>
/// One event as stored. <see cref="Sequence"/> is the global sequence number; it is 0 for an event handed to an
/// inline projection before the insert assigned it.
/// </summary>
public sealed record EventEnvelope(
    long Sequence,
    Guid EventId,
    Guid StreamId,
    long Version,
    string Type,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset Timestamp);

/// <summary>What a writer expects of a stream before appending.</summary>
public readonly record struct ExpectedVersion(long Value)
{
    /// <summary>The stream must not exist yet.</summary>
    public static readonly ExpectedVersion NoStream = new(0);

    public static ExpectedVersion Exactly(long version) => new(version);

    public bool IsNew => Value == 0;
}

/// <summary>Events to append to one stream.</summary>
public sealed record StreamWrite(Guid StreamId, string Kind, ExpectedVersion Expected, IReadOnlyList<object> Events);

/// <summary>A stream read back: its kind, current version and events in order.</summary>
public sealed record LoadedStream(Guid StreamId, string Kind, long Version, IReadOnlyList<EventEnvelope> Events)
{
    /// <summary>The version users see and send back as If-Match: the system's annotations do not count (<see cref="CaseFlow.Domain.Common.ISystemAnnotation"/>).</summary>
    public long UserVersion => CaseFlow.Domain.Common.UserVersions.Count(Events.Select(e => e.Data));
}

/// <summary>The stream was not at the expected version (or already existed); nothing was written.</summary>
public sealed class ConcurrencyConflictException(Guid streamId, long expected, Exception inner)
    : Exception($"Stream {streamId} was not at version {expected}.", inner)
{
    public Guid StreamId { get; } = streamId;
    public long Expected { get; } = expected;
}
