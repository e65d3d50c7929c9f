using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Complaints;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Supervision;

/// <summary>
/// Async: the accountability ledger (issue 8), per person and per department and month (Beijing time): steps
/// handled, steps that overran their share and by how many working days, parts decided, repeat-notice
/// violations, deemed acceptances, inquiries owned and referred, referrals without a named target, red lights
/// on deadlines held, bad ratings of the cases a clerk received (less those voided on appeal), return visits and
/// rectifications done late. A step's department is read from the department parts (written inline, before
/// the daemon sees the event); who received a case is the projection's own memory, so a rebuild gives the same rows.
/// </summary>
public sealed class AccountabilityLedgerProjection : IProjection
{
    public const string Table = "cf_ledger_accountability";

    public string Name => "ledger_accountability";

    public const string Clerks = "cf_ledger_case_clerks";

    public IReadOnlyList<string> Tables => [Clerks, Table];

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
            case InquiryRegistered r:
                Person(w, r.OwnerId, r.OwnerName, r.RegisteredAt, [("inquiries_owned", 1)]);
                break;
            case InquiryReferred f:
                Person(w, f.ReferredById, f.ReferredByName, f.ReferredAt, [("inquiries_referred", 1), ("referrals_without_target", f.WithoutNamedTarget ? 1 : 0)]);
                break;
            case CaseReceived r:
                w.Execute($"INSERT INTO {w.Table(Clerks)} (case_id, clerk_id, clerk_name) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING",
                    r.CaseId, r.ReceivedById, r.ReceivedByName);
                break;
            case Domain.OnlineSubmission.OnlineSubmissionRecorded o:
                // 网上办 (issue 17): nobody received it at a counter; the window whose 预审 queue it went to answers for
                // it (as for 视为受理), never the platform (Domain/OnlineSubmission/README.md).
                w.Execute($"UPDATE {w.Table(Clerks)} SET clerk_id = $2, clerk_name = $3 WHERE case_id = $1", o.CaseId, o.RoutedToWindowId, OnlineQueueHolder);
                break;
            case DeadlineWentOverdue o:
                // 红灯 on a deadline someone held: the holder and the department it ran in. Late return visits and
                // rectifications of a bad rating are also counted on their own.
                (string, int)[] red = [("red_lights", 1), ("late_rectifications", o.Scope is DeadlineScope.ReturnVisit or DeadlineScope.Rectification ? 1 : 0)];
                if (o.HolderId is { Length: > 0 } holder)
                    PersonByClerkOrId(w, o.CaseId, holder, o.OverdueAt, red);
                if (o.DepartmentId is { Length: > 0 } department)
                    DepartmentById(w, department, o.OverdueAt, red);
                break;
            case CaseFlow.Domain.Supervision.AccountabilityOpened a:
                // 问责 records on the ledger, of cases (here) and of substantiated complaints (below), by their target.
                Target(w, a.TargetKind, a.TargetId, a.TargetName, a.OpenedAt, [("accountability_records", 1)]);
                break;
            case ComplaintRegistered c when c.Against is ComplaintAgainst.Person or ComplaintAgainst.Department:
                Target(w, c.Against.ToString(), c.TargetId, c.TargetName, c.RegisteredAt, [("complaints_received", 1)]);
                break;
            case ComplaintAccountabilityRecorded x:
                Target(w, x.TargetKind, x.TargetId, x.TargetName, x.RecordedAt, [("complaints_substantiated", 1), ("accountability_records", 1)]);
                break;
            case ComplaintAnswerWentOverdue o:
                // The complaint's answer ran red while the assigned supervisor held it (issue 17).
                PersonByClerkOrId(w, o.ComplaintId, o.HolderId, o.OverdueAt, [("red_lights", 1)]);
                break;
            case ComplaintAnswered { Late: true } late:
                Person(w, late.HolderId, late.HolderName, late.AnsweredAt, [("late_complaint_answers", 1)]);
                break;
            case ServiceRated { Level: RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied } x:
                ClerkOfCase(w, x.CaseId, Month(x.RatedAt), 1);
                w.Execute($"UPDATE {w.Table(Clerks)} SET bad_round = $2, bad_month = $3 WHERE case_id = $1", x.CaseId, x.Round, Month(x.RatedAt));
                break;
            case RatingVoided v:
                // A bad rating voided on appeal (申诉复核) leaves the ledger of the month it was counted in.
                var t = w.Table(Table);
                w.Execute(
                    $"UPDATE {t} SET bad_ratings = {t}.bad_ratings - 1 FROM {w.Table(Clerks)} c " +
                    $"WHERE c.case_id = $1 AND c.bad_round = $2 AND {t}.subject_kind = 'Person' AND {t}.subject_id = c.clerk_id AND {t}.month = c.bad_month",
                    v.CaseId, v.Round);
                w.Execute($"UPDATE {w.Table(Clerks)} SET bad_round = NULL, bad_month = NULL WHERE case_id = $1 AND bad_round = $2", v.CaseId, v.Round);
                break;
        }
    }

    /// <summary>The name an online case's window goes by in the ledger (and the timeline).</summary>
    public const string OnlineQueueHolder = "综合窗口（网上办预审）";

    private static DateOnly Month(DateTimeOffset at) => Domain.Calendar.WorkingCalendar.BeijingMonth(at);

    private static void Person(ProjectionWriter w, string id, string name, DateTimeOffset at, (string Column, int By)[] bumps) =>
        Upsert(w, "'Person', $1, $2, $3", "", [id, Month(at), name], bumps, rename: true);

    /// <summary>The clerk who received the case (names come from the receipt), for its bad ratings.</summary>
    private static void ClerkOfCase(ProjectionWriter w, Guid caseId, DateOnly month, int by) =>
        Upsert(w, "'Person', c.clerk_id, $2, c.clerk_name", $"FROM {w.Table(Clerks)} c WHERE c.case_id = $1", [caseId, month], [("bad_ratings", by)]);

    /// <summary>A holder named by id only: the name is the receiving clerk's if it is them, else the staff register's, else the id.</summary>
    private static void PersonByClerkOrId(ProjectionWriter w, Guid caseId, string id, DateTimeOffset at, (string Column, int By)[] bumps) =>
        Upsert(w, $"'Person', $2, $3, coalesce((SELECT c.clerk_name FROM {w.Table(Clerks)} c WHERE c.case_id = $1 AND c.clerk_id = $2), " +
            "(SELECT s.name FROM cf_staff s WHERE s.staff_id = $2), $2)", "", [caseId, id, Month(at)], bumps);

    private static void Target(ProjectionWriter w, string kind, string id, string name, DateTimeOffset at, (string Column, int By)[] bumps)
    {
        if (kind == "Department")
            DepartmentById(w, id, at, bumps);
        else
            Person(w, id, name, at, bumps);
    }

    private static void DepartmentById(ProjectionWriter w, string departmentId, DateTimeOffset at, (string Column, int By)[] bumps) =>
        Upsert(w, "'Department', $1, $2, coalesce((SELECT d.name FROM cf_departments d WHERE d.department_id = $1 LIMIT 1), $1)", "", [departmentId, Month(at)], bumps);

    /// <summary>The department of a case's part (written inline before the daemon sees the event).</summary>
    private static void Department(ProjectionWriter w, Guid caseId, string partId, DateTimeOffset at, (string Column, int By)[] bumps) =>
        Upsert(w, "'Department', p.department_id, $3, p.department_name", "FROM cf_case_parts p WHERE p.case_id = $1 AND p.part_id = $2", [caseId, partId, Month(at)], bumps);

    /// <summary>
    /// Adds <paramref name="bumps"/> to the row of the subject that <paramref name="subject"/> selects (kind, id,
    /// month, name; its parameters are <paramref name="args"/>, the bumps' follow), created at zero.
    /// </summary>
    private static void Upsert(ProjectionWriter w, string subject, string from, object?[] args, (string Column, int By)[] bumps, bool rename = false)
    {
        var t = w.Table(Table);
        var columns = string.Join(", ", bumps.Select(b => b.Column));
        var values = string.Join(", ", bumps.Select((_, i) => $"${args.Length + i + 1}"));
        var updates = string.Join(", ", bumps.Select(b => $"{b.Column} = {t}.{b.Column} + EXCLUDED.{b.Column}")) + (rename ? ", subject_name = EXCLUDED.subject_name" : "");
        w.Execute(
            $"INSERT INTO {t} (subject_kind, subject_id, month, subject_name, {columns}) SELECT {subject}, {values} {from} " +
            $"ON CONFLICT (subject_kind, subject_id, month) DO UPDATE SET {updates}",
            [.. args, .. bumps.Select(b => (object?)b.By)]);
    }
}
