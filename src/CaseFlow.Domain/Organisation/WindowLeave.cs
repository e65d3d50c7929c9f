using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Organisation;

// 去向留言 (whereabouts at the window): 四川方案 (6) "窗口工作人员不得擅自离开工作岗位，临时离开时，应将去向事由、
// 联系方式等在窗口进行公示" (issue 17; decision record Domain/Organisation/WindowLeave.md). A clerk's temporary
// leave from the window — minutes or hours; longer absences are declared on the AB post (AbsenceDeclared).
// One stream per clerk (kind "whereabouts"): at most one leave open at a time.

/// <summary>A clerk left the window for a while: reason, expected return and the contact shown on the window's screen.</summary>
public sealed record LeftWindow(
    Guid LeaveId, string StaffId, string StaffName, string CentreId, string WindowId, string WindowNumber, string Reason, DateTimeOffset ExpectedReturnAt,
    string Contact, Guid? PostId, string? StandInId, string? StandInName, string? SupervisorId, DateTimeOffset LeftAt);

/// <summary>The clerk is back at the window; <see cref="MinutesLate"/> &gt; 0 when after the expected return.</summary>
public sealed record ReturnedToWindow(Guid LeaveId, string StaffId, string WindowId, DateTimeOffset ExpectedReturnAt, int MinutesLate, DateTimeOffset ReturnedAt);

/// <summary>The expected return passed with the clerk still away: flagged to the supervisor, once per leave.</summary>
public sealed record WindowReturnOverdue(Guid LeaveId, string StaffId, string StaffName, string CentreId, string WindowId, DateTimeOffset ExpectedReturnAt, string? SupervisorId, DateTimeOffset FlaggedAt)
    : ISystemAnnotation;

/// <summary>What the host found: the window (of the clerk's own centre), the clerk's AB post and its other holder, the supervisor.</summary>
public sealed record LeaveDesk(string CentreId, string WindowId, string WindowNumber, Guid? PostId, string? StandInId, string? StandInName, string? SupervisorId);

public sealed record LeaveWindow(Guid LeaveId, string Reason, DateTimeOffset? ExpectedReturnAt, string? Contact);

public sealed record ReturnToWindow;

public sealed record FlagOverdueReturn;

public sealed record OpenLeave(Guid LeaveId, string WindowId, string CentreId, DateTimeOffset ExpectedReturnAt, string? SupervisorId, bool Flagged);

/// <summary>One clerk's whereabouts at the window, folded from their stream.</summary>
public sealed record WindowWhereabouts(string StaffId, string StaffName, OpenLeave? Open)
{
    /// <summary>The stream of a clerk's leaves: one per member of staff.</summary>
    public static Guid StreamIdFor(string staffId) => StableId.For("whereabouts", staffId);

    /// <summary>The longest temporary leave: anything longer is an absence on the AB post (请假 / 外出 / 下乡 / 会议).</summary>
    public static readonly TimeSpan LongestLeave = TimeSpan.FromHours(8);

    public static readonly StreamKind<WindowWhereabouts> Kind = new("whereabouts", new WindowWhereabouts("", "", null), (s, e) => e switch
    {
        LeftWindow l => new WindowWhereabouts(l.StaffId, l.StaffName, new OpenLeave(l.LeaveId, l.WindowId, l.CentreId, l.ExpectedReturnAt, l.SupervisorId, false)),
        ReturnedToWindow => s with { Open = null },
        WindowReturnOverdue => s with { Open = s.Open! with { Flagged = true } },
        _ => s,
    });

    public Decision Decide(LeaveWindow c, LeaveDesk desk, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Clerk)
            return DomainError.Forbidden("whereabouts.clerk_only", "去向留言由窗口工作人员本人登记。");
        if (Open is not null)
            return DomainError.Rule("whereabouts.already_away", "您已登记临时离开，请先登记返回窗口。");
        if (string.IsNullOrWhiteSpace(c.Reason))
            return DomainError.Validation("whereabouts.reason_required", "请写明去向事由（例如：到二楼档案室调取档案）。");
        if (string.IsNullOrWhiteSpace(c.Contact))
            return DomainError.Validation("whereabouts.contact_required", "请留下联系方式（将在窗口公示，请填写工作电话或分机）；没有联系方式不能临时离开窗口。");
        if (c.ExpectedReturnAt is not { } back || back <= now)
            return DomainError.Validation("whereabouts.expected_return_invalid", "请填写预计返回时间（须晚于现在）。");
        if (back - now > LongestLeave)
            return DomainError.Validation("whereabouts.leave_too_long", "临时离开最长 8 小时；更长的外出、请假、下乡或会议请在 AB 岗登记去向。");
        return Decision.Append(new LeftWindow(c.LeaveId, actor.Id, actor.Name, desk.CentreId, desk.WindowId, desk.WindowNumber, c.Reason.Trim(), back, c.Contact.Trim(),
            desk.PostId, desk.StandInId, desk.StandInName, desk.SupervisorId, now));
    }

    public Decision Decide(ReturnToWindow c, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Clerk || (StaffId.Length > 0 && actor.Id != StaffId))
            return DomainError.Forbidden("whereabouts.clerk_only", "去向留言由窗口工作人员本人登记。");
        if (Open is not { } open)
            return DomainError.Rule("whereabouts.not_away", "您没有登记临时离开。");
        var late = now > open.ExpectedReturnAt ? (int)Math.Ceiling((now - open.ExpectedReturnAt).TotalMinutes) : 0;
        return Decision.Append(new ReturnedToWindow(open.LeaveId, StaffId, open.WindowId, open.ExpectedReturnAt, late, now));
    }

    /// <summary>The sweeper: a leave past its expected return is flagged once.</summary>
    public Decision Decide(FlagOverdueReturn c, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "超时未返回由系统记录。");
        if (Open is not { } open || open.Flagged || now < open.ExpectedReturnAt)
            return DomainError.Rule("whereabouts.not_overdue", "没有超时未返回的去向留言。");
        return Decision.Append(new WindowReturnOverdue(open.LeaveId, StaffId, StaffName, open.CentreId, open.WindowId, open.ExpectedReturnAt, open.SupervisorId, now));
    }
}
