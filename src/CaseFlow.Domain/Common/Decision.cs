namespace CaseFlow.Domain.Common;

/// <summary>
/// Another stream a command writes in the same transaction: a new one (e.g. a case and its notice letter), or an
/// existing one the command's stream owns (the letter's later events), appended at the version it has when the
/// command is written — a concurrent write to it makes the whole command a conflict.
/// </summary>
public sealed record AlsoAppend(Guid StreamId, string StreamKind, bool Existing, IReadOnlyList<object> Events, long? AtVersion = null);

/// <summary>
/// The result of a pure <c>Decide</c>: either the events to append (to the command's stream and, optionally,
/// to other streams — all or none are written) or a <see cref="DomainError"/>.
/// </summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, IReadOnlyList<AlsoAppend> also, DomainError? error)
    {
        Events = events;
        Also = also;
        Error = error;
    }

    public IReadOnlyList<object> Events { get; }
    public IReadOnlyList<AlsoAppend> Also { get; }
    public DomainError? Error { get; }
    public static Decision Append(params object[] events) => new(events, [], null);
    public static Decision Fail(DomainError error) => new([], [], error);

    /// <summary>More events on the command's own stream, after those decided (a receipt at home, by appointment).</summary>
    public Decision With(params object[] more) => Error is not null ? this : new([.. Events, .. more], Also, null);

    /// <summary>Also start a new stream in the same transaction.</summary>
    public Decision AndStart(Guid streamId, string streamKind, params object[] events) =>
        new(Events, [.. Also, new AlsoAppend(streamId, streamKind, false, events)], Error);

    /// <summary>Also append to an existing stream in the same transaction.</summary>
    public Decision AndAppend(Guid streamId, string streamKind, params object[] events) =>
        events.Length == 0 ? this : new(Events, [.. Also, new AlsoAppend(streamId, streamKind, true, events)], Error);

    /// <summary>
    /// Also append to an existing stream that the decision read at <paramref name="version"/>: if it moved since,
    /// the whole command is a conflict.
    /// </summary>
    public Decision AndAppendAt(Guid streamId, string streamKind, long version, params object[] events) =>
        new(Events, [.. Also, new AlsoAppend(streamId, streamKind, true, events, version)], Error);

    public static implicit operator Decision(DomainError error) => Fail(error);
}
