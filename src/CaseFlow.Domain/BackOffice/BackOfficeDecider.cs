using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.BackOffice;

public sealed record ClaimPart(string PartId);

public sealed record CompleteStep(string PartId, StepAction Action, string Opinion);

public sealed record DecidePart(string PartId, bool Approved, string Opinion, string? LegalBasis, string? ReconsiderationBody, string? Court);

public sealed record RegisterResult(string PartId, IReadOnlyList<ResultDocument> Documents, string SealId);

/// <summary><paramref name="Procedure"/> as sent: an enum name (ExpertReview) or its Chinese name (专家评审).</summary>
public sealed record SuspendClock(Guid SuspensionId, string PartId, string Procedure, string Reason);

public sealed record ResumeClock(string PartId);

public sealed record RequestCorrection(Guid NoticeId, string PartId, IReadOnlyList<NoticeLine> Lines, string? OverrideReason);

public sealed record ExtendDeadline(int WorkingDays, string Reason);

/// <summary>
/// Move a part to another holder. <paramref name="ToDepartmentId"/> is the target's department as registered (null
/// when the target is not registered staff): an explicit reassignment must stay within the part's department.
/// </summary>
public sealed record ReassignPart(string PartId, string ToId, string ToName, string Reason, string? ToDepartmentId = null);

public sealed record ResubmitPart(string PartId, string Note);

public sealed record EscalateCase(string Reason, string CoordinatorId, string CoordinatorName, DateOnly DueOn);

public sealed record ResolveEscalation(string Resolution);

/// <summary>
/// 后台审批 (issue 6; DOMAIN.md §4–§6): dispatch, claim, steps, clock control, extension, AB reassignment,
/// decision and result, 办不成事. Pure like every decider: state, command, actor, desk and instant in.
/// </summary>
public static class BackOfficeDecider
{
    /// <summary>Extension ceiling (Art. 42; DOMAIN.md §5 rule 6): 10 working days, bundles 15.</summary>
    public const int MaxExtension = 10;

    public const int MaxBundleExtension = 15;

    private static readonly Dictionary<string, SpecialProcedure> ChineseNames = new()
    {
        ["听证"] = SpecialProcedure.Hearing, ["招标"] = SpecialProcedure.Tender, ["拍卖"] = SpecialProcedure.Auction, ["检验"] = SpecialProcedure.Inspection,
        ["检测"] = SpecialProcedure.Testing, ["检疫"] = SpecialProcedure.Quarantine, ["鉴定"] = SpecialProcedure.Appraisal, ["专家评审"] = SpecialProcedure.ExpertReview,
    };

    public static string NameOf(SpecialProcedure p) => ChineseNames.First(kv => kv.Value == p).Key;

    /// <summary>On acceptance: one part per item, to the department of its first step (DOMAIN.md §4).</summary>
    public static CaseDispatched Dispatch(CaseFile s, Desk desk, DateTimeOffset now) =>
        new(s.Id, s.PartPlan.Select(p =>
        {
            var department = CaseFile.DepartmentOf(p.Item);
            var info = desk.Departments?.GetValueOrDefault(department);
            IReadOnlyList<Catalogue.ApprovalStep> steps = p.Item.Steps.Count > 0 ? p.Item.Steps : [new("办理", department, p.Item.PromisedLimitWorkingDays)];
            return new DispatchedPart(p.PartId, p.ItemId, p.Item.Name, department, info?.Name ?? department, info?.CentreName ?? desk.CentreName, steps, p.Lead);
        }).ToList(), desk.CentreName, now);

    public static Decision Decide(ClaimPart c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        var (part, error) = MemberOf(s, c.PartId, actor, desk);
        if (error is not null)
            return error;
        if (part!.Stage != PartStage.Waiting)
            return DomainError.Rule("case.already_claimed", $"该办件已由{part.HolderName}签收。");
        return Decision.Append(new CaseClaimed(s.Id, c.PartId, actor.Id, actor.Name, part.Plan.DepartmentId, now));
    }

    public static Decision Decide(CompleteStep c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        var (part, error) = InProgress(s, c.PartId, actor, desk);
        if (error is not null)
            return error;
        if (string.IsNullOrWhiteSpace(c.Opinion))
            return DomainError.Validation("case.opinion_required", "请填写本环节的办理意见。");
        if (c.Action == StepAction.Pass && part!.AtFinalStep)
            return DomainError.Rule("case.final_step_is_decision", $"“{part.CurrentStep.Name}”是最后一个环节，请作出准予或不予许可的决定。");
        if (c.Action == StepAction.ReturnToPrevious && part!.Step == 0)
            return DomainError.Rule("case.no_previous_step", "已是第一个环节，无法退回上一环节；如需退回窗口，请选择退回窗口。");
        return Decision.Append(Completed(s, part!, c.Action, c.Opinion.Trim(), actor, desk, now));
    }

    public static Decision Decide(DecidePart c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        var (part, error) = InProgress(s, c.PartId, actor, desk);
        if (error is not null)
            return error;
        if (!part!.AtFinalStep)
            return DomainError.Rule("case.not_at_decision_step", $"当前环节为“{part.CurrentStep.Name}”，尚未到决定环节。");
        if (string.IsNullOrWhiteSpace(c.Opinion))
            return DomainError.Validation("case.opinion_required", "请填写决定意见。");
        if (!c.Approved && (string.IsNullOrWhiteSpace(c.LegalBasis) || string.IsNullOrWhiteSpace(c.ReconsiderationBody) || string.IsNullOrWhiteSpace(c.Court)))
            return DomainError.Validation("case.denial_incomplete", "不予许可须写明理由、法律依据，并告知申请行政复议的机关和提起行政诉讼的法院（行政许可法第三十八条）。");

        var events = new List<object>
        {
            Completed(s, part, StepAction.Pass, c.Opinion.Trim(), actor, desk, now),
            new PartDecided(s.Id, c.PartId, c.Approved, c.Opinion.Trim(), c.LegalBasis?.Trim(), c.ReconsiderationBody?.Trim(), c.Court?.Trim(), actor.Id, actor.Name, now),
        };
        var after = events.Aggregate(s, CaseFile.Evolve);
        if (after.Work.Parts.All(p => p.Stage == PartStage.Decided))
        {
            var (promised, statutory, dueError) = Dues(after, desk, now);
            if (dueError is not null)
                return dueError;
            var used = desk.Calendar.WorkingDaysBetween(after.ClockStartedAt!.Value, now, after.Work.ClockStops(now));
            var decided = new CaseDecided(s.Id, after.Work.Parts.All(p => p.Approved == true), WorkingCalendar.BeijingDate(now), promised!, statutory!, now >= promised!.EndsAt, used, now);
            events.Add(decided);
            if (after.Work.Parts.All(p => p.Settled))
            {
                events.Add(new ResultSentToWindow(s.Id, s.Receipt!.WindowId, now));
                return Handover.HandoverDecider.SendToWindow(Decision.Append([.. events]), s, desk, now, now);
            }
        }
        return Decision.Append([.. events]);
    }

    public static Decision Decide(RegisterResult c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        var (part, error) = MemberOf(s, c.PartId, actor, desk);
        if (error is not null)
            return error;
        if (part!.Stage != PartStage.Decided || part.Approved != true)
            return DomainError.Rule("case.result_needs_approval", "只有准予许可的办件才登记办理结果（证照或批文）。");
        if (part.Results.Count > 0)
            return DomainError.Rule("case.result_already_registered", "办理结果已登记。");
        var documents = c.Documents ?? [];
        if (documents.Count == 0 || documents.Any(d => string.IsNullOrWhiteSpace(d.Kind) || string.IsNullOrWhiteSpace(d.Number)))
            return DomainError.Validation("case.result_document_required", "请登记结果文书的类别和证照（批文）编号。");
        if (documents.Any(d => d.ValidFrom is { } from && d.ValidUntil is { } until && until < from))
            return DomainError.Validation("case.result_validity_invalid", "有效期截止日期不能早于起始日期。");
        if (string.IsNullOrWhiteSpace(c.SealId))
            return DomainError.Validation("case.seal_required", "请登记加盖的审批专用章编号。");
        var registered = new ResultRegistered(s.Id, c.PartId, documents, c.SealId.Trim(), actor.Id, actor.Name, now);
        var after = CaseFile.Evolve(s, registered);
        return after.Work.Decision is not null && after.Work.Parts.All(p => p.Settled)
            ? Handover.HandoverDecider.SendToWindow(Decision.Append(registered, new ResultSentToWindow(s.Id, s.Receipt!.WindowId, now)), s, desk, after.Work.Decision.DecidedAt, now)
            : Decision.Append(registered);
    }

    public static Decision Decide(SuspendClock c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (ClockMayStop(s, c.PartId, actor, desk) is { } refused)
            return refused;
        if (!TryProcedure(c.Procedure, out var procedure))
            return DomainError.Rule("case.suspension_not_lawful",
                "只有听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审可以中止计时（行政许可法第四十五条），其他原因不得停止计算办理时限。");
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("case.suspension_reason_required", "请写明中止计时的具体事由。");
        var notice = CaseDecider.Stamp(DocumentKind.SuspensionNotice, $"{s.Number}-TZ{s.Work.Suspensions.Count + 1}", desk, WorkingCalendar.BeijingDate(now));
        return Decision.Append(new ClockSuspended(s.Id, c.SuspensionId, c.PartId, procedure, c.Reason.Trim(), notice, actor.Id, actor.Name, now));
    }

    public static Decision Decide(ResumeClock c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        var (_, error) = MemberOf(s, c.PartId, actor, desk);
        if (error is not null)
            return error;
        if (s.Work.OpenStop is not { } stop || stop.Kind == "Correction")
            return DomainError.Rule("case.clock_not_suspended", "办件不在特别程序中止计时中（补正中止的，待申请人补正后自动恢复）。");
        var (resumed, resumeError) = Resume(s, stop.Id, actor, desk, now);
        return resumeError ?? Decision.Append(resumed!);
    }

    public static Decision Decide(RequestCorrection c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (ClockMayStop(s, c.PartId, actor, desk) is { } refused)
            return refused;
        var (items, events, noticeError) = CaseDecider.NoticeContent(s, c.Lines, c.OverrideReason, c.NoticeId, actor, now, requireComplete: false);
        if (noticeError is not null)
            return noticeError;
        var ordinal = s.Notices.Count + 1;
        var stamp = CaseDecider.Stamp(DocumentKind.OneTimeNotice, $"{s.Number}-GZ{ordinal}", desk, WorkingCalendar.BeijingDate(now));
        events!.Insert(0, new CorrectionRequested(s.Id, c.PartId, c.NoticeId, ordinal, items!, stamp, actor.Id, actor.Name, now));
        return Decision.Append([.. events])
            .AndStart(c.NoticeId, NoticeLetter.Kind.Name, new NoticeIssued(c.NoticeId, s.Id, s.CentreId, stamp.Number, items!.Select(i => i.Code).ToList(), now));
    }

    public static Decision Decide(ExtendDeadline c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (!s.Work.Dispatched)
            return NotInBackOffice(s);
        if (actor.Role != Role.DepartmentHead)
            return DomainError.Forbidden("case.extension_head_only", "延期须由部门负责人批准。");
        if (s.Work.Parts.All(p => p.Plan.DepartmentId != desk.ActingDepartmentId))
            return OtherDepartment;
        if (desk.ActorAbsent)
            return Absent;
        if (s.Work.Decision is not null)
            return DomainError.Rule("case.already_decided", "办件已作出决定，无需延期。");
        if (s.Work.Extension is { } earlier)
            return DomainError.Rule("case.extension_already_granted", $"本案已于 {WorkingCalendar.BeijingDate(earlier.ExtendedAt):yyyy-MM-dd} 延期 {earlier.WorkingDays} 个工作日，每案只能延期一次（行政许可法第四十二条）。");
        var max = s.Bundle is null ? MaxExtension : MaxBundleExtension;
        if (c.WorkingDays < 1 || c.WorkingDays > max)
            return DomainError.Rule("case.extension_too_long", $"延期不得超过 {max} 个工作日（行政许可法第四十二条）。");
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("case.extension_reason_required", "请写明延期理由，延期理由将告知申请人。");
        var (promised, statutory, dueError) = Dues(s, desk, now, c.WorkingDays);
        if (dueError is not null)
            return dueError;
        var notice = CaseDecider.Stamp(DocumentKind.ExtensionNotice, $"{s.Number}-YQ", desk, WorkingCalendar.BeijingDate(now));
        return Decision.Append(new CaseExtended(s.Id, c.WorkingDays, c.Reason.Trim(), notice, promised!, statutory!, actor.Id, actor.Name, desk.ActingDepartmentId!, now));
    }

    /// <summary>
    /// A part changes hands: by the AB job (<see cref="Role.System"/>) when its holder is away, or explicitly by
    /// the department's head or a supervisor. The reason is on record.
    /// </summary>
    public static Decision Decide(ReassignPart c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (!s.Work.Dispatched)
            return NotInBackOffice(s);
        if (s.Work.Part(c.PartId) is not { } part)
            return DomainError.NotFound("case.part_not_found", "未找到该部门的办理事项。");
        var allowed = actor.Role is Role.System or Role.Supervisor || (actor.Role == Role.DepartmentHead && desk.ActingDepartmentId == part.Plan.DepartmentId);
        if (!allowed)
            return DomainError.Forbidden("case.reassign_not_allowed", "只有本部门负责人或督查人员可以改派办件。");
        if (part.HolderId is null || part.Stage is not (PartStage.Claimed or PartStage.ReturnedToWindow))
            return DomainError.Rule("case.part_not_held", "该办件尚未签收或已办结，无需改派。");
        if (string.IsNullOrWhiteSpace(c.ToId) || string.IsNullOrWhiteSpace(c.ToName))
            return DomainError.Validation("case.reassign_target_required", "请指定接办人。");
        if (c.ToId == part.HolderId)
            return DomainError.Rule("case.reassign_same_holder", "接办人与当前承办人相同。");
        // The AB job moves a part to the other holder of the post; everyone else must name a member of the department (issue 13).
        if (actor.Role != Role.System && c.ToDepartmentId != part.Plan.DepartmentId)
            return DomainError.Rule("case.reassign_target_not_in_department", $"接办人须为{part.Plan.DepartmentName}的在册审批人员。");
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("case.reassign_reason_required", "请写明改派原因。");
        return Decision.Append(new PartReassigned(s.Id, c.PartId, part.HolderId, part.HolderName ?? "", c.ToId, c.ToName, c.Reason.Trim(), actor.Id, now));
    }

    public static Decision Decide(ResubmitPart c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Work.Part(c.PartId) is not { Stage: PartStage.ReturnedToWindow })
            return DomainError.Rule("case.part_not_returned", "该办件未被退回窗口。");
        if (string.IsNullOrWhiteSpace(c.Note))
            return DomainError.Validation("case.resubmit_note_required", "请说明窗口的处理情况。");
        return Decision.Append(new PartResubmitted(s.Id, c.PartId, c.Note.Trim(), actor.Id, actor.Name, now));
    }

    public static Decision Decide(EscalateCase c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (desk.CantGetItDoneWindowId is not { } window)
            return DomainError.Rule("case.no_cant_get_it_done_window", "本中心未设“办不成事”反映窗口，请管理员先开设。");
        if (s.Work.Escalation is not null && s.Work.Resolution is null)
            return DomainError.Rule("case.already_escalated", "该办件已在“办不成事”窗口协调中。");
        if (string.IsNullOrWhiteSpace(c.Reason) || string.IsNullOrWhiteSpace(c.CoordinatorId) || string.IsNullOrWhiteSpace(c.CoordinatorName))
            return DomainError.Validation("case.escalation_incomplete", "请写明反映的问题，并指定协调人。");
        if (c.DueOn <= WorkingCalendar.BeijingDate(now))
            return DomainError.Validation("case.escalation_due_invalid", "协调办结期限须晚于今天。");
        return Decision.Append(new CaseEscalated(s.Id, window, c.Reason.Trim(), c.CoordinatorId, c.CoordinatorName, c.DueOn, actor.Id, actor.Name, now));
    }

    public static Decision Decide(ResolveEscalation c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Work.Escalation is null || s.Work.Resolution is not null)
            return DomainError.Rule("case.not_escalated", "该办件没有待协调的“办不成事”反映。");
        if (string.IsNullOrWhiteSpace(c.Resolution))
            return DomainError.Validation("case.resolution_required", "请写明协调处理结果。");
        return Decision.Append(new EscalationResolved(s.Id, c.Resolution.Trim(), actor.Id, actor.Name, now));
    }

    /// <summary>The clock runs again: the stopped working days and every deadline recomputed with them.</summary>
    public static (ClockResumed? Resumed, DomainError? Error) Resume(CaseFile s, Guid stopId, Actor actor, Desk desk, DateTimeOffset now)
    {
        var stop = s.Work.Stops.First(x => x.Id == stopId);
        var closed = s with { Work = s.Work with { Stops = s.Work.Stops.Select(x => x.Id == stopId ? x with { To = now } : x).ToList() } };
        var (promised, statutory, error) = Dues(closed, desk, now);
        if (error is not null)
            return (null, error);
        var stopped = desk.Calendar.WorkingDaysBetween(stop.From, now);
        return (new ClockResumed(s.Id, stopId, stopped, promised!, statutory!, actor.Id, actor.Name, now), null);
    }

    private static StepCompleted Completed(CaseFile s, PartOnFile part, StepAction action, string opinion, Actor actor, Desk desk, DateTimeOffset now)
    {
        var step = part.CurrentStep;
        int used;
        try
        {
            used = desk.Calendar.WorkingDaysBetween(part.StepStartedAt, now, s.Work.ClockStops(now));
        }
        catch (CalendarYearNotPublishedException)
        {
            used = 0;
        }
        return new StepCompleted(s.Id, part.Plan.PartId, part.Step, step.Name, action, opinion, actor.Id, actor.Name, part.StepStartedAt, now, step.ShareWorkingDays, Math.Max(0, used));
    }

    private static (WorkingDeadline? Promised, WorkingDeadline? Statutory, DomainError? Error) Dues(CaseFile s, Desk desk, DateTimeOffset now, int? extension = null)
    {
        try
        {
            return s.DuesAt(desk.Calendar, now, extension) is var (promised, statutory) ? (promised, statutory, null) : (null, null, NotInBackOffice(s));
        }
        catch (CalendarYearNotPublishedException e)
        {
            return (null, null, e.Error);
        }
    }

    /// <summary>A member of the part's department, on an undecided case whose clock is running.</summary>
    private static DomainError? ClockMayStop(CaseFile s, string partId, Actor actor, Desk desk)
    {
        var (part, error) = MemberOf(s, partId, actor, desk);
        if (error is not null)
            return error;
        if (part!.Stage == PartStage.Decided || s.Work.Decision is not null)
            return DomainError.Rule("case.already_decided", "办件已作出决定。");
        return s.Work.OpenStop is not null ? DomainError.Rule("case.clock_already_stopped", "办件已在中止计时中。") : null;
    }

    private static (PartOnFile? Part, DomainError? Error) InProgress(CaseFile s, string partId, Actor actor, Desk desk)
    {
        var (part, error) = MemberOf(s, partId, actor, desk);
        if (error is not null)
            return (null, error);
        if (part!.Stage != PartStage.Claimed)
            return (null, part.Stage == PartStage.Waiting
                ? DomainError.Rule("case.not_claimed", "请先签收该办件。")
                : DomainError.Rule("case.part_not_in_progress", $"该办件当前不在审批中（{(part.Stage == PartStage.Decided ? "已决定" : "已退回窗口")}）。"));
        if (s.Work.OpenStop is { } stop)
            return (null, DomainError.Rule("case.clock_stopped", stop.Kind == "Correction" ? "办件正在等待申请人补正，补正后方可继续审批。" : "办件处于特别程序中止计时中，请先恢复计时。"));
        // 承办 is the holder's; later steps (审核, 决定) are done by others of the department.
        if (part.Step == 0 && part.HolderId != actor.Id)
            return (null, DomainError.Forbidden("case.not_holder", $"该办件由{part.HolderName}承办，只有承办人可以办理承办环节。"));
        return (part, null);
    }

    private static (PartOnFile? Part, DomainError? Error) MemberOf(CaseFile s, string partId, Actor actor, Desk desk)
    {
        if (s.Status == CaseStatus.None)
            return (null, DomainError.NotFound("case.not_found", "未找到该办件。"));
        if (!s.Work.Dispatched)
            return (null, NotInBackOffice(s));
        if (s.Work.Part(partId ?? "") is not { } part)
            return (null, DomainError.NotFound("case.part_not_found", "未找到该部门的办理事项。"));
        if (actor.Role is not (Role.Approver or Role.DepartmentHead))
            return (null, DomainError.Forbidden("case.approver_only", "只有部门审批人员可以办理。"));
        if (desk.ActingDepartmentId != part.Plan.DepartmentId)
            return (null, OtherDepartment);
        if (desk.ActorAbsent)
            return (null, Absent);
        return (part, null);
    }


    private static bool TryProcedure(string? value, out SpecialProcedure procedure)
    {
        var text = value?.Trim() ?? "";
        if (ChineseNames.TryGetValue(text, out procedure))
            return true;
        return Enum.TryParse(text, ignoreCase: false, out procedure) && Enum.IsDefined(procedure) && !int.TryParse(text, out _);
    }

    private static DomainError NotInBackOffice(CaseFile s) =>
        DomainError.Rule("case.not_in_back_office", $"办件当前状态为{CaseDecider.StatusName(s.Status)}，不在部门审批环节。");

    private static readonly DomainError OtherDepartment = DomainError.Forbidden("case.other_department", "该办件不属于本部门，只能办理本部门的办件。");

    private static readonly DomainError Absent = DomainError.Forbidden("case.actor_absent", "您当前登记为不在岗（请假、外出、下乡或会议），不能办理；在岗期间的办件由 B 岗接办。");
}
