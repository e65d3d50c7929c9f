using System.Text.Json;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;
using JasperFx.Events;
using Marten;

namespace CaseFlow.Persistence.Marten;

/// <summary>
/// One of CaseFlow's SQL projections run by Marten's async daemon (issue 14): each batch of events becomes the
/// projection's statements, queued in the daemon's transaction together with Marten's checkpoint, so the tables
/// and the progress move together. The read models stay plain indexed tables. An event the projection cannot
/// apply stops it there, naming the event (no skipping: the ledger must not miss a red light).
/// </summary>
public sealed class MartenProjection(IProjection projection, EventSerializer serializer) : global::Marten.Events.Projections.IProjection
{
    public IProjection Inner => projection;

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var writer = new ProjectionWriter((sql, args) =>
        {
            var (positional, ordered) = MartenEventStore.Positional(sql, args);
            operations.QueueSqlCommand('^', positional, ordered!);
        });
        foreach (var e in events)
        {
            // Marten fills the sequence numbers of a failed transaction with tombstones: not CaseFlow's events.
            if (!serializer.TryNameOf(e.Data, out _))
                continue;
            var envelope = Envelope(e, serializer);
            try
            {
                projection.Apply(envelope, writer);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                throw new ProjectionFailedException(projection.Name, e.Sequence, envelope.Type, error);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>A Marten event as CaseFlow's projections see it: the current name (after upcasting) and the metadata.</summary>
    public static EventEnvelope Envelope(IEvent e, EventSerializer serializer)
    {
        string Header(string key) => e.Headers?.GetValueOrDefault(key) switch
        {
            null => "",
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString() ?? "",
            var other => other.ToString() ?? "",
        };
        var metadata = new EventMetadata(Header("actorId"), Header("actorName"), Header("actorRole"), Header("unitId"), Header("unitName"), Header("channel"),
            e.CorrelationId ?? "", e.CausationId);
        return new EventEnvelope(e.Sequence, e.Id, e.StreamId, e.Version, serializer.NameOf(e.Data), e.Data, metadata, e.Timestamp);
    }
}
