using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Organisation;

/// <summary>去向 (whereabouts) of an absent member of staff.</summary>
public enum Whereabouts
{
    Leave,       // 请假
    Out,         // 外出
    Countryside, // 下乡
    Meeting,     // 会议
}

/// <summary>A post with an A holder and a B holder (AB岗) was created.</summary>
public sealed record PostCreated(Guid PostId, Guid CentreId, string Name, string AHolderId, string AHolderName, string BHolderId, string BHolderName, string CreatedById, DateTimeOffset CreatedAt);

/// <summary>A holder declared an absence with whereabouts and a time range.</summary>
public sealed record AbsenceDeclared(Guid PostId, Guid AbsenceId, string HolderId, Whereabouts Whereabouts, DateTimeOffset From, DateTimeOffset To, string? Note, string DeclaredById, DateTimeOffset DeclaredAt);

public sealed record CreatePost(Guid PostId, Guid CentreId, string Name, string AHolderId, string AHolderName, string BHolderId, string BHolderName);

public sealed record DeclareAbsence(Guid AbsenceId, string HolderId, Whereabouts Whereabouts, DateTimeOffset From, DateTimeOffset To, string? Note);

public sealed record Absence(string HolderId, DateTimeOffset From, DateTimeOffset To);

/// <summary>An AB post: "A and B may not both be absent; a post with nobody present is never allowed" (DOMAIN.md §2).</summary>
public sealed record Post(Guid Id, string? AHolderId, string? BHolderId, IReadOnlyList<Absence> Absences)
{
    public static readonly StreamKind<Post> Kind = new("post", new Post(Guid.Empty, null, null, []), Evolve);

    public static Post Evolve(Post s, object e) => e switch
    {
        PostCreated x => new Post(x.PostId, x.AHolderId, x.BHolderId, []),
        AbsenceDeclared x => s with { Absences = [.. s.Absences, new Absence(x.HolderId, x.From, x.To)] },
        _ => s,
    };

    public static Decision Decide(CreatePost c, Post s, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return OrganisationRules.AdminOnly;
        if (s.AHolderId is not null)
            return DomainError.Rule("organisation.post_exists", "该岗位已存在。");
        if (string.IsNullOrWhiteSpace(c.AHolderId) || string.IsNullOrWhiteSpace(c.BHolderId) || c.AHolderId == c.BHolderId)
            return DomainError.Validation("organisation.ab_holders_required", "AB岗须指定两名不同的人员分别为 A 岗和 B 岗。");
        return Decision.Append(new PostCreated(c.PostId, c.CentreId, c.Name.Trim(), c.AHolderId, c.AHolderName, c.BHolderId, c.BHolderName, actor.Id, now));
    }

    /// <summary>Staff declare their own absence; an administrator or department head may declare for them.</summary>
    public static Decision Decide(DeclareAbsence c, Post s, Actor actor, DateTimeOffset now)
    {
        if (s.AHolderId is null)
            return DomainError.NotFound("organisation.post_not_found", "未找到该岗位。");
        if (c.HolderId != s.AHolderId && c.HolderId != s.BHolderId)
            return DomainError.Validation("organisation.not_a_holder", "该人员不是本岗位的 A 岗或 B 岗。");
        if (actor.Id != c.HolderId && actor.Role is not (Role.Admin or Role.DepartmentHead))
            return DomainError.Forbidden("organisation.absence_not_yours", "只能登记本人的去向（管理员或部门负责人可代为登记）。");
        if (c.To <= c.From)
            return DomainError.Validation("organisation.absence_range_invalid", "去向的结束时间须晚于开始时间。");
        var other = c.HolderId == s.AHolderId ? s.BHolderId : s.AHolderId;
        var clash = s.Absences.FirstOrDefault(a => a.HolderId == other && a.From < c.To && c.From < a.To);
        if (clash is not null)
            return DomainError.Rule("organisation.post_uncovered",
                $"AB岗不能同时缺岗：另一岗位人员在 {clash.From.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 至 {clash.To.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 已不在岗。");
        return Decision.Append(new AbsenceDeclared(s.Id, c.AbsenceId, c.HolderId, c.Whereabouts, c.From, c.To, c.Note, actor.Id, now));
    }
}
