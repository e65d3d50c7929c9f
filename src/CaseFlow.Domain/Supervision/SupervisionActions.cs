using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Supervision;

/// <summary>督办: a supervisor ordered the case handled by a due date; missing it escalates (红牌).</summary>
public sealed record SupervisionOrdered(Guid CaseId, Guid OrderId, string Instruction, DateOnly DueOn, string SupervisorId, string SupervisorName, string RegionId, DateTimeOffset OrderedAt);

/// <summary>The unit under supervision answered the order.</summary>
public sealed record SupervisionAnswered(Guid CaseId, Guid OrderId, string Answer, string ById, string ByName, DateTimeOffset AnsweredAt);

/// <summary>The supervision order's due date passed unanswered: escalated (红牌).</summary>
public sealed record SupervisionEscalated(Guid CaseId, Guid OrderId, DateOnly DueOn, DateTimeOffset EscalatedAt) : ISystemAnnotation;

public enum AccountabilityMeasure
{
    /// <summary>提醒</summary>
    Reminder,
    /// <summary>约谈</summary>
    Interview,
    /// <summary>通报批评</summary>
    PublicCriticism,
    /// <summary>责令整改</summary>
    OrderedRectification,
}

/// <summary>问责: a record against a person or a department, with the facts (event ids of the case) it rests on.</summary>
public sealed record AccountabilityOpened(
    Guid CaseId, Guid RecordId, string TargetKind, string TargetId, string TargetName, AccountabilityMeasure Measure, string Facts, IReadOnlyList<Guid> EvidenceEventIds,
    string SupervisorId, string SupervisorName, DateTimeOffset OpenedAt);

public sealed record AccountabilityConcluded(Guid CaseId, Guid RecordId, string Outcome, string SupervisorId, string SupervisorName, DateTimeOffset ConcludedAt);

public sealed record OrderSupervision(Guid OrderId, string Instruction, DateOnly DueOn, string RegionId);

public sealed record AnswerSupervision(Guid OrderId, string Answer);

public sealed record EscalateSupervision(Guid OrderId);

public sealed record OpenAccountability(Guid RecordId, string TargetKind, string TargetId, string TargetName, AccountabilityMeasure Measure, string Facts, IReadOnlyList<Guid> EvidenceEventIds);

public sealed record ConcludeAccountability(Guid RecordId, string Outcome);

/// <summary>Supervision on the case's own stream, so it is on the timeline (issue 8).</summary>
public sealed record SupervisionOnFile(IReadOnlyList<SupervisionOrdered> Orders, IReadOnlyList<Guid> Answered, IReadOnlyList<Guid> Escalated,
    IReadOnlyList<AccountabilityOpened> Records, IReadOnlyList<Guid> Concluded)
{
    public static readonly SupervisionOnFile None = new([], [], [], [], []);

    public static SupervisionOnFile Evolve(SupervisionOnFile s, object e) => e switch
    {
        SupervisionOrdered o => s with { Orders = [.. s.Orders, o] },
        SupervisionAnswered a => s with { Answered = [.. s.Answered, a.OrderId] },
        SupervisionEscalated x => s with { Escalated = [.. s.Escalated, x.OrderId] },
        AccountabilityOpened r => s with { Records = [.. s.Records, r] },
        AccountabilityConcluded c => s with { Concluded = [.. s.Concluded, c.RecordId] },
        _ => s,
    };
}

public static class SupervisionDecider
{
    public static Decision Decide(OrderSupervision c, CaseFile s, Actor actor, DateTimeOffset now)
    {
        if (Supervisor(s, actor) is { } denied)
            return denied;
        if (string.IsNullOrWhiteSpace(c.Instruction))
            return DomainError.Validation("supervision.instruction_required", "请写明督办要求。");
        if (c.DueOn <= WorkingCalendar.BeijingDate(now))
            return DomainError.Validation("supervision.due_invalid", "督办期限须晚于今天。");
        return Decision.Append(new SupervisionOrdered(s.Id, c.OrderId, c.Instruction.Trim(), c.DueOn, actor.Id, actor.Name, c.RegionId, now));
    }

    public static Decision Decide(AnswerSupervision c, CaseFile s, Actor actor, DateTimeOffset now)
    {
        if (s.Supervision.Orders.All(o => o.OrderId != c.OrderId))
            return DomainError.NotFound("supervision.order_not_found", "未找到该督办单。");
        if (actor.Role is not (Role.Clerk or Role.Approver or Role.DepartmentHead))
            return DomainError.Forbidden("supervision.answer_staff_only", "督办由被督办的窗口或部门答复。");
        if (s.Supervision.Answered.Contains(c.OrderId))
            return DomainError.Rule("supervision.already_answered", "该督办单已答复。");
        if (string.IsNullOrWhiteSpace(c.Answer))
            return DomainError.Validation("supervision.answer_required", "请填写办理情况。");
        return Decision.Append(new SupervisionAnswered(s.Id, c.OrderId, c.Answer.Trim(), actor.Id, actor.Name, now));
    }

    public static Decision Decide(EscalateSupervision c, CaseFile s, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "督办超期由系统记录。");
        var order = s.Supervision.Orders.FirstOrDefault(o => o.OrderId == c.OrderId);
        if (order is null || s.Supervision.Answered.Contains(c.OrderId) || s.Supervision.Escalated.Contains(c.OrderId) || now < WorkingCalendar.EndOf(order.DueOn))
            return DomainError.Rule("supervision.not_due", "督办单未超期。");
        return Decision.Append(new SupervisionEscalated(s.Id, c.OrderId, order.DueOn, now));
    }

    public static Decision Decide(OpenAccountability c, CaseFile s, IReadOnlySet<Guid> caseEventIds, Actor actor, DateTimeOffset now)
    {
        if (Supervisor(s, actor) is { } denied)
            return denied;
        if (c.TargetKind is not ("Person" or "Department") || string.IsNullOrWhiteSpace(c.TargetId) || string.IsNullOrWhiteSpace(c.TargetName))
            return DomainError.Validation("accountability.target_required", "请指定问责对象（人员或部门）。");
        if (string.IsNullOrWhiteSpace(c.Facts))
            return DomainError.Validation("accountability.facts_required", "请写明问责事实。");
        var evidence = c.EvidenceEventIds ?? [];
        if (evidence.Count == 0 || evidence.Any(id => !caseEventIds.Contains(id)))
            return DomainError.Validation("accountability.evidence_invalid", "请引用本办件办理经过中的记录作为事实依据。");
        return Decision.Append(new AccountabilityOpened(s.Id, c.RecordId, c.TargetKind, c.TargetId, c.TargetName, c.Measure, c.Facts.Trim(), evidence, actor.Id, actor.Name, now));
    }

    public static Decision Decide(ConcludeAccountability c, CaseFile s, Actor actor, DateTimeOffset now)
    {
        if (Supervisor(s, actor) is { } denied)
            return denied;
        if (s.Supervision.Records.All(r => r.RecordId != c.RecordId) || s.Supervision.Concluded.Contains(c.RecordId))
            return DomainError.Rule("accountability.not_open", "没有待办结的问责记录。");
        if (string.IsNullOrWhiteSpace(c.Outcome))
            return DomainError.Validation("accountability.outcome_required", "请填写问责处理结果。");
        return Decision.Append(new AccountabilityConcluded(s.Id, c.RecordId, c.Outcome.Trim(), actor.Id, actor.Name, now));
    }

    private static DomainError? Supervisor(CaseFile s, Actor actor)
    {
        if (s.Status == CaseStatus.None)
            return DomainError.NotFound("case.not_found", "未找到该办件。");
        return actor.Role == Role.Supervisor ? null : DomainError.Forbidden("supervision.supervisor_only", "只有监察人员可以督办或问责。");
    }
}
