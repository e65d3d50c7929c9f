using CaseFlow.Domain.Supervision;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Supervision;

/// <summary>Inline: open and answered supervision orders (for the sweeper's escalation) and accountability records.</summary>
public sealed class SupervisionProjection : IProjection
{
    public string Name => "supervision";

    public IReadOnlyList<string> Tables => ["cf_supervision_orders", "cf_accountability_records"];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var orders = w.Table("cf_supervision_orders");
        var records = w.Table("cf_accountability_records");
        switch (e.Data)
        {
            case SupervisionOrdered o:
                w.Execute($"INSERT INTO {orders} (order_id, case_id, region_id, instruction, due_on, status, supervisor_id, ordered_at) VALUES ($1, $2, $3, $4, $5, 'Open', $6, $7)",
                    o.OrderId, o.CaseId, o.RegionId, o.Instruction, o.DueOn, o.SupervisorId, o.OrderedAt);
                break;
            case SupervisionAnswered a:
                w.Execute($"UPDATE {orders} SET status = 'Answered' WHERE order_id = $1", a.OrderId);
                break;
            case SupervisionEscalated x:
                w.Execute($"UPDATE {orders} SET status = 'Escalated' WHERE order_id = $1", x.OrderId);
                break;
            case AccountabilityOpened r:
                w.Execute($"INSERT INTO {records} (record_id, case_id, target_kind, target_id, target_name, measure, facts, supervisor_id, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    r.RecordId, r.CaseId, r.TargetKind, r.TargetId, r.TargetName, r.Measure.ToString(), r.Facts, r.SupervisorId, r.OpenedAt);
                break;
            case AccountabilityConcluded c:
                w.Execute($"UPDATE {records} SET outcome = $2, concluded_at = $3 WHERE record_id = $1", c.RecordId, c.Outcome, c.ConcludedAt);
                break;
        }
    }
}
