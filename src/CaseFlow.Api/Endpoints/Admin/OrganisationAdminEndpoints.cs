using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Organisation;
using StaffMember = CaseFlow.Domain.Organisation.Staff;

namespace CaseFlow.Api.Endpoints.Admin;

public sealed record EstablishCentreRequest(string CentreCode, string Name, Region Region);

public sealed record StationDepartmentRequest(string DepartmentId, string Name);

public sealed record OpenWindowRequest(string WindowId, string Number, WindowKind Kind, string? Category, IReadOnlyList<string>? AcceptedCategories, IReadOnlyList<string>? AcceptedItemCodes);

public sealed record RegisterStaffRequest(string StaffId, string Name, Role Role, string UnitId, string UnitName, string CentreId, string? DepartmentId);

public sealed record CreatePostRequest(Guid CentreId, string Name, string AHolderId, string AHolderName, string BHolderId, string BHolderName);

/// <summary>Administrators maintain the organisation: centres (one per region), departments, windows, AB posts.</summary>
public static class OrganisationAdminEndpoints
{
    public static RouteGroupBuilder MapOrganisationAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/organisation").WithTags("Admin · 组织机构");

        group.MapPost("/centres", (EstablishCentreRequest r, HttpContext http, CommandHttp commands) =>
        {
            var id = ServiceCentre.StreamIdFor(r.Region?.Code ?? "");
            return commands.ExecuteAsync(http, "EstablishServiceCentre", ServiceCentre.Kind, id, r, $"/api/organisation/centres/{id}",
                (s, actor, now) => ServiceCentre.Decide(new EstablishServiceCentre(id, r.CentreCode ?? "", r.Name ?? "", r.Region ?? new Region("", "", RegionLevel.Township, null)), s, actor, now));
        }).WithName("EstablishServiceCentre").WithSummary("设立服务中心 · Establish a service centre")
            .Command(CommandAnswer.Created)
            .WithDescription("设立服务中心（每个行政区划一个）：政务服务中心 / 便民服务中心 / 便民服务站");

        group.MapPost("/centres/{id:guid}/departments", (Guid id, StationDepartmentRequest r, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "StationDepartment", ServiceCentre.Kind, id, r, $"/api/organisation/centres/{id}",
                (s, actor, now) => ServiceCentre.Decide(new StationDepartment(r.DepartmentId ?? "", r.Name ?? ""), s, actor, now)))
            .WithName("StationDepartment").WithSummary("部门入驻 · Station a department at a centre")
            .Command()
            .WithDescription("部门入驻中心");

        group.MapPost("/centres/{id:guid}/windows", (Guid id, OpenWindowRequest r, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "OpenWindow", ServiceCentre.Kind, id, r, $"/api/organisation/centres/{id}",
                (s, actor, now) => ServiceCentre.Decide(new OpenWindow(r.WindowId ?? "", r.Number ?? "", r.Kind, r.Category, r.AcceptedCategories ?? [], r.AcceptedItemCodes ?? []), s, actor, now)))
            .WithName("OpenWindow").WithSummary("开设窗口 · Open a window at a centre")
            .Command()
            .WithDescription("开设窗口（综合 / 专业 / 帮代办 / 办不成事），并指定可受理的事项分类或事项");

        group.MapPost("/staff", (RegisterStaffRequest r, HttpContext http, CommandHttp commands) =>
        {
            var id = StaffMember.StreamIdFor(r.StaffId ?? "");
            return commands.ExecuteAsync(http, "RegisterStaff", StaffMember.Kind, id, r, $"/api/organisation/staff/{r.StaffId}",
                (s, actor, now) => StaffMember.Decide(new RegisterStaff(r.StaffId ?? "", r.Name ?? "", r.Role, r.UnitId ?? "", r.UnitName ?? "", r.CentreId ?? "", r.DepartmentId), s, actor, now));
        }).WithName("RegisterStaff").WithSummary("登记工作人员 · Register a member of staff")
            .Command(CommandAnswer.Created)
            .WithDescription("登记工作人员：工号、姓名、角色、所属单位与中心（审批人员须有所属部门）");

        group.MapPost("/posts", (CreatePostRequest r, HttpContext http, CommandHttp commands) =>
        {
            var id = commands.NewId();
            return commands.ExecuteAsync(http, "CreatePost", Post.Kind, id, r, $"/api/organisation/posts/{id}",
                (s, actor, now) => Post.Decide(new CreatePost(id, r.CentreId, r.Name ?? "", r.AHolderId ?? "", r.AHolderName ?? "", r.BHolderId ?? "", r.BHolderName ?? ""), s, actor, now));
        }).WithName("CreatePost").WithSummary("设立 AB 岗 · Create an AB post")
            .Command(CommandAnswer.Created)
            .WithDescription("设立 AB 岗（A 岗、B 岗为两名不同人员）");

        return admin;
    }
}
