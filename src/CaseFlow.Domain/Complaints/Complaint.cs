using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Supervision;

namespace CaseFlow.Domain.Complaints;

public enum ComplaintStatus
{
    None,
    Open,
    Answered,
}

/// <summary>
/// How many working days a complaint must be answered in (configurable, <c>CaseFlow:Complaints</c>; decision record
/// Domain/Complaints/README.md). The due date is fixed into the registration, so a later change moves no complaint.
/// </summary>
public sealed record ComplaintPolicy(int AnswerWithinWorkingDays = 5)
{
    /// <summary>Checked when the host starts: a limit outside 1–60 working days stops it.</summary>
    public bool IsValid => AnswerWithinWorkingDays is >= 1 and <= 60;
}

/// <summary>What the host found for a registration: the centre, the target as registered, the supervisor, the due date.</summary>
public sealed record ComplaintDesk(
    string CentreId, string RegionCode, string TargetName, string? DepartmentId, Guid? CaseId, string SupervisorId, string SupervisorName, int AnswerWorkingDays,
    WorkingCalendar Calendar);

public sealed record RegisterComplaint(
    Guid ComplaintId, ComplaintSource Source, ComplaintAgainst Against, string TargetId, string Facts, bool Anonymous, string? ComplainantName, string? ComplainantPhone);

/// <summary>The accountable person or department of a substantiated complaint; defaults to the complaint's target when that is one.</summary>
public sealed record AccountableTarget(string Kind, string Id, string Name);

public sealed record AnswerComplaint(
    ComplaintFinding Finding, string Answer, AccountabilityMeasure? Measure, AccountableTarget? Accountable, Guid RecordId);

public sealed record RecordComplaintReturnVisit(RatingLevel Satisfaction, string Note);

/// <summary>The sweeper's command: raise the answer deadline's yellow / red if due and not raised.</summary>
public sealed record RaiseComplaintWarnings;

/// <summary>State of one complaint, folded from its stream.</summary>
public sealed record Complaint(
    Guid Id, ComplaintStatus Status, string CentreId, string RegionCode, ComplaintAgainst Against, string TargetId, string TargetName, string? DepartmentId, Guid? CaseId,
    bool Anonymous, string SupervisorId, string SupervisorName, DateTimeOffset RegisteredAt, int AnswerWorkingDays, WorkingDeadline? AnswerDue,
    WarningLevel Raised, bool Visited)
{
    public static readonly Complaint Empty = new(Guid.Empty, ComplaintStatus.None, "", "", ComplaintAgainst.Person, "", "", null, null, false, "", "", default, 0, null,
        WarningLevel.Green, false);

    public static readonly StreamKind<Complaint> Kind = new("complaint", Empty, Evolve);

    public static Complaint Evolve(Complaint s, object e) => e switch
    {
        ComplaintRegistered r => new Complaint(r.ComplaintId, ComplaintStatus.Open, r.CentreId, r.RegionCode, r.Against, r.TargetId, r.TargetName, r.DepartmentId, r.CaseId,
            r.Anonymous, r.AssignedSupervisorId, r.AssignedSupervisorName, r.RegisteredAt, r.AnswerWorkingDays, r.AnswerDue, WarningLevel.Green, false),
        ComplaintAnswerWarningRaised => s with { Raised = s.Raised < WarningLevel.Yellow ? WarningLevel.Yellow : s.Raised },
        ComplaintAnswerWentOverdue => s with { Raised = WarningLevel.Red },
        ComplaintAnswered => s with { Status = ComplaintStatus.Answered },
        ComplaintReturnVisitRecorded => s with { Visited = true },
        _ => s,
    };

    /// <summary>The answer deadline as the board and the sweeper see it (scope <see cref="DeadlineScope.Complaint"/>).</summary>
    public Deadline? AnswerDeadline() => Status == ComplaintStatus.Open && AnswerDue is { } due
        ? new Deadline(DeadlineScope.Complaint, "answer", RegisteredAt, AnswerWorkingDays, due, DepartmentId, SupervisorId)
        : null;
}

/// <summary>Who may act on a complaint: one rule beside <see cref="Jurisdiction"/> (issue 13), for every command and read.</summary>
public static class ComplaintAccess
{
    public static readonly DomainError NotFound = DomainError.NotFound("complaint.not_found", "未找到该投诉举报。");

    /// <summary>Register: clerks at their own centre, supervisors for a centre of their region subtree.</summary>
    public static DomainError? Register(StaffPlace who, string centreId, string regionCode) => who.Role switch
    {
        _ when Jurisdiction.MissingClaim(who) is { } missing => missing,
        Role.Clerk => who.CentreId == centreId ? null : Jurisdiction.OtherCentre,
        Role.Supervisor => Jurisdiction.InSubtree(regionCode, who.RegionCode!) ? null : Jurisdiction.OutsideRegion,
        _ => DomainError.Forbidden("complaint.role_not_allowed", "只有窗口工作人员或监察人员可以登记投诉举报。"),
    };

    /// <summary>Answer, return visit, full read: the supervisors of the region subtree.</summary>
    public static DomainError? Supervise(StaffPlace who, string regionCode) =>
        Jurisdiction.MissingClaim(who) ?? (who.Role == Role.Supervisor
            ? Jurisdiction.InSubtree(regionCode, who.RegionCode!) ? null : Jurisdiction.OutsideRegion
            : DomainError.Forbidden("complaint.supervisor_only", "投诉举报由监察人员调查答复和回访。"));

    /// <summary>Read: supervisors of the subtree (complainant in full), clerks of the centre (complainant masked).</summary>
    public static DomainError? Read(StaffPlace who, string centreId, string regionCode) =>
        who.Role == Role.Clerk ? Jurisdiction.MissingClaim(who) ?? (who.CentreId == centreId ? null : Jurisdiction.OtherCentre) : Supervise(who, regionCode);
}

/// <summary>Pure decisions over a complaint: <c>Decide(command, state, …, actor, now) → events | error</c>.</summary>
public static class ComplaintDecider
{
    public static Decision Decide(RegisterComplaint c, Complaint s, ComplaintDesk desk, Actor actor, DateTimeOffset now)
    {
        if (s.Status != ComplaintStatus.None)
            return DomainError.Rule("complaint.already_registered", "该投诉举报已登记，请勿重复登记。");
        if (actor.Role is not (Role.Clerk or Role.Supervisor))
            return DomainError.Forbidden("complaint.role_not_allowed", "只有窗口工作人员或监察人员可以登记投诉举报。");
        if (string.IsNullOrWhiteSpace(c.Facts))
            return DomainError.Validation("complaint.facts_required", "请写明投诉举报的事实和诉求。");
        if (c.Source == ComplaintSource.Rating && c.Against != ComplaintAgainst.Case)
            return DomainError.Validation("complaint.rating_needs_case", "来自“好差评”渠道的投诉须针对被评价的办件（against = Case）。");
        string? name = null, phone = null;
        if (c.Anonymous)
        {
            if (!string.IsNullOrWhiteSpace(c.ComplainantName) || !string.IsNullOrWhiteSpace(c.ComplainantPhone))
                return DomainError.Validation("complaint.anonymous_with_identity", "匿名投诉不登记投诉人姓名和电话；如需回访，请取消匿名。");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(c.ComplainantName))
                return DomainError.Validation("complaint.complainant_required", "实名投诉须登记投诉人姓名（匿名投诉请选择匿名，匿名投诉不回访）。");
            if (string.IsNullOrWhiteSpace(c.ComplainantPhone))
                return DomainError.Validation("complaint.contact_required", "实名投诉须登记投诉人联系电话，以便回访。");
            if (!Identity.PhoneNumber.IsValid(c.ComplainantPhone))
                return DomainError.Validation("identity.phone_invalid", "联系电话格式不正确，应为11位手机号码或带区号的固定电话。");
            name = c.ComplainantName.Trim();
            phone = c.ComplainantPhone.Trim();
        }
        return Decision.Append(new ComplaintRegistered(
            c.ComplaintId, desk.CentreId, desk.RegionCode, c.Source, c.Against, c.TargetId.Trim(), desk.TargetName, desk.DepartmentId, desk.CaseId, c.Facts.Trim(),
            c.Anonymous, name, phone, desk.SupervisorId, desk.SupervisorName, desk.AnswerWorkingDays, desk.Calendar.AddWorkingDays(now, desk.AnswerWorkingDays),
            actor.Id, actor.Name, now));
    }

    public static Decision Decide(AnswerComplaint c, Complaint s, WarningRuleSet rules, WorkingCalendar calendar, Actor actor, DateTimeOffset now)
    {
        if (s.Status == ComplaintStatus.None)
            return ComplaintAccess.NotFound;
        if (actor.Role != Role.Supervisor)
            return DomainError.Forbidden("complaint.supervisor_only", "投诉举报由监察人员调查答复和回访。");
        if (s.Status != ComplaintStatus.Open)
            return DomainError.Rule("complaint.already_answered", "该投诉举报已答复。");
        if (string.IsNullOrWhiteSpace(c.Answer))
            return DomainError.Validation("complaint.answer_required", "请填写调查处理情况和给投诉人的答复。");
        AccountableTarget? accountable = null;
        if (c.Finding == ComplaintFinding.Substantiated)
        {
            if (c.Measure is null)
                return DomainError.Validation("complaint.measure_required", "投诉查实的，须确定问责方式（提醒、约谈、通报批评或责令整改）。");
            accountable = c.Accountable ?? s.Against switch
            {
                ComplaintAgainst.Person => new AccountableTarget("Person", s.TargetId, s.TargetName),
                ComplaintAgainst.Department => new AccountableTarget("Department", s.TargetId, s.TargetName),
                _ => null,
            };
            if (accountable is null || accountable.Kind is not ("Person" or "Department") || string.IsNullOrWhiteSpace(accountable.Id) || string.IsNullOrWhiteSpace(accountable.Name))
                return DomainError.Validation("complaint.accountable_required", "投诉针对窗口或办件的，查实后须指明被问责的人员或部门。");
        }
        else if (c.Measure is not null || c.Accountable is not null)
        {
            return DomainError.Validation("complaint.measure_not_allowed", "投诉不属实的，不作问责。");
        }

        var due = s.AnswerDue!;
        var late = now >= due.EndsAt;
        // Working days after the due day, up to and including the day of the answer (10-10 due, answered 10-14: 10-11, 10-13, 10-14).
        var daysLate = late ? Math.Max(1, calendar.WorkingDaysBetween(due.EndsAt.AddTicks(-1), now)) : 0;
        var events = new List<object>();
        // A late answer always carries its red light, whether or not the sweeper had come by first.
        if (late && s.Raised < WarningLevel.Red)
            events.Add(new ComplaintAnswerWentOverdue(s.Id, rules.Red(DeadlineScope.Complaint).Id, due.Day, s.SupervisorId, now));
        events.Add(new ComplaintAnswered(s.Id, c.Finding, c.Answer.Trim(), due.Day, late, daysLate, s.SupervisorId, s.SupervisorName, actor.Id, actor.Name, now));
        if (accountable is not null)
        {
            events.Add(new ComplaintAccountabilityRecorded(s.Id, c.RecordId, accountable.Kind, accountable.Id.Trim(), accountable.Name.Trim(), c.Measure!.Value,
                $"投诉举报查实：{c.Answer.Trim()}", s.CaseId, actor.Id, actor.Name, now));
        }
        return Decision.Append([.. events]);
    }

    public static Decision Decide(RecordComplaintReturnVisit c, Complaint s, Actor actor, DateTimeOffset now)
    {
        if (s.Status == ComplaintStatus.None)
            return ComplaintAccess.NotFound;
        if (actor.Role != Role.Supervisor)
            return DomainError.Forbidden("complaint.supervisor_only", "投诉举报由监察人员调查答复和回访。");
        if (s.Anonymous)
            return DomainError.Rule("complaint.anonymous_no_return_visit", "匿名投诉没有投诉人联系方式，不作回访。");
        if (s.Status != ComplaintStatus.Answered)
            return DomainError.Rule("complaint.not_answered", "投诉举报答复后方可回访。");
        if (s.Visited)
            return DomainError.Rule("complaint.return_visit_done", "该投诉举报已回访。");
        if (string.IsNullOrWhiteSpace(c.Note))
            return DomainError.Validation("complaint.return_visit_note_required", "请填写回访情况。");
        return Decision.Append(new ComplaintReturnVisitRecorded(s.Id, c.Satisfaction, c.Note.Trim(), actor.Id, actor.Name, now));
    }

    /// <summary>The sweeper: the answer deadline's yellow and red, each once, under the published rules.</summary>
    public static Decision Decide(RaiseComplaintWarnings c, Complaint s, WarningRuleSet rules, WorkingCalendar calendar, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "预警由系统按规则自动记录。");
        if (s.AnswerDeadline() is not { } d)
            return DomainError.Rule("case.no_warning_due", "没有需要发出的预警。");
        var level = rules.LevelAt(d, calendar, now);
        var events = new List<object>();
        if (level >= WarningLevel.Yellow && s.Raised < WarningLevel.Yellow && rules.Yellow(d.Scope) is { } yellow)
            events.Add(new ComplaintAnswerWarningRaised(s.Id, yellow.Id, d.Due.Day, Math.Max(0, DeadlineEngine.Remaining(calendar, d, now)), s.SupervisorId, now));
        if (level == WarningLevel.Red && s.Raised < WarningLevel.Red)
            events.Add(new ComplaintAnswerWentOverdue(s.Id, rules.Red(d.Scope).Id, d.Due.Day, s.SupervisorId, now));
        return events.Count == 0 ? DomainError.Rule("case.no_warning_due", "没有需要发出的预警。") : Decision.Append([.. events]);
    }
}
