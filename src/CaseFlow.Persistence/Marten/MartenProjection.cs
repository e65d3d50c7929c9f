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
public sealed class MartenProjection(IProjection projection, EventSerializer serializer, Npgsql.NpgsqlDataSource? failures = null,
    IReadOnlyDictionary<string, string>? tables = null)
    : global::Marten.Events.Projections.IProjection
{
    public IProjection Inner => projection;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var writer = new ProjectionWriter((sql, args) =>
        {
            var (positional, ordered) = MartenEventStore.Positional(sql, args);
            operations.QueueSqlCommand('^', positional, ordered!);
        }, tables);
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
                // Marten rolls its batch back and pauses the shard; which event stopped it is kept beside, outside
                // that transaction, for the status (a shard that never committed has no progression row to say it).
                if (failures is not null)
                    await RecordFailureAsync(failures, projection.Name, e.Sequence, envelope.Type, error);
                throw new ProjectionFailedException(projection.Name, e.Sequence, envelope.Type, error);
            }
        }
    }

    private static async Task RecordFailureAsync(Npgsql.NpgsqlDataSource db, string name, long sequence, string type, Exception error)
    {
        var why = Resilience.DatabaseFailures.Why(error);
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO cf_projection_state (name, updated_at, status, failed_seq, error) VALUES ($1, now(), 'failed', $2, $3)
            ON CONFLICT (name) DO UPDATE SET status = 'failed', failed_seq = EXCLUDED.failed_seq, error = EXCLUDED.error, updated_at = EXCLUDED.updated_at
            """);
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(sequence);
        cmd.Parameters.AddWithValue($"event {sequence} ({type}): {why}");
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
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
