using CaseFlow.Domain.Supervision;
using CaseFlow.Persistence.EventStore;

namespace CaseFlow.Persistence.Supervision;

/// <summary>A loaded case stream as the timeline reads it: each event with who did it, from its metadata.</summary>
public static class CaseFacts
{
    public static IReadOnlyList<RecordedFact> Of(LoadedStream stream) =>
        stream.Events.Select(e => new RecordedFact(e.Version, e.EventId, e.Type, e.Data, e.Timestamp,
            e.Metadata.ActorId, e.Metadata.ActorName, e.Metadata.ActorRole, e.Metadata.UnitId, e.Metadata.UnitName)).ToList();
}
