using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Inquiries;

public enum InquiryStatus
{
    None,
    Open,
    Answered,
    Referred,
    TakenIn,
}

/// <summary>State of one first inquiry, folded from its stream.</summary>
public sealed record Inquiry(Guid Id, InquiryStatus Status, string OwnerId, string CentreId)
{
    public static readonly Inquiry Empty = new(Guid.Empty, InquiryStatus.None, "", "");

    public static readonly StreamKind<Inquiry> Kind = new("inquiry", Empty, Evolve);

    public static Inquiry Evolve(Inquiry state, object @event) => @event switch
    {
        InquiryRegistered e => new Inquiry(e.InquiryId, InquiryStatus.Open, e.OwnerId, e.CentreId),
        InquiryAnswered => state with { Status = InquiryStatus.Answered },
        InquiryReferred => state with { Status = InquiryStatus.Referred },
        InquiryTakenInAsCase => state with { Status = InquiryStatus.TakenIn },
        _ => state,
    };
}

public sealed record RegisterInquiry(
    Guid InquiryId,
    string EnquirerName,
    string? EnquirerPhone,
    string Topic,
    string? ServiceItemCode,
    Channel Channel);

public sealed record AnswerInquiry(Guid InquiryId, string Answer);

public sealed record ReferInquiry(
    Guid InquiryId,
    string? TargetWindowId,
    string? TargetPersonId,
    string? TargetPersonName,
    string Reason,
    string? OverrideReason);

/// <summary>Pure decisions over an inquiry: <c>Decide(command, state, actor, now) → events | error</c>.</summary>
public static class InquiryDecider
{
    public static Decision Decide(RegisterInquiry c, Inquiry state, Actor actor, DateTimeOffset now)
    {
        if (state.Status != InquiryStatus.None)
            return DomainError.Rule("inquiry.already_registered", "该首问登记已存在，请勿重复登记。");
        if (actor.Role is not (Role.Clerk or Role.Agent))
            return DomainError.Forbidden("inquiry.clerk_only", "只有窗口工作人员或代办员可以登记首问。");
        if (string.IsNullOrWhiteSpace(c.EnquirerName))
            return DomainError.Validation("inquiry.enquirer_name_required", "请填写咨询人姓名。");
        if (string.IsNullOrWhiteSpace(c.Topic))
            return DomainError.Validation("inquiry.topic_required", "请填写咨询事项或问题。");
        if (c.EnquirerPhone is { Length: > 0 } phone && !Identity.PhoneNumber.IsValid(phone))
            return DomainError.Validation("identity.phone_invalid", "联系电话格式不正确，应为11位手机号码或带区号的固定电话。");

        return Decision.Append(new InquiryRegistered(
            c.InquiryId, c.EnquirerName.Trim(), c.EnquirerPhone, c.Topic.Trim(), c.ServiceItemCode, c.Channel,
            actor.Id, actor.Name, actor.UnitId, now));
    }

    public static Decision Decide(AnswerInquiry c, Inquiry state, Actor actor, DateTimeOffset now)
    {
        if (OwnershipError(state, actor) is { } error)
            return error;
        if (string.IsNullOrWhiteSpace(c.Answer))
            return DomainError.Validation("inquiry.answer_required", "请填写答复内容。");
        return Decision.Append(new InquiryAnswered(state.Id, c.Answer.Trim(), actor.Id, actor.Name, now));
    }

    /// <summary>首问负责: a referral names the target window and person (DOMAIN.md §6), or is recorded as a violation.</summary>
    public static Decision Decide(ReferInquiry c, Inquiry state, Actor actor, DateTimeOffset now)
    {
        if (OwnershipError(state, actor) is { } error)
            return error;
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("inquiry.referral_reason_required", "请填写转办原因。");

        var named = !string.IsNullOrWhiteSpace(c.TargetWindowId) && !string.IsNullOrWhiteSpace(c.TargetPersonId);
        if (!named && string.IsNullOrWhiteSpace(c.OverrideReason))
            return DomainError.Rule(
                "inquiry.referral_target_required",
                "首问负责制：转办必须写明接办窗口和接办人。确需转办的，请填写说明，系统将记录为未指明接办人的转办。");

        var reason = named ? c.Reason.Trim() : $"{c.Reason.Trim()}（未指明接办人说明：{c.OverrideReason!.Trim()}）";
        return Decision.Append(new InquiryReferred(
            state.Id, c.TargetWindowId, c.TargetPersonId, c.TargetPersonName, reason, !named, actor.Id, actor.Name, now));
    }

    /// <summary>
    /// The owner takes the inquiry in as a case (首问 ends in 收件): called by the case's receipt, which appends the
    /// event to the inquiry in the same transaction.
    /// </summary>
    public static Decision TakeInAsCase(Inquiry state, Guid caseId, Actor actor, DateTimeOffset now)
    {
        if (OwnershipError(state, actor) is { } error)
            return error;
        return Decision.Append(new InquiryTakenInAsCase(state.Id, caseId, actor.Id, now));
    }

    private static DomainError? OwnershipError(Inquiry state, Actor actor)
    {
        if (state.Status == InquiryStatus.None)
            return DomainError.NotFound("inquiry.not_found", "未找到该首问登记。");
        if (state.Status != InquiryStatus.Open)
            return DomainError.Rule("inquiry.closed", "该首问已办结（已答复、已转办或已收件），不能再操作。");
        if (state.OwnerId != actor.Id)
            return DomainError.Forbidden("inquiry.not_owner", "首问负责制：只有首问责任人本人可以答复或转办。");
        return null;
    }
}
