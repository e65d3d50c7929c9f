using System.Security.Claims;
using CaseFlow.Domain.Common;

namespace CaseFlow.Api.Infrastructure;

/// <summary>Claim names CaseFlow puts in its tokens and reads back.</summary>
public static class CaseFlowClaims
{
    public const string StaffId = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string UnitId = "unit_id";
    public const string UnitName = "unit_name";
    public const string CentreId = "centre_id";
    public const string DepartmentId = "department_id";
    public const string RegionId = "region_id";
}

/// <summary>Role names as used in <c>RequireRole</c> and tokens.</summary>
public static class Roles
{
    public const string Clerk = nameof(Role.Clerk);
    public const string Agent = nameof(Role.Agent);
    public const string Approver = nameof(Role.Approver);
    public const string DepartmentHead = nameof(Role.DepartmentHead);
    public const string Supervisor = nameof(Role.Supervisor);
    public const string Admin = nameof(Role.Admin);
}

/// <summary>The acting person, role and unit of a request: available to every command handler.</summary>
public static class CurrentActor
{
    /// <summary>
    /// The actor of a request. The channel is the one the role works through (issue 13): the window for clerks,
    /// the village station for agents, the back office for departments and administrators, supervision for
    /// supervisors — never what a request body claims. The token's role was checked by <see cref="TokenClaims"/>.
    /// </summary>
    public static Actor From(ClaimsPrincipal user)
    {
        var role = RoleOf(user) ?? throw new InvalidOperationException("token without a staff role reached a command");
        return new Actor(
            user.FindFirstValue(CaseFlowClaims.StaffId) ?? "",
            user.FindFirstValue(CaseFlowClaims.Name) ?? "",
            role,
            user.FindFirstValue(CaseFlowClaims.UnitId) ?? "",
            user.FindFirstValue(CaseFlowClaims.UnitName) ?? "",
            ChannelOf(role));
    }

    public static Channel ChannelOf(Role role) => role switch
    {
        Role.Clerk => Channel.Window,
        Role.Agent => Channel.VillageAgent,
        Role.Supervisor => Channel.Supervision,
        Role.System => Channel.System,
        Role.Platform => Channel.Online,
        _ => Channel.BackOffice,
    };

    /// <summary>The staff role a token carries; null for a missing, unknown or reserved (<c>System</c>, <c>Platform</c>) role.</summary>
    public static Role? RoleOf(ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(CaseFlowClaims.Role), ignoreCase: false, out var role) && role is not (Role.System or Role.Platform) && Enum.IsDefined(role)
            && !int.TryParse(user.FindFirstValue(CaseFlowClaims.Role), out _)
            ? role
            : null;

    /// <summary>Where the caller works, for <see cref="Jurisdiction"/>.</summary>
    public static StaffPlace Place(this ClaimsPrincipal user) => new(
        user.StaffId(), RoleOf(user) ?? throw new InvalidOperationException("token without a staff role reached a jurisdiction check"), Blank(user.CentreId()), Blank(user.DepartmentId()), Blank(user.FindFirstValue(CaseFlowClaims.RegionId)));

    public static string? CentreId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.CentreId);

    public static string? DepartmentId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.DepartmentId);

    public static string? RegionId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.RegionId);

    public static string StaffId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.StaffId) ?? "";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
