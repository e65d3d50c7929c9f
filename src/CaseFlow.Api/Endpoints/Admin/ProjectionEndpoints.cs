using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Api.Endpoints.Admin;

/// <summary>Operators' view of the read models: status and lag of each async projection, and rebuild.</summary>
public static class ProjectionEndpoints
{
    public static RouteGroupBuilder MapProjections(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/projections").WithTags("Admin · 投影");

        group.MapGet("/", async (IProjectionRunner daemon, HttpContext http) => Results.Ok(await daemon.StatusAsync(http.RequestAborted)))
            .WithSummary("异步投影的检查点、滞后和故障");

        group.MapPost("/{name}/rebuild", async Task<IResult> (string name, ProjectionCatalog catalog, IProjectionRunner rebuilder, HttpContext http) =>
        {
            if (catalog.Find(name) is null)
            {
                return Problems.Problem(404, "projection.not_found", $"没有名为 {name} 的投影。可用：{string.Join("、", catalog.All.Select(r => r.Projection.Name))}。");
            }
            if (catalog.Find(name)!.Mode == ProjectionMode.Inline && rebuilder is not CaseFlowProjectionRunner)
                return Problems.Problem(422, "projection.inline_rebuild_not_on_marten", "事件存储迁移到 Marten 期间，内联投影暂不支持重建。");
            var events = await rebuilder.RebuildAsync(name, ct: http.RequestAborted);
            return Results.Ok(new { projection = name, eventsReplayed = events });
        }).WithSummary("从全部事件重建一个投影并替换（重建期间写入该投影的命令会短暂等待）");

        return admin;
    }
}
