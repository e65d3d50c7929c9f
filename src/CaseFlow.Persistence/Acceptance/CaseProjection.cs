using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Handover;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Acceptance;

/// <summary>
/// Inline: one row per case for the window's and the agent's lists and the deadline job — status, number, the
/// dates that matter. The case view itself folds the stream.
/// </summary>
public sealed class CaseProjection : IProjection
{
    public const string Table = "cf_cases";

    public string Name => "cases";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        switch (e.Data)
        {
            case CaseReceived r:
                w.Execute(
                    $"""
                    INSERT INTO {t} (case_id, centre_id, window_id, item_id, item_revision, item_name, promised_limit, statutory_limit,
                        applicant_name, status, received_by, received_at, version, channel)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Received', $10, $11, $12, $13)
                    """,
                    r.CaseId, r.CentreId, r.WindowId, r.ItemId, r.ItemRevision, r.Item.Name, r.Item.PromisedLimitWorkingDays, r.Item.StatutoryLimitWorkingDays,
                    r.Applicant.Name, r.ReceivedByName, r.ReceivedAt, e.Version, r.Channel.ToString());
                return;
            case CaseNumberAssigned n:
                Update(w, e, "case_number = $3", n.CaseNumber);
                return;
            case AgentSubmissionRecorded a:
                Update(w, e, "agent_id = $3, act_by = $4", a.AgentId, a.ActBy.Day);
                return;
            case OneTimeNoticeIssued:
                Update(w, e, "status = 'AwaitingCorrections', notices = notices + 1");
                return;
            case RepeatNoticeRecorded:
                Update(w, e, "repeat_notices = repeat_notices + 1");
                return;
            case CaseAccepted a:
                Update(w, e, "status = 'Accepted', accepted_on = $3, promised_due = $4, statutory_due = $5", a.AcceptedOn, a.PromisedDue.Day, a.StatutoryDue.Day);
                return;
            case CaseAcceptedWithDeficiency a:
                Update(w, e, "status = 'AcceptedWithDeficiency', accepted_on = $3, promised_due = $4, statutory_due = $5, deficiency_due = $6",
                    a.AcceptedOn, a.PromisedDue.Day, a.StatutoryDue.Day, a.Deficiencies.Min(d => d.DueOn));
                return;
            case DeficiencyCleared:
                Update(w, e, "status = 'Accepted', deficiency_due = NULL");
                return;
            case CaseDeemedAccepted d:
                Update(w, e, "status = 'Accepted', deemed = true, accepted_on = $3, promised_due = $4, statutory_due = $5, responsible_id = $6",
                    d.AcceptedOn, d.PromisedDue.Day, d.StatutoryDue.Day, d.ResponsibleId);
                return;
            case CaseRejected:
                Update(w, e, "status = 'Rejected'");
                return;
            case CaseTerminated:
                Update(w, e, "status = 'Terminated', deficiency_due = NULL");
                return;
            case CaseCompletedOnTheSpot:
                Update(w, e, "status = 'Completed'");
                return;
            case CaseDecided d:
                Update(w, e, "status = 'Decided', decided_at = $3, overdue = $4", d.DecidedAt, d.Overdue);
                return;
            case ResultSentToWindow:
                Update(w, e, "status = 'ResultReady'");
                return;
            case ClockResumed r:
                Update(w, e, "promised_due = $3, statutory_due = $4", r.PromisedDue.Day, r.StatutoryDue.Day);
                return;
            case CaseExtended x:
                Update(w, e, "promised_due = $3, statutory_due = $4, extended = $5", x.PromisedDue.Day, x.StatutoryDue.Day, x.WorkingDays);
                return;
            case CaseEscalated:
                Update(w, e, "escalated = true");
                return;
            case EscalationResolved:
                Update(w, e, "escalated = false");
                return;
            case CaseClosed c:
                Update(w, e, "status = 'Closed', closed_at = $3", c.ClosedAt);
                return;
            case ResultMailed:
                Update(w, e, "mailed = true");
                return;
            case ServiceRated or DefaultRatingRecorded:
                Update(w, e, "rated = true");
                return;
            case RatingVoided:
                Update(w, e, "rated = false");
                return;
            default:
                if (e.Type.StartsWith("case.", StringComparison.Ordinal))
                    Update(w, e, "");
                return;
        }
    }

    private static void Update(ProjectionWriter w, EventEnvelope e, string set, params object?[] args) =>
        w.Execute($"UPDATE {w.Table(Table)} SET version = $2{(set.Length > 0 ? ", " + set : "")} WHERE case_id = $1", [e.StreamId, e.Version, .. args]);
}
