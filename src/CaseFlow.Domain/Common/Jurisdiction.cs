namespace CaseFlow.Domain.Common;

/// <summary>
/// Where a member of staff works, as their (validated) token says: their centre, department and region
/// (DOMAIN.md §1). A role that needs one of these and lacks it is refused, never widened (issue 13).
/// </summary>
public sealed record StaffPlace(string StaffId, Role Role, string? CentreId, string? DepartmentId, string? RegionCode)
{
    public static StaffPlace System { get; } = new("system", Role.System, null, null, null);
}

/// <summary>
/// Where a case lies: its accepting centre and that centre's region, the departments that have a part of it, the
/// village agent who submitted it, and the staff who received it or hold a part.
/// </summary>
public sealed record CaseLocation(string CentreId, string? RegionCode, IReadOnlyCollection<string> DepartmentIds, string? AgentId, IReadOnlyCollection<string> Involved);

/// <summary>What someone wants to do with a case; each is allowed to some roles within some jurisdiction.</summary>
public enum CaseAccess
{
    /// <summary>Open the case view and its documents.</summary>
    Read,
    /// <summary>办件全过程: supervisors of the region, staff who acted on or hold it, departments with a part.</summary>
    Timeline,
    /// <summary>Acceptance, hand-out, rating, resubmission, 办不成事: the clerks of the case's centre.</summary>
    WindowWork,
    /// <summary>Claim, steps, decision, result, clock stops, correction, extension: a department with a part.</summary>
    DepartmentWork,
    /// <summary>Move a part to another holder: the head of a department with a part, supervisors of the region.</summary>
    Reassign,
    /// <summary>督办 and 问责: supervisors of the region.</summary>
    Supervise,
    /// <summary>Answer a 督办 order: the case's window (clerks of its centre) or a department with a part.</summary>
    AnswerOrder,
    /// <summary>差评 return visit, rectification, appeal: clerks of the centre, supervisors of the region.</summary>
    RatingFollowUp,
}

/// <summary>
/// Jurisdiction as a rule of the domain (issue 13): one decision, for every command and every read on a case, of
/// who may act — clerks within their centre, approvers and heads within the departments that have a part,
/// supervisors within their region subtree (GB/T 2260), agents on their own submissions. The host builds the
/// two places from the token and the case and calls <see cref="Check"/>; nothing else decides it.
/// </summary>
public static class Jurisdiction
{
    public static readonly DomainError OtherCentre = DomainError.Forbidden("case.other_centre", "该办件不属于本中心，只能办理本中心的办件。");
    public static readonly DomainError OtherDepartment = DomainError.Forbidden("case.other_department", "该办件不属于本部门，只能办理本部门的办件。");
    public static readonly DomainError OutsideRegion = DomainError.Forbidden("supervision.outside_jurisdiction", "只能查看本人监察范围（本级及下级区划）内的办件。");
    public static readonly DomainError NotOwnSubmission = DomainError.Forbidden("case.not_own_submission", "代办员只能查看本人代办的办件。");
    public static readonly DomainError NotInvolved = DomainError.Forbidden("timeline.not_involved", "只有经办该件的人员、承办部门和本区域的监督人员可以查看办件全过程。");
    public static readonly DomainError RoleNotAllowed = DomainError.Forbidden("case.role_not_allowed", "您的角色不能对该办件进行此项操作。");

    /// <summary>The refusal for a token that lacks what its role's jurisdiction is measured by; null when complete.</summary>
    public static DomainError? MissingClaim(StaffPlace who)
    {
        var missing = who.Role switch
        {
            Role.Clerk or Role.Agent => Blank(who.CentreId) ? "所属服务中心" : null,
            Role.Approver or Role.DepartmentHead => Blank(who.DepartmentId) ? "所属部门" : Blank(who.CentreId) ? "所属服务中心" : null,
            Role.Supervisor => Blank(who.RegionCode) ? "监察区划" : null,
            _ => null,
        };
        return missing is null ? null : DomainError.Forbidden("auth.claim_missing", $"登录凭据缺少{missing}，不能确定您的办理范围；请重新登录或联系管理员。");
    }

    /// <summary>Null when <paramref name="who"/> may do <paramref name="access"/> on the case; otherwise the refusal.</summary>
    public static DomainError? Check(StaffPlace who, CaseLocation @case, CaseAccess access)
    {
        if (who.Role == Role.System)
            return null;
        if (MissingClaim(who) is { } missing)
            return missing;
        var involved = @case.Involved.Contains(who.StaffId);
        return (who.Role, access) switch
        {
            (Role.Clerk, CaseAccess.Read or CaseAccess.WindowWork or CaseAccess.AnswerOrder or CaseAccess.RatingFollowUp) =>
                who.CentreId == @case.CentreId ? null : OtherCentre,
            (Role.Clerk, CaseAccess.Timeline) => involved ? null : NotInvolved,
            (Role.Agent, CaseAccess.Read or CaseAccess.WindowWork or CaseAccess.Timeline) =>
                @case.AgentId == who.StaffId ? null : NotOwnSubmission,
            (Role.Approver or Role.DepartmentHead, CaseAccess.Read or CaseAccess.DepartmentWork or CaseAccess.AnswerOrder) =>
                HasPart(who, @case) ? null : OtherDepartment,
            (Role.Approver or Role.DepartmentHead, CaseAccess.Timeline) => HasPart(who, @case) || involved ? null : NotInvolved,
            (Role.DepartmentHead, CaseAccess.Reassign) => HasPart(who, @case) ? null : OtherDepartment,
            (Role.Supervisor, CaseAccess.Read or CaseAccess.Timeline or CaseAccess.Reassign or CaseAccess.Supervise or CaseAccess.RatingFollowUp) =>
                InSubtree(@case.RegionCode, who.RegionCode!) ? null : OutsideRegion,
            _ => RoleNotAllowed,
        };
    }

    /// <summary>Whether a region lies in the subtree of <paramref name="supervisorRegion"/> (never true for an unknown region).</summary>
    public static bool InSubtree(string? region, string supervisorRegion) =>
        !string.IsNullOrEmpty(region) && !Blank(supervisorRegion) && region.StartsWith(Subtree(supervisorRegion), StringComparison.Ordinal);

    /// <summary>The prefix a region code's subtree shares (GB/T 2260 12-digit: 2 province, 2 city, 2 county, 3 township, 3 village).</summary>
    public static string Subtree(string region)
    {
        var code = region.Trim();
        if (code.Length != 12 || !code.All(char.IsAsciiDigit))
            return code;
        if (code[2..] == "0000000000")
            return code[..2];
        if (code[4..] == "00000000")
            return code[..4];
        if (code[6..] == "000000")
            return code[..6];
        return code[9..] == "000" ? code[..9] : code;
    }

    private static bool HasPart(StaffPlace who, CaseLocation @case) => who.DepartmentId is { } d && @case.DepartmentIds.Contains(d);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
