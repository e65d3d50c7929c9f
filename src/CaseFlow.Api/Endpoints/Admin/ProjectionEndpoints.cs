using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Api.Endpoints.Admin;

/// <summary>Operators' view of the read models: status and lag of each async projection, and rebuild.</summary>
public static class ProjectionEndpoints
{
    public static RouteGroupBuilder MapProjections(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/projections").WithTags("Admin · 投影");

        group.MapGet("/", async Task<IResult> (int? limit, string? cursor, IProjectionRunner daemon, HttpContext http) =>
        {
            // A handful of projections, known to the daemon: paged in memory by name.
            var (page, refused) = Paging.Read("projections", limit, cursor, CursorKey.Text);
            return refused ?? Results.Ok(page!.PageOfAll(await daemon.StatusAsync(http.RequestAborted), p => [p.Name]));
        })
            .WithName("ListProjections").WithSummary("投影状态 · The async projections: checkpoint, lag and failures")
            .Lists<ProjectionStatus>()
            .WithDescription("异步投影的检查点、滞后和故障");

        group.MapPost("/{name}/rebuild", IResult (string name, ProjectionCatalog catalog, ProjectionRebuilds rebuilds) =>
        {
            if (catalog.Find(name) is null)
            {
                return Problems.Problem(404, "projection.not_found", $"没有名为 {name} 的投影。可用：{string.Join("、", catalog.All.Select(r => r.Projection.Name))}。");
            }
            var job = rebuilds.Start(name);
            return Results.Accepted($"/api/admin/projections/rebuilds/{job.Id}", job);
        }).WithName("RebuildProjection").WithSummary("重建投影 · Rebuild a projection from all events, in the background")
            .Produces<RebuildJob>(StatusCodes.Status202Accepted)
            .WithDescription("在后台从全部事件重建一个投影：立即返回 202 和重建任务，按 Location 查询进度与结果（同一投影同时只有一个重建）");

        group.MapGet("/rebuilds/{id:guid}", (Guid id, ProjectionRebuilds rebuilds) =>
            rebuilds.Find(id) is { } job ? Results.Ok(job) : Problems.Problem(404, "projection.rebuild_not_found", "未找到该重建任务（任务记录保存在发起重建的服务实例中）。"))
            .WithName("GetProjectionRebuild").WithSummary("重建任务 · A rebuild's status and progress")
            .Reads<RebuildJob>()
            .WithDescription("重建任务的状态：running / succeeded / failed，已重放的事件数，开始和结束时间");

        return admin;
    }
}
