using System.Text.Json;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Acceptance;

/// <summary>Inline: one row per case; the snapshot holds the received event (pinned checklist and limits).</summary>
public sealed class CaseProjection : IProjection
{
    public const string Table = "cf_cases";

    public string Name => "cases";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        if (e.Data is CaseReceived r)
        {
            w.Execute(
                $"""
                INSERT INTO {w.Table(Table)} (case_id, centre_id, window_id, item_id, item_revision, item_name, promised_limit, statutory_limit,
                    applicant_name, status, received_by, received_at, snapshot, version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Received', $10, $11, $12::jsonb, $13)
                """,
                r.CaseId, r.CentreId, r.WindowId, r.ItemId, r.ItemRevision, r.Item.Name, r.Item.PromisedLimitWorkingDays, r.Item.StatutoryLimitWorkingDays,
                r.Applicant.Name, r.ReceivedByName, r.ReceivedAt, JsonSerializer.Serialize(r, EventSerializer.Options), e.Version);
        }
    }
}
