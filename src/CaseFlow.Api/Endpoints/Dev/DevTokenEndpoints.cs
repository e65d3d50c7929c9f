using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;

namespace CaseFlow.Api.Endpoints.Dev;

public sealed record DevTokenRequest(string StaffId);

/// <summary>A member of the demo staff, as the Development login lists them.</summary>
public sealed record DemoStaffView(string Id, string Name, CaseFlow.Domain.Common.Role Role, string UnitName, string CentreId, string? DepartmentId);

/// <summary>Who a demo token is for.</summary>
public sealed record DemoTokenStaff(string Id, string Name, CaseFlow.Domain.Common.Role Role, string UnitName);

/// <summary>A bearer token for a member of the demo staff.</summary>
public sealed record DemoToken(string AccessToken, string TokenType, DemoTokenStaff Staff);

/// <summary>Development only: log in as a member of the demo staff.</summary>
public static class DevTokenEndpoints
{
    public static void MapDevTokens(this WebApplication app)
    {
        var group = app.MapGroup("/dev").WithTags("Development · 演示登录").AllowAnonymous();
        group.MapGet("/staff", (int? limit, string? cursor) =>
        {
            var (page, refused) = Paging.Read("demo_staff", limit, cursor, CursorKey.Text);
            return refused ?? Results.Ok(page!.PageOfAll(
                DemoStaff.All.Select(s => new DemoStaffView(s.Id, s.Name, s.Role, s.UnitName, s.CentreId, s.DepartmentId)), s => [s.Id]));
        })
            .WithName("ListDemoStaff").WithSummary("演示人员 · The demo staff (Development only)")
            .Lists<DemoStaffView>()
            .WithDescription("演示人员名单（仅开发环境；按工号排序）");
        group.MapPost("/tokens", (DevTokenRequest request, JwtOptions jwt) =>
        {
            var staff = DemoStaff.All.FirstOrDefault(s => s.Id == request.StaffId);
            if (staff is null)
                return Problems.Problem(404, "dev.staff_not_found", "没有该演示人员，请先查看 GET /dev/staff。");
            // Tokens live in real time, not in the domain's injected clock.
            var token = Security.IssueToken(jwt, staff.Claims(), TimeProvider.System.GetUtcNow());
            return Results.Ok(new DemoToken(token, "Bearer", new DemoTokenStaff(staff.Id, staff.Name, staff.Role, staff.UnitName)));
        }).WithName("IssueDemoToken").WithSummary("演示登录 · Log in as a member of the demo staff (Development only)")
            .Reads<DemoToken>().Refuses(StatusCodes.Status404NotFound)
            .WithDescription("以演示人员身份登录，返回 JWT（仅开发环境）");
    }
}
