using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Supervision;

/// <summary>
/// Async: the accountability ledger (issue 8), per person and per department and month (Beijing time): steps
/// handled, steps that overran their share and by how many working days, parts decided, repeat-notice
/// violations, deemed acceptances, referrals without a named target. A step's department is read from the
/// department parts (written inline, before the daemon sees the event), so a rebuild gives the same rows.
/// </summary>
public sealed class AccountabilityLedgerProjection : IProjection
{
    public const string Table = "cf_ledger_accountability";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public string Name => "ledger_accountability";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        switch (e.Data)
        {
            case StepCompleted s:
                var over = Math.Max(0, s.UsedWorkingDays - s.ShareWorkingDays);
                (string Column, int By)[] step = [("steps_handled", 1), ("steps_over_share", over > 0 ? 1 : 0), ("over_share_days", over)];
                Person(w, s.HandlerId, s.HandlerName, s.CompletedAt, step);
                Department(w, s.CaseId, s.PartId, s.CompletedAt, step);
                break;
            case PartDecided d:
                Person(w, d.DeciderId, d.DeciderName, d.DecidedAt, [("parts_decided", 1)]);
                Department(w, d.CaseId, d.PartId, d.DecidedAt, [("parts_decided", 1)]);
                break;
            case RepeatNoticeRecorded r:
                Person(w, r.ClerkId, r.ClerkName, r.RecordedAt, [("repeat_notices", 1)]);
                break;
            case CaseDeemedAccepted d:
                Person(w, d.ResponsibleId, d.ResponsibleName, d.RecordedAt, [("deemed_acceptances", 1)]);
                break;
            case InquiryReferred { WithoutNamedTarget: true } f:
                Person(w, f.ReferredById, f.ReferredByName, f.ReferredAt, [("referrals_without_target", 1)]);
                break;
        }
    }

    private static DateOnly Month(DateTimeOffset at)
    {
        var local = at.ToOffset(Beijing);
        return new DateOnly(local.Year, local.Month, 1);
    }

    private static void Person(ProjectionWriter w, string id, string name, DateTimeOffset at, (string Column, int By)[] bumps)
    {
        var t = w.Table(Table);
        var columns = string.Join(", ", bumps.Select(b => b.Column));
        var values = string.Join(", ", bumps.Select((_, i) => $"${i + 4}"));
        var updates = string.Join(", ", bumps.Select(b => $"{b.Column} = {t}.{b.Column} + EXCLUDED.{b.Column}"));
        w.Execute(
            $"INSERT INTO {t} (subject_kind, subject_id, month, subject_name, {columns}) VALUES ('Person', $1, $2, $3, {values}) " +
            $"ON CONFLICT (subject_kind, subject_id, month) DO UPDATE SET {updates}, subject_name = EXCLUDED.subject_name",
            [id, Month(at), name, .. bumps.Select(b => (object?)b.By)]);
    }

    private static void Department(ProjectionWriter w, Guid caseId, string partId, DateTimeOffset at, (string Column, int By)[] bumps)
    {
        var t = w.Table(Table);
        var columns = string.Join(", ", bumps.Select(b => b.Column));
        var values = string.Join(", ", bumps.Select((_, i) => $"${i + 4}"));
        var updates = string.Join(", ", bumps.Select(b => $"{b.Column} = {t}.{b.Column} + EXCLUDED.{b.Column}"));
        w.Execute(
            $"INSERT INTO {t} (subject_kind, subject_id, month, subject_name, {columns}) " +
            $"SELECT 'Department', p.department_id, $3, p.department_name, {values} FROM cf_case_parts p WHERE p.case_id = $1 AND p.part_id = $2 " +
            $"ON CONFLICT (subject_kind, subject_id, month) DO UPDATE SET {updates}",
            [caseId, partId, Month(at), .. bumps.Select(b => (object?)b.By)]);
    }
}
