using System.Text.Json;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.BackOffice;

/// <summary>
/// Inline: one row per department part — what each department's inbox lists (ordered by due date), who holds
/// it, which step it is at, whether the clock stands. Case number, applicant and due date come from the case row
/// written earlier in the same transaction.
/// </summary>
public sealed class CasePartsProjection : IProjection
{
    public const string Table = "cf_case_parts";

    public string Name => "case_parts";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        var cases = w.Table(Acceptance.CaseProjection.Table);
        switch (e.Data)
        {
            case CaseDispatched d:
                foreach (var p in d.Parts)
                {
                    var first = p.Steps[0];
                    w.Execute(
                        $"""
                        INSERT INTO {t} (case_id, part_id, case_number, item_name, applicant_name, accepting_centre, department_id, department_name, lead, stage,
                            step_index, step_name, step_share, step_started_at, dispatched_at, promised_due, steps)
                        SELECT $1, $2, c.case_number, $3, c.applicant_name, c.centre_id, $4, $5, $6, 'Waiting', 0, $7, $8, $9, $9, c.promised_due, $10::jsonb
                        FROM {cases} c WHERE c.case_id = $1
                        """,
                        d.CaseId, p.PartId, p.ItemName, p.DepartmentId, p.DepartmentName, p.Lead, first.Name, first.ShareWorkingDays, d.DispatchedAt,
                        JsonSerializer.Serialize(p.Steps, EventSerializer.Options));
                }
                return;
            case CaseClaimed c:
                Part(w, c.CaseId, c.PartId, "stage = 'Claimed', holder_id = $3, holder_name = $4, step_index = 0, step_started_at = $5", c.ApproverId, c.ApproverName, c.ClaimedAt);
                return;
            case StepCompleted s when s.Action == StepAction.ReturnToWindow:
                Part(w, s.CaseId, s.PartId, "stage = 'ReturnedToWindow', step_started_at = $3", s.CompletedAt);
                return;
            case StepCompleted s:
                var next = s.Action == StepAction.Pass ? s.StepIndex + 1 : Math.Max(0, s.StepIndex - 1);
                Part(w, s.CaseId, s.PartId,
                    "step_index = LEAST($3, jsonb_array_length(steps) - 1), step_name = steps->LEAST($3, jsonb_array_length(steps) - 1)->>'name', " +
                    "step_share = (steps->LEAST($3, jsonb_array_length(steps) - 1)->>'shareWorkingDays')::int, step_started_at = $4",
                    next, s.CompletedAt);
                return;
            case PartResubmitted r:
                Part(w, r.CaseId, r.PartId, "stage = 'Claimed', step_index = 0, step_name = steps->0->>'name', step_share = (steps->0->>'shareWorkingDays')::int, step_started_at = $3", r.ResubmittedAt);
                return;
            case PartReassigned r:
                Part(w, r.CaseId, r.PartId, "holder_id = $3, holder_name = $4", r.ToId, r.ToName);
                return;
            case PartDecided d:
                Part(w, d.CaseId, d.PartId, "stage = 'Decided', approved = $3, decided_at = $4", d.Approved, d.DecidedAt);
                return;
            case ClockSuspended s:
                Case(w, s.CaseId, "clock_stopped = true");
                return;
            case CorrectionRequested c:
                Case(w, c.CaseId, "clock_stopped = true");
                return;
            case ClockResumed r:
                Case(w, r.CaseId, "clock_stopped = false, promised_due = $2", r.PromisedDue.Day);
                return;
            case CaseExtended x:
                Case(w, x.CaseId, "promised_due = $2", x.PromisedDue.Day);
                return;
        }
    }

    private static void Part(ProjectionWriter w, Guid caseId, string partId, string set, params object?[] args) =>
        w.Execute($"UPDATE {w.Table(Table)} SET {set} WHERE case_id = $1 AND part_id = $2", [caseId, partId, .. args]);

    private static void Case(ProjectionWriter w, Guid caseId, string set, params object?[] args) =>
        w.Execute($"UPDATE {w.Table(Table)} SET {set} WHERE case_id = $1", [caseId, .. args]);
}
