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
    public static Actor From(ClaimsPrincipal user, Channel channel)
    {
        var role = Enum.Parse<Role>(user.FindFirstValue(CaseFlowClaims.Role) ?? throw new InvalidOperationException("token without role"));
        return new Actor(
            user.FindFirstValue(CaseFlowClaims.StaffId) ?? "",
            user.FindFirstValue(CaseFlowClaims.Name) ?? "",
            role,
            user.FindFirstValue(CaseFlowClaims.UnitId) ?? "",
            user.FindFirstValue(CaseFlowClaims.UnitName) ?? "",
            channel);
    }

    public static string? CentreId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.CentreId);

    public static string? DepartmentId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.DepartmentId);

    public static string StaffId(this ClaimsPrincipal user) => user.FindFirstValue(CaseFlowClaims.StaffId) ?? "";
}
