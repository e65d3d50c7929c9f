using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Acceptance;

/// <summary>A department as dispatch needs it: its name and the centre it sits in.</summary>
public sealed record DepartmentInfo(string Id, string Name, string CentreName);

/// <summary>
/// What the host knows when a case command arrives: the acting person's centre and department (from the token;
/// null for system jobs) and whether they are away right now (AB岗), the name of the case's centre (printed on
/// documents), the working calendar in force, the departments cases are dispatched to, and the centre's
/// 办不成事 window, and the region of the case's centre (for <see cref="Common.Jurisdiction"/>).
/// </summary>
public sealed record Desk(
    string? ActingCentreId, string CentreName, WorkingCalendar Calendar,
    IReadOnlyDictionary<string, DepartmentInfo>? Departments = null, string? ActingDepartmentId = null, bool ActorAbsent = false,
    string? CantGetItDoneWindowId = null, string? CaseRegionCode = null);

/// <summary>
/// 收件. The host has checked that the window accepts the item, passes its current revision, allocated the case
/// number and — for a village agent — routed the case to the township centre's comprehensive window.
/// </summary>
public sealed record ReceiveCase(
    Guid CaseId, Guid ItemId, int ItemRevision, ServiceItemDefinition Item, Applicant Applicant, IReadOnlyList<ReceivedMaterial> Materials,
    Channel Channel, string CentreId, string WindowId, string CaseNumber, WrittenAuthorisation? Authorisation, InquiryOnFile? Inquiry = null,
    BackOffice.BundleCaseComposed? Bundle = null);

/// <summary>The first inquiry this receipt closes (首问 → 收件), as read at <see cref="Version"/>.</summary>
public sealed record InquiryOnFile(Inquiries.Inquiry State, long Version);

/// <summary>受理; for a 即办件 also the result handed over in the same visit.</summary>
public sealed record AcceptCase(string? Result);

public sealed record DeficiencyPromise(string Code, DateOnly DueOn);

/// <summary>容缺受理 with the applicant's written commitment.</summary>
public sealed record AcceptWithDeficiency(IReadOnlyList<DeficiencyPromise> Deficiencies, string Commitment);

/// <summary>One line the clerk puts on a notice; reason and legal basis default from the checklist.</summary>
public sealed record NoticeLine(string Code, string? Reason, string? LegalBasis);

public sealed record IssueOneTimeNotice(Guid NoticeId, IReadOnlyList<NoticeLine> Lines, string? OverrideReason);

public sealed record SupplementMaterials(IReadOnlyList<ReceivedMaterial> Materials);

public sealed record RejectCase(string Reason, string LegalBasis, bool NotCompetent, string? CompetentBody, string ReconsiderationBody, string Court);

/// <summary>The background job's command: accept as of receipt when the notice period has run out.</summary>
public sealed record DeemAccepted;

/// <summary>The background job's command: end a 容缺 case whose due date passed with materials outstanding.</summary>
public sealed record TerminateForMissedDeficiency;

/// <summary>
/// The window's decisions on a case (DOMAIN.md §4–§6). Pure: the state, the command, who acts, the desk
/// (centre, calendar) and the instant in, events or a refusal out.
/// </summary>
public static class CaseDecider
{
    /// <summary>Working days the window has to issue a notice or decide (Art. 32; DOMAIN.md §5 rule 3).</summary>
    public const int NoticePeriodWorkingDays = 5;

    /// <summary>Working days the township window has to act on an agent's submission (issue 5, 帮代办).</summary>
    public const int AgentActByWorkingDays = 3;

    private const string AcceptanceArticle = "《中华人民共和国行政许可法》第三十二条";

    public static Decision Decide(ReceiveCase c, CaseFile state, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.None)
            return DomainError.Rule("case.already_received", "该办件已收件。");
        // The provincial platform receives too, for online submissions only (issue 17, OnlineSubmissionDecider).
        if (actor.Role is not (Role.Clerk or Role.Agent) && !(actor.Role == Role.Platform && c.Channel == Channel.Online))
            return DomainError.Forbidden("case.clerk_only", "只有窗口工作人员或代办员可以收件。");
        if (c.Applicant.Validate() is { } error)
            return error;
        if (ValidateMaterials(c.Item, c.Materials) is { } materialError)
            return materialError;
        if (actor.Role == Role.Agent)
        {
            if (!c.Item.AgentMaySubmit)
                return DomainError.Rule("case.agent_not_allowed", $"“{c.Item.Name}”不能由村（社区）代办员代办，请申请人到便民服务中心办理。");
            if (c.Authorisation is not { } auth || string.IsNullOrWhiteSpace(auth.Reference) || string.IsNullOrWhiteSpace(auth.GrantorName))
                return DomainError.Validation("case.authorisation_required", "代办须登记申请人签署的委托书（编号及委托人姓名）。");
            if (auth.SignedOn > WorkingCalendar.BeijingDate(now))
                return DomainError.Validation("case.authorisation_future", "委托书签署日期不能晚于今天。");
        }
        // Every checklist line is recorded: what the clerk did not tick is missing.
        var received = c.Item.Materials
            .Select(m => c.Materials.FirstOrDefault(r => r.Code == m.Code) ?? new ReceivedMaterial(m.Code, MaterialState.Missing, null))
            .ToList();
        var events = new List<object>
        {
            new CaseReceived(c.CaseId, c.ItemId, c.ItemRevision, c.Item, c.Applicant, received, c.Channel, c.CentreId, c.WindowId, actor.Id, actor.Name, now),
            new CaseNumberAssigned(c.CaseId, c.CaseNumber, now),
        };
        if (c.Bundle is not null)
            events.Add(c.Bundle);
        if (actor.Role == Role.Agent)
        {
            if (Deadline(desk, now, AgentActByWorkingDays) is not { } actBy)
                return CalendarMissing(desk, now);
            events.Add(new AgentSubmissionRecorded(c.CaseId, actor.Id, actor.Name, actor.UnitId, actor.UnitName, c.Authorisation!, c.WindowId, actBy, now));
        }
        var decision = Decision.Append([.. events]);
        if (c.Inquiry is { } inquiry)
        {
            var takeIn = Inquiries.InquiryDecider.TakeInAsCase(inquiry.State, c.CaseId, actor, now);
            if (takeIn.Error is { } inquiryError)
                return inquiryError;
            decision = decision.AndAppendAt(inquiry.State.Id, Inquiries.Inquiry.Kind.Name, inquiry.Version, [.. takeIn.Events]);
        }
        return decision;
    }

    public static Decision Decide(AcceptCase c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (AwaitingDecision(s, actor, desk, now) is { } refused)
            return refused;
        if (s.UnmetRequired is { Count: > 0 } unmet)
            return DomainError.Rule("case.required_material_missing",
                $"申请材料不齐全，不能受理：{Names(unmet)}。请出具一次性告知书，或在关键材料齐全时容缺受理。");
        return Accept(s, actor, desk, now, s.Status == CaseStatus.AwaitingCorrections ? AcceptanceRoute.AfterCorrections : AcceptanceRoute.Complete, c.Result);
    }

    public static Decision Decide(AcceptWithDeficiency c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (AwaitingDecision(s, actor, desk, now) is { } refused)
            return refused;
        var unmet = s.UnmetRequired;
        if (unmet.Where(m => m.Key).ToList() is { Count: > 0 } key)
            return DomainError.Rule("case.key_material_missing", $"关键材料缺失，不能容缺受理：{Names(key)}。");
        if (unmet.Count == 0)
            return DomainError.Rule("case.nothing_deficient", "材料已齐全，请直接受理。");
        if (string.IsNullOrWhiteSpace(c.Commitment))
            return DomainError.Validation("case.commitment_required", "容缺受理须有申请人签署的承诺（承诺补齐的材料和期限）。");
        var promises = c.Deficiencies ?? [];
        if (unmet.FirstOrDefault(m => promises.All(p => p.Code != m.Code)) is { } unlisted)
            return DomainError.Validation("case.deficiency_unlisted", $"缺少的材料“{unlisted.Name}”须列明补交期限。");
        if (promises.FirstOrDefault(p => unmet.All(m => m.Code != p.Code)) is { } stray)
            return DomainError.Validation("case.deficiency_not_missing", $"材料 {stray.Code} 并未缺少，无需容缺。");
        if (Dues(s.Item, desk, now) is not ({ } promised, { } statutory))
            return CalendarMissing(desk, now);
        var today = WorkingCalendar.BeijingDate(now);
        if (promises.FirstOrDefault(p => p.DueOn <= today || p.DueOn > promised.Day) is { } late)
            return DomainError.Validation("case.deficiency_due_invalid",
                $"材料 {late.Code} 的补交期限须晚于今天且不晚于承诺办结日 {promised.Day:yyyy-MM-dd}。");
        var number = s.Number!;
        var deficiencies = promises.Select(p => new Deficiency(p.Code, s.Item.Materials.First(m => m.Code == p.Code).Name, p.DueOn)).ToList();
        var accepted = new CaseAcceptedWithDeficiency(s.Id, number, today, promised, statutory, deficiencies, c.Commitment.Trim(),
            Stamp(DocumentKind.DeficiencyAcceptanceNotice, $"{number}-RQ", desk, today), actor.Id, actor.Name, now);
        return OnlineSubmission.OnlineSubmissionDecider.Follow(s,
            CloseNotices(Decision.Append(accepted, BackOffice.BackOfficeDecider.Dispatch(s, desk, now)), s, "accepted_with_deficiency", now), now);
    }

    public static Decision Decide(IssueOneTimeNotice c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (AwaitingDecision(s, actor, desk, now) is { } refused)
            return refused;
        var ordinal = s.Notices.Count + 1;
        var (items, events, error) = NoticeContent(s, c.Lines, c.OverrideReason, c.NoticeId, actor, now, requireComplete: true);
        if (error is not null)
            return error;

        var today = WorkingCalendar.BeijingDate(now);
        var stamp = Stamp(DocumentKind.OneTimeNotice, $"{s.Number}-GZ{ordinal}", desk, today);
        var procedure = $"请按本告知书要求补正全部材料后，到{desk.CentreName}综合窗口提交；补正材料齐全之日即为受理之日，办结时限自该日起计算。";
        events!.Insert(0, new OneTimeNoticeIssued(s.Id, c.NoticeId, ordinal, items!, procedure, stamp, actor.Id, actor.Name, now));
        return OnlineSubmission.OnlineSubmissionDecider.Follow(s, Decision.Append([.. events])
            .AndStart(c.NoticeId, NoticeLetter.Kind.Name, new NoticeIssued(c.NoticeId, s.Id, s.CentreId, stamp.Number, items!.Select(i => i.Code).ToList(), now)), now);
    }

    public static Decision Decide(SupplementMaterials c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        var correction = s.Work.OpenStop is { Kind: "Correction" } stop ? s.Work.Corrections.First(c => c.NoticeId == stop.Id) : null;
        if (correction is null && s.Status is not (CaseStatus.Received or CaseStatus.AwaitingCorrections or CaseStatus.AcceptedWithDeficiency))
            return DomainError.Rule("case.not_taking_materials", $"办件当前状态为{StatusName(s.Status)}，不能补交材料。");
        var materials = c.Materials ?? [];
        if (materials.Count == 0)
            return DomainError.Validation("case.supplement_empty", "请登记补交的材料。");
        if (materials.Any(m => m.State == MaterialState.Missing))
            return DomainError.Validation("case.supplement_missing_state", "补交登记只记录已提交（或不符合要求、告知承诺）的材料。");
        if (ValidateMaterials(s.Item, materials) is { } error)
            return error;

        var supplemented = new MaterialsSupplemented(s.Id, materials, actor.Id, actor.Name, now);
        var after = CaseFile.Evolve(s, supplemented);
        var decision = Decision.Append(supplemented);
        if (s.Status == CaseStatus.AwaitingCorrections)
        {
            if (NoticePeriodOver(s, desk, now) is null && after.UnmetRequired.Count == 0 && Accept(after, actor, desk, now, AcceptanceRoute.AfterCorrections, null) is { Error: null } accepted)
            {
                // The complete set of corrections arrived: accepted today (DOMAIN.md §5 rule 4).
                decision = Decision.Append([supplemented, .. accepted.Events]);
                return OnlineSubmission.OnlineSubmissionDecider.Follow(s, NoticeLetters(decision, s, materials, complete: true, now), now);
            }
            return NoticeLetters(decision, s, materials, complete: false, now);
        }
        var events = new List<object> { supplemented };
        if (s.Status == CaseStatus.AcceptedWithDeficiency && after.Outstanding.Count == 0)
            events.Add(new DeficiencyCleared(s.Id, now));
        if (correction is not null && correction.Items.All(i => after.Satisfied(s.Item.Materials.First(m => m.Code == i.Code))))
        {
            // The back office's corrections are complete: the clock runs again from today (DOMAIN.md §5 rule 7).
            var (resumed, resumeError) = BackOffice.BackOfficeDecider.Resume(after, correction.NoticeId, actor, desk, now);
            if (resumeError is not null)
                return resumeError;
            events.Add(resumed!);
            return Decision.Append([.. events]).AndAppend(correction.NoticeId, NoticeLetter.Kind.Name,
                new NoticeCorrectionsReceived(correction.NoticeId, materials.Select(m => m.Code).ToList(), true, now),
                new NoticeClosed(correction.NoticeId, "corrections_complete", now));
        }
        return Decision.Append([.. events]);
    }

    public static Decision Decide(RejectCase c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (AwaitingDecision(s, actor, desk, now) is { } refused)
            return refused;
        if (string.IsNullOrWhiteSpace(c.Reason) || string.IsNullOrWhiteSpace(c.LegalBasis))
            return DomainError.Validation("case.rejection_reason_required", "不予受理须写明理由和法律依据（行政许可法第三十八条）。");
        if (c.NotCompetent && string.IsNullOrWhiteSpace(c.CompetentBody))
            return DomainError.Validation("case.competent_body_required", "不属于本机关职权范围的，须告知申请人向有关行政机关申请（行政许可法第三十二条）。");
        if (string.IsNullOrWhiteSpace(c.ReconsiderationBody) || string.IsNullOrWhiteSpace(c.Court))
            return DomainError.Validation("case.remedies_required", "不予受理决定须告知申请人申请行政复议的机关和提起行政诉讼的法院。");
        var today = WorkingCalendar.BeijingDate(now);
        var rejected = new CaseRejected(s.Id, c.Reason.Trim(), c.LegalBasis.Trim(), c.NotCompetent, c.NotCompetent ? c.CompetentBody!.Trim() : null,
            c.ReconsiderationBody.Trim(), c.Court.Trim(), Stamp(DocumentKind.NonAcceptanceDecision, $"{s.Number}-BSL", desk, today), actor.Id, actor.Name, now);
        return OnlineSubmission.OnlineSubmissionDecider.Follow(s, CloseNotices(Decision.Append(rejected), s, "case_rejected", now), now);
    }

    public static Decision Decide(DeemAccepted c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "视为受理由系统按期限自动记录。");
        if (s.Status != CaseStatus.Received)
            return NotAwaitingDecision(s);
        var receipt = s.Receipt!;
        if (Deadline(desk, receipt.ReceivedAt, NoticePeriodWorkingDays) is not { } period || Dues(s.Item, desk, receipt.ReceivedAt) is not ({ } promised, { } statutory))
            return CalendarMissing(desk, now);
        if (now < period.EndsAt)
            return DomainError.Rule("case.notice_period_running", $"告知期限至 {period.Day:yyyy-MM-dd} 止，尚未届满。");
        // Recorded against whoever had to act: the receiving clerk, or for an agent's or an online submission (nobody
        // received it at a window) the window it was routed to (issue 17, Domain/OnlineSubmission/README.md).
        var (responsibleId, responsibleName, unit) = s.Agent is null && s.Online is null
            ? (receipt.ReceivedById, receipt.ReceivedByName, desk.CentreName)
            : (receipt.WindowId, $"{desk.CentreName}综合窗口", desk.CentreName);
        var acceptedOn = WorkingCalendar.BeijingDate(receipt.ReceivedAt);
        var deemed = new CaseDeemedAccepted(s.Id, s.Number!, acceptedOn, promised, statutory, period, responsibleId, responsibleName, unit,
            Stamp(DocumentKind.AcceptanceNotice, $"{s.Number}-SL", desk, WorkingCalendar.BeijingDate(now)), now);
        return OnlineSubmission.OnlineSubmissionDecider.Follow(s, Decision.Append(deemed, BackOffice.BackOfficeDecider.Dispatch(s, desk, now)), now);
    }

    public static Decision Decide(TerminateForMissedDeficiency c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "容缺逾期终止由系统按期限自动记录。");
        if (s.Status != CaseStatus.AcceptedWithDeficiency)
            return DomainError.Rule("case.no_deficiency", "该办件没有待补齐的容缺材料。");
        var missed = s.Outstanding.Where(d => WorkingCalendar.EndOf(d.DueOn) <= now).ToList();
        if (missed.Count == 0)
            return DomainError.Rule("case.deficiency_not_due", "容缺材料尚未到补交期限。");
        return Decision.Append(new CaseTerminated(s.Id, "deficiency.not_supplied",
            $"容缺受理承诺的材料逾期未补齐：{string.Join("、", missed.Select(d => $"{d.Name}（{d.DueOn:yyyy-MM-dd}）"))}，依承诺终止办理。",
            missed.Select(d => d.Code).ToList(), now));
    }

    /// <summary>The end of the notice period for a received case: 5 working days after receipt.</summary>
    public static WorkingDeadline? NoticePeriod(CaseFile s, WorkingCalendar calendar) =>
        s.Receipt is null ? null : Deadline(new Desk(null, "", calendar), s.Receipt.ReceivedAt, NoticePeriodWorkingDays);

    private static Decision Accept(CaseFile s, Actor actor, Desk desk, DateTimeOffset now, AcceptanceRoute route, string? result)
    {
        if (Dues(s.Item, desk, now) is not ({ } promised, { } statutory))
            return CalendarMissing(desk, now);
        var today = WorkingCalendar.BeijingDate(now);
        var accepted = new CaseAccepted(s.Id, s.Number!, route, today, promised, statutory,
            Stamp(DocumentKind.AcceptanceNotice, $"{s.Number}-SL", desk, today), actor.Id, actor.Name, now);
        var decision = s.Item.CaseKind == CaseKind.Immediate
            ? Decision.Append(accepted, new CaseCompletedOnTheSpot(s.Id, string.IsNullOrWhiteSpace(result) ? "当场办结" : result.Trim(), actor.Id, actor.Name, now))
            : Decision.Append(accepted, BackOffice.BackOfficeDecider.Dispatch(s, desk, now));
        return OnlineSubmission.OnlineSubmissionDecider.Follow(s, CloseNotices(decision, s, "corrections_complete", now), now);
    }

    /// <summary>Corrections reach every open notice letter; complete ones are closed.</summary>
    private static Decision NoticeLetters(Decision decision, CaseFile s, IReadOnlyList<ReceivedMaterial> materials, bool complete, DateTimeOffset now)
    {
        foreach (var notice in s.Notices.Where(n => n.Open))
        {
            var codes = materials.Select(m => m.Code).Where(code => notice.Items.Any(i => i.Code == code)).ToList();
            if (codes.Count == 0 && !complete)
                continue;
            object[] events = complete
                ? [new NoticeCorrectionsReceived(notice.NoticeId, codes, true, now), new NoticeClosed(notice.NoticeId, "corrections_complete", now)]
                : [new NoticeCorrectionsReceived(notice.NoticeId, codes, false, now)];
            decision = decision.AndAppend(notice.NoticeId, NoticeLetter.Kind.Name, events);
        }
        return decision;
    }

    private static Decision CloseNotices(Decision decision, CaseFile s, string reason, DateTimeOffset now)
    {
        foreach (var notice in s.Notices.Where(n => n.Open))
            decision = decision.AndAppend(notice.NoticeId, NoticeLetter.Kind.Name, new NoticeClosed(notice.NoticeId, reason, now));
        return decision;
    }

    /// <summary>The window clerk of the case's centre, on a received case still waiting for notice or decision within its period.</summary>
    private static DomainError? AwaitingDecision(CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Status is not (CaseStatus.Received or CaseStatus.AwaitingCorrections))
            return NotAwaitingDecision(s);
        return NoticePeriodOver(s, desk, now);
    }

    /// <summary>Only a comprehensive-window clerk of the case's own centre (every window-side command).</summary>
    internal static DomainError? ClerkOfCentre(CaseFile s, Actor actor, Desk desk)
    {
        if (s.Status == CaseStatus.None)
            return DomainError.NotFound("case.not_found", "未找到该办件。");
        if (actor.Role != Role.Clerk)
            return DomainError.Forbidden("case.clerk_only", "只有综合窗口人员可以办理此操作。");
        if (desk.ActingCentreId != s.CentreId)
            return DomainError.Forbidden("case.other_centre", "该办件不属于本中心，只能办理本中心的办件。");
        return null;
    }

    private static DomainError? NoticePeriodOver(CaseFile s, Desk desk, DateTimeOffset now)
    {
        if (s.Status != CaseStatus.Received)
            return null;
        if (Deadline(desk, s.Receipt!.ReceivedAt, NoticePeriodWorkingDays) is not { } period)
            return CalendarMissing(desk, now);
        return now >= period.EndsAt
            ? DomainError.Rule("case.notice_period_over",
                $"收件已超过 {NoticePeriodWorkingDays} 个工作日（{period.Day:yyyy-MM-dd} 届满），依照{AcceptanceArticle}视为受理，由系统自动记录，不能再告知补正或不予受理。")
            : null;
    }

    private static DomainError NotAwaitingDecision(CaseFile s) =>
        DomainError.Rule("case.not_awaiting_decision", $"办件当前状态为{StatusName(s.Status)}，不能再作受理决定。");

    private static DomainError? ValidateMaterials(ServiceItemDefinition item, IReadOnlyList<ReceivedMaterial> materials)
    {
        if (materials.FirstOrDefault(m => item.Materials.All(x => x.Code != m.Code)) is { } stray)
            return DomainError.Validation("case.material_not_in_checklist", $"材料 {stray.Code} 不在该事项的材料清单中。");
        if (materials.GroupBy(m => m.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return DomainError.Validation("case.material_repeated", $"材料 {twice.Key} 重复登记。");
        if (materials.FirstOrDefault(m => m.State == MaterialState.NonConforming && string.IsNullOrWhiteSpace(m.Reason)) is { } unexplained)
            return DomainError.Validation("case.nonconforming_reason_required", $"材料 {unexplained.Code} 不符合要求时须写明原因。");
        if (materials.FirstOrDefault(m => m.State == MaterialState.Committed && !item.Materials.First(x => x.Code == m.Code).CommitmentAllowed) is { } committed)
            return DomainError.Validation("case.commitment_not_allowed", $"材料 {committed.Code} 不适用告知承诺，须提交原件或复印件。");
        return null;
    }

    private static (WorkingDeadline Promised, WorkingDeadline Statutory)? Dues(ServiceItemDefinition item, Desk desk, DateTimeOffset from) =>
        Deadline(desk, from, item.PromisedLimitWorkingDays) is { } promised && Deadline(desk, from, item.StatutoryLimitWorkingDays) is { } statutory
            ? (promised, statutory)
            : null;

    private static WorkingDeadline? Deadline(Desk desk, DateTimeOffset from, int workingDays)
    {
        try
        {
            return desk.Calendar.AddWorkingDays(from, workingDays);
        }
        catch (CalendarYearNotPublishedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The lines of a correction notice (at the window or from the back office) and the 二次告知 rule: a later
    /// notice may only concern materials submitted after the first notice; anything else is refused unless an
    /// override reason is given, and then recorded as a violation.
    /// </summary>
    internal static (List<NoticeItem>? Items, List<object>? Events, DomainError? Error) NoticeContent(
        CaseFile s, IReadOnlyList<NoticeLine>? requested, string? overrideReason, Guid noticeId, Actor actor, DateTimeOffset now, bool requireComplete)
    {
        var lines = requested ?? [];
        if (lines.Count == 0)
            return (null, null, DomainError.Validation("case.notice_empty", "一次性告知书须列明需要补正的材料。"));
        if (lines.GroupBy(l => l.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return (null, null, DomainError.Validation("case.material_repeated", $"材料 {twice.Key} 重复列出。"));
        if (lines.FirstOrDefault(l => s.Item.Materials.All(m => m.Code != l.Code)) is { } stray)
            return (null, null, DomainError.Validation("case.material_not_in_checklist", $"材料 {stray.Code} 不在该事项的材料清单中。"));

        var items = new List<NoticeItem>();
        foreach (var line in lines)
        {
            var material = s.Item.Materials.First(m => m.Code == line.Code);
            var state = s.StateOf(line.Code);
            var problem = state == MaterialState.Missing ? MaterialProblem.Missing : MaterialProblem.NonConforming;
            var recordedReason = s.Materials.FirstOrDefault(m => m.Code == line.Code)?.Reason;
            var reason = !string.IsNullOrWhiteSpace(line.Reason) ? line.Reason.Trim()
                : problem == MaterialProblem.Missing ? "未提交"
                : recordedReason ?? "";
            if (string.IsNullOrWhiteSpace(reason))
                return (null, null, DomainError.Validation("case.notice_reason_required", $"请写明“{material.Name}”需要补正的原因。"));
            var basis = string.IsNullOrWhiteSpace(line.LegalBasis) ? s.Item.LegalBasis : line.LegalBasis.Trim();
            items.Add(new NoticeItem(material.Code, material.Name, problem, reason, basis));
        }

        var events = new List<object>();
        if (s.Notices.Count == 0)
        {
            // One notice tells everything (DOMAIN.md §6): no required material may be left off the first one.
            if (requireComplete && s.UnmetRequired.FirstOrDefault(m => items.All(i => i.Code != m.Code)) is { } forgotten)
                return (null, null, DomainError.Rule("case.notice_incomplete", $"一次性告知书须列出全部缺少或不符合要求的材料，缺少：“{forgotten.Name}”。"));
        }
        else
        {
            var repeated = items.Where(i => !s.SubmittedSinceFirstNotice.Contains(i.Code)).ToList();
            if (repeated.Count > 0)
            {
                if (string.IsNullOrWhiteSpace(overrideReason))
                    return (null, null, DomainError.Rule("case.repeat_notice",
                        $"不得二次告知：{string.Join("、", repeated.Select(i => $"“{i.Name}”"))}在首次告知后未重新提交，应在首次告知时一并告知。如确需告知，请填写理由，系统将记录为二次告知。"));
                events.Add(new RepeatNoticeRecorded(s.Id, noticeId, repeated.Select(i => i.Code).ToList(), overrideReason.Trim(), actor.Id, actor.Name, now));
            }
        }
        return (items, events, null);
    }

    internal static DomainError CalendarMissing(Desk desk, DateTimeOffset now)
    {
        var year = WorkingCalendar.BeijingDate(now).Year;
        return desk.Calendar.Covers(new DateOnly(year, 1, 1), new DateOnly(year + 1, 12, 31)) ?? new CalendarYearNotPublishedException(year + 1).Error;
    }

    internal static DocumentStamp Stamp(DocumentKind kind, string number, Desk desk, DateOnly on) =>
        new(kind, number, desk.CentreName, $"{desk.CentreName}审批服务专用章", on);

    private static string Names(IEnumerable<Material> materials) => string.Join("、", materials.Select(m => $"“{m.Name}”"));

    public static string StatusName(CaseStatus status) => status switch
    {
        CaseStatus.Received => "已收件",
        CaseStatus.AwaitingCorrections => "待补正",
        CaseStatus.Accepted => "已受理",
        CaseStatus.AcceptedWithDeficiency => "容缺受理（待补齐）",
        CaseStatus.Completed => "已办结（即办）",
        CaseStatus.Rejected => "不予受理",
        CaseStatus.Terminated => "已终止",
        CaseStatus.Decided => "已办结",
        CaseStatus.ResultReady => "待取件",
        CaseStatus.Closed => "已出件",
        _ => "未收件",
    };
}
