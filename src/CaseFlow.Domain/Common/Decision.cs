namespace CaseFlow.Domain.Common;

/// <summary>A new stream a command starts in the same transaction (e.g. a case and its notice letter).</summary>
public sealed record AlsoAppend(Guid StreamId, string StreamKind, IReadOnlyList<object> Events);

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

    /// <summary>Also start a new stream in the same transaction.</summary>
    public Decision AndStart(Guid streamId, string streamKind, params object[] events) =>
        new(Events, [.. Also, new AlsoAppend(streamId, streamKind, events)], Error);

    public static implicit operator Decision(DomainError error) => Fail(error);
}
