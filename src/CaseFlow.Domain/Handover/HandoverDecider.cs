using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Identity;

namespace CaseFlow.Domain.Handover;

public sealed record ChooseDelivery(DeliveryMethod Method, string? Address);

/// <summary>The person at the window; an authorised person brings the applicant's written authorisation.</summary>
public sealed record HandOutResult(string ReceiverName, string ReceiverIdNumber, WrittenAuthorisation? Authorisation);

public sealed record MailResult(string Carrier, string WaybillNumber, string? Address);

public sealed record RecordMailDelivery(DateOnly DeliveredOn);

public sealed record RateService(RatingLevel Level, Channel Channel, string? Details, bool Named);

public sealed record RecordDefaultRating;

public sealed record RecordReturnVisit(string Summary);

public sealed record CompleteRectification(string Measures);

public sealed record VoidRating(string Reason);

public sealed record RemindPickup;

/// <summary>
/// 好差评 settings (DOMAIN.md §6, configurable): the default level and after how many natural days it is
/// recorded, and the working days for the return visit and the rectification of a named bad rating.
/// </summary>
public sealed record RatingPolicy(RatingLevel DefaultLevel = RatingLevel.Basic, int DefaultAfterNaturalDays = 7, int ReturnVisitWorkingDays = 3, int RectificationWorkingDays = 15);

/// <summary>One result's way out of the window (DOMAIN.md §4 "pickup stream").</summary>
public sealed record PickupFile(Guid Id, Guid CaseId, DateTimeOffset DeliveredAt, int Reminders, bool Completed)
{
    public static Guid StreamIdFor(Guid caseId) => StableId.For("pickup", caseId.ToString());

    public static readonly StreamKind<PickupFile> Kind = new("pickup", new PickupFile(Guid.Empty, Guid.Empty, default, 0, false), (s, e) => e switch
    {
        ResultDeliveredToWindow d => new PickupFile(d.PickupId, d.CaseId, d.DeliveredAt, 0, false),
        PickupReminderSent r => s with { Reminders = r.Number },
        PickupCompleted => s with { Completed = true },
        _ => s,
    });

    /// <summary>Reminders for an uncollected result: 3, 6 and 9 working days after it reached the window.</summary>
    public const int ReminderEveryWorkingDays = 3;

    public const int MaxReminders = 3;

    public Decision Decide(RemindPickup c, Actor actor, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "取件提醒由系统发送。");
        if (Id == Guid.Empty || Completed || Reminders >= MaxReminders)
            return DomainError.Rule("pickup.no_reminder_due", "无需提醒。");
        if (now < calendar.AddWorkingDays(DeliveredAt, ReminderEveryWorkingDays * (Reminders + 1)).EndsAt.AddDays(-1))
            return DomainError.Rule("pickup.no_reminder_due", "尚未到提醒时间。");
        return Decision.Append(new PickupReminderSent(Id, CaseId, Reminders + 1, now));
    }
}

/// <summary>统一出件 and 好差评 (issue 7; DOMAIN.md §6, §7).</summary>
public static class HandoverDecider
{
    /// <summary>
    /// On the way to the window: the pickup stream starts with the due date, 10 working days from the decision
    /// (行政许可法 Art. 44 counts from the decision, not from the result's registration) — the board's pickup
    /// deadline is the same (<see cref="Deadlines.DeadlineEngine"/>; issue 16).
    /// </summary>
    public static Decision SendToWindow(Decision decision, CaseFile s, Desk desk, DateTimeOffset decidedAt, DateTimeOffset now)
    {
        var pickupId = PickupFile.StreamIdFor(s.Id);
        var due = Deadlines.DeadlineEngine.PickupDue(desk.Calendar, decidedAt);
        return decision.AndStart(pickupId, PickupFile.Kind.Name, new ResultDeliveredToWindow(pickupId, s.Id, s.CentreId, s.Receipt!.WindowId, due.Day, now));
    }

    public static Decision Decide(ChooseDelivery c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Closure is not null || s.Handover.Mailed is not null)
            return DomainError.Rule("pickup.already_out", "结果已发出，不能再更改领取方式。");
        if (c.Method == DeliveryMethod.Mail && string.IsNullOrWhiteSpace(c.Address))
            return DomainError.Validation("pickup.address_required", "邮寄送达须填写收件地址。");
        return Decision.Append(new DeliveryPreferenceChosen(s.Id, c.Method, c.Address?.Trim(), actor.Id, now));
    }

    public static Decision Decide(HandOutResult c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (Ready(s, actor, desk) is { } error)
            return error;
        if (string.IsNullOrWhiteSpace(c.ReceiverName) || !ResidentIdNumber.IsValid(c.ReceiverIdNumber))
            return DomainError.Validation("pickup.receiver_identity_invalid", "请核验领取人身份：姓名和有效的居民身份证号码。");
        var applicant = s.Receipt!.Applicant;
        var byApplicant = applicant.Kind == ApplicantKind.Person
            && string.Equals(applicant.ResidentIdNumber, c.ReceiverIdNumber.Trim(), StringComparison.OrdinalIgnoreCase)
            && applicant.Name == c.ReceiverName.Trim();
        if (!byApplicant && (c.Authorisation is not { } auth || string.IsNullOrWhiteSpace(auth.Reference) || auth.GrantorName != applicant.Name))
            return DomainError.Rule("pickup.receiver_not_authorised",
                $"领取人不是申请人本人，须出示{applicant.Name}签署的委托书（委托人须为申请人），并核验领取人身份证。");
        var handedOut = new ResultHandedOut(s.Id, c.ReceiverName.Trim(), c.ReceiverIdNumber.Trim().ToUpperInvariant(), byApplicant, byApplicant ? null : c.Authorisation,
            actor.Id, actor.Name, now);
        var pickupId = PickupFile.StreamIdFor(s.Id);
        return Decision.Append(handedOut, new CaseClosed(s.Id, "handed_out", now))
            .AndAppend(pickupId, PickupFile.Kind.Name, new PickupCompleted(pickupId, DeliveryMethod.Pickup, now));
    }

    public static Decision Decide(MailResult c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (Ready(s, actor, desk) is { } error)
            return error;
        var address = string.IsNullOrWhiteSpace(c.Address) ? s.Handover.Preference?.Address : c.Address.Trim();
        if (string.IsNullOrWhiteSpace(c.Carrier) || string.IsNullOrWhiteSpace(c.WaybillNumber) || string.IsNullOrWhiteSpace(address))
            return DomainError.Validation("pickup.mail_incomplete", "邮寄须登记承运单位、运单号和收件地址。");
        var pickupId = PickupFile.StreamIdFor(s.Id);
        return Decision.Append(new ResultMailed(s.Id, c.Carrier.Trim(), c.WaybillNumber.Trim(), address, actor.Id, actor.Name, now))
            .AndAppend(pickupId, PickupFile.Kind.Name, new PickupCompleted(pickupId, DeliveryMethod.Mail, now));
    }

    public static Decision Decide(RecordMailDelivery c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Handover.Mailed is not { } mailed || s.Closure is not null)
            return DomainError.Rule("pickup.not_mailed", "该办件结果未邮寄或已办结。");
        if (c.DeliveredOn < WorkingCalendar.BeijingDate(mailed.MailedAt) || c.DeliveredOn > WorkingCalendar.BeijingDate(now))
            return DomainError.Validation("pickup.delivery_date_invalid", "送达日期须在寄出日期之后、且不晚于今天。");
        return Decision.Append(new MailDeliveryRecorded(s.Id, c.DeliveredOn, actor.Id, now), new CaseClosed(s.Id, "mail_delivered", now));
    }

    public static Decision Decide(RateService c, CaseFile s, Actor actor, Desk desk, RatingPolicy policy, DateTimeOffset now)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Closure is null && s.Handover.Mailed is null)
            return DomainError.Rule("rating.not_yet", "办理结果交付后方可评价。");
        if (s.Handover.Rated)
            return DomainError.Rule("rating.already_rated", "本轮已评价，每件每轮只能评价一次。");
        // The applicant rates at the window's evaluator, online or at a terminal; a rating never comes from staff channels (issue 13).
        if (c.Channel is not (Channel.Window or Channel.Online or Channel.SelfServiceTerminal))
            return DomainError.Validation("rating.channel_invalid", "评价渠道只能是窗口评价器（Window）、网上（Online）或自助终端（SelfServiceTerminal）。");
        var bad = c.Level is RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied;
        if (bad && string.IsNullOrWhiteSpace(c.Details))
            return DomainError.Validation("rating.details_required", "“不满意”或“非常不满意”须写明具体问题。");
        var round = s.Handover.Round;
        var rated = new ServiceRated(s.Id, round, c.Level, c.Channel, c.Details?.Trim(), c.Named, actor.Id, now);
        if (!bad || !c.Named)
            return Decision.Append(rated);
        return Decision.Append(rated, new RectificationOpened(s.Id, round,
            desk.Calendar.AddWorkingDays(now, policy.ReturnVisitWorkingDays), desk.Calendar.AddWorkingDays(now, policy.RectificationWorkingDays), now));
    }

    public static Decision Decide(RecordDefaultRating c, CaseFile s, Actor actor, RatingPolicy policy, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "默认评价由系统记录。");
        var deliveredAt = s.Handover.HandedOut?.HandedOutAt ?? s.Handover.Mailed?.MailedAt;
        if (deliveredAt is null || s.Handover.Rated)
            return DomainError.Rule("rating.no_default_due", "无需默认评价。");
        if (now < deliveredAt.Value.AddDays(policy.DefaultAfterNaturalDays))
            return DomainError.Rule("rating.no_default_due", "评价期限未满。");
        return Decision.Append(new DefaultRatingRecorded(s.Id, s.Handover.Round, policy.DefaultLevel, policy.DefaultAfterNaturalDays, now));
    }

    public static Decision Decide(RecordReturnVisit c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role is not (Role.Supervisor or Role.Clerk))
            return DomainError.Forbidden("rating.rectification_staff_only", "回访和整改由窗口或督查人员登记。");
        if (s.Handover.Rectification is null || s.Handover.ReturnVisit is not null)
            return DomainError.Rule("rating.no_return_visit_due", "该办件没有待回访的差评。");
        if (string.IsNullOrWhiteSpace(c.Summary))
            return DomainError.Validation("rating.summary_required", "请填写回访情况。");
        return Decision.Append(new ReturnVisitRecorded(s.Id, s.Handover.Round, c.Summary.Trim(), actor.Id, actor.Name, now));
    }

    public static Decision Decide(CompleteRectification c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role is not (Role.Supervisor or Role.Clerk))
            return DomainError.Forbidden("rating.rectification_staff_only", "回访和整改由窗口或督查人员登记。");
        if (s.Handover.ReturnVisit is null || s.Handover.Rectified is not null)
            return DomainError.Rule("rating.no_rectification_due", "须先完成回访，且整改尚未完成。");
        if (string.IsNullOrWhiteSpace(c.Measures))
            return DomainError.Validation("rating.measures_required", "请填写整改措施。");
        return Decision.Append(new RectificationCompleted(s.Id, s.Handover.Round, c.Measures.Trim(), actor.Id, actor.Name, now));
    }

    public static Decision Decide(VoidRating c, CaseFile s, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role != Role.Supervisor)
            return DomainError.Forbidden("rating.void_supervisor_only", "申诉复核由督查人员办理。");
        if (!s.Handover.Rated)
            return DomainError.Rule("rating.nothing_to_void", "本轮尚无评价。");
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("rating.void_reason_required", "请写明作废理由（误评或恶意差评的依据）。");
        return Decision.Append(new RatingVoided(s.Id, s.Handover.Round, c.Reason.Trim(), actor.Id, actor.Name, now));
    }

    private static DomainError? Ready(CaseFile s, Actor actor, Desk desk)
    {
        if (CaseDecider.ClerkOfCentre(s, actor, desk) is { } denied)
            return denied;
        if (s.Status != CaseStatus.ResultReady || s.Handover.Mailed is not null)
            return DomainError.Rule("pickup.not_ready", $"办件当前状态为{CaseDecider.StatusName(s.Status)}，没有待领取的结果。");
        if (s.Outstanding.Count > 0)
            return DomainError.Rule("pickup.deficiency_outstanding",
                $"容缺材料尚未补齐，不能发放结果：{string.Join("、", s.Outstanding.Select(d => d.Name))}。");
        return null;
    }

}
