using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;

namespace CaseFlow.Persistence.Deadlines;

/// <summary>
/// What people are told, written to the outbox in the command's own transaction (issue 7): applicants of
/// acceptance, notices, the decision, the result waiting and pickup reminders; staff of their yellow and red
/// deadlines. The applicant is addressed as <c>applicant:&lt;case id&gt;</c> — the gateway resolves the phone
/// number from the case at sending time, so personal data never sits in the outbox or a log.
/// </summary>
public sealed class CaseNotifications : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        var applicant = $"applicant:{e.StreamId}";
        switch (e.Data)
        {
            case CaseAccepted a:
                yield return Applicant(e, applicant, "case_accepted", ("caseNumber", a.CaseNumber), ("promisedDue", Day(a.PromisedDue.Day)));
                break;
            case CaseAcceptedWithDeficiency a:
                yield return Applicant(e, applicant, "case_accepted_with_deficiency", ("caseNumber", a.CaseNumber), ("firstDue", Day(a.Deficiencies.Min(d => d.DueOn))));
                break;
            case CaseDeemedAccepted d:
                yield return Applicant(e, applicant, "case_accepted", ("caseNumber", d.CaseNumber), ("promisedDue", Day(d.PromisedDue.Day)));
                break;
            case OneTimeNoticeIssued n:
                yield return Applicant(e, applicant, "one_time_notice", ("documentNumber", n.Document.Number), ("items", n.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case CorrectionRequested c:
                yield return Applicant(e, applicant, "one_time_notice", ("documentNumber", c.Document.Number), ("items", c.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case CaseDecided d:
                yield return Applicant(e, applicant, "case_decided", ("approved", d.Approved ? "准予" : "不予许可"));
                break;
            case ResultSentToWindow:
                yield return Applicant(e, applicant, "result_ready_for_pickup");
                break;
            case PickupReminderSent r:
                yield return Applicant(e, $"applicant:{r.CaseId}", "pickup_reminder", ("number", r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case DeadlineWarningRaised w when Staff(w.HolderId, w.DepartmentId) is { } holder:
                yield return OutboxMessage.For(e, OutboxMessage.Kinds.Staff, holder, "deadline_yellow", new Dictionary<string, string>
                {
                    ["caseId"] = w.CaseId.ToString(), ["scope"] = w.Scope.ToString(), ["dueOn"] = Day(w.DueOn), ["remaining"] = w.RemainingWorkingDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                break;
            case DeadlineWentOverdue o when Staff(o.HolderId, o.DepartmentId) is { } holder:
                yield return OutboxMessage.For(e, OutboxMessage.Kinds.Staff, holder, "deadline_red", new Dictionary<string, string>
                {
                    ["caseId"] = o.CaseId.ToString(), ["scope"] = o.Scope.ToString(), ["dueOn"] = Day(o.DueOn),
                });
                break;
        }
    }

    /// <summary>Whoever holds the work; a part nobody has claimed yet goes to its department's inbox owners.</summary>
    private static string? Staff(string? holder, string? department) =>
        holder is { Length: > 0 } ? holder : department is { Length: > 0 } ? $"department:{department}" : null;

    private static OutboxMessage Applicant(EventEnvelope e, string recipient, string template, params (string Key, string Value)[] parameters) =>
        OutboxMessage.For(e, OutboxMessage.Kinds.Applicant, recipient, template, parameters.ToDictionary(p => p.Key, p => p.Value));

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
