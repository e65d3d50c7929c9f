using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Api.Endpoints.Admin;

/// <summary>Operators' view of the read models: status and lag of each async projection, and rebuild.</summary>
public static class ProjectionEndpoints
{
    public static RouteGroupBuilder MapProjections(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/projections").WithTags("Admin · 投影");

        group.MapGet("/", async (ProjectionDaemon daemon, HttpContext http) => Results.Ok(await daemon.StatusAsync(http.RequestAborted)))
            .WithSummary("异步投影的检查点、滞后和故障");

        group.MapPost("/{name}/rebuild", async Task<IResult> (string name, ProjectionCatalog catalog, ProjectionRebuilder rebuilder, HttpContext http) =>
        {
            if (catalog.Find(name) is null)
            {
                return Problems.Problem(404, "projection.not_found", $"没有名为 {name} 的投影。可用：{string.Join("、", catalog.All.Select(r => r.Projection.Name))}。");
            }
            var events = await rebuilder.RebuildAsync(name, ct: http.RequestAborted);
            return Results.Ok(new { projection = name, eventsReplayed = events });
        }).WithSummary("从全部事件重建一个投影并替换（重建期间写入该投影的命令会短暂等待）");

        return admin;
    }
}
