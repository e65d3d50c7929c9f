namespace CaseFlow.Domain.Common;

/// <summary>
/// An event the system records about a stream that changes nothing a user may act on: a deadline warning (黄灯), an
/// overdue mark (红灯), a 督办 escalation. It stays in the stream (the permanent record: who was warned, when) but
/// does not count in the version users see and send back as <c>If-Match</c>, so a clerk's or approver's version
/// read a moment ago stays valid when the sweeper raises a light (issue 16; decision in
/// src/CaseFlow.Persistence/EventStore/README.md "Versions users see").
/// </summary>
public interface ISystemAnnotation;

public static class UserVersions
{
    /// <summary>How many of <paramref name="events"/> users changed the stream with: the version an ETag carries.</summary>
    public static long Count(IEnumerable<object> events) => events.LongCount(e => e is not ISystemAnnotation);
}
