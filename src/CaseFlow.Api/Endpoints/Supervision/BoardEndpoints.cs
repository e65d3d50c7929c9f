using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Deadlines;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

/// <summary>
/// 时限预警看板: the running deadlines of cases and steps, green / yellow / red as of now, per centre, department,
/// person or region subtree (within the supervisor's own jurisdiction), sorted by due time and paged.
/// </summary>
public static class BoardEndpoints
{
    public static RouteGroupBuilder MapBoard(this RouteGroupBuilder supervision)
    {
        supervision.MapGet("/board", async Task<IResult> (
            HttpContext http, NpgsqlDataSource db, CaseDesk desks, TimeProvider clock,
            string? region, string? centreId, string? departmentId, string? holderId, string? scope, string? level, string? sort, int? page, int? pageSize) =>
        {
            var (subtree, denied) = Jurisdiction.Subtree(http, region);
            if (denied is not null)
                return denied;
            if (level is not (null or "Green" or "Yellow" or "Red"))
                return Problems.Problem(400, "supervision.level_invalid", "level 只能是 Green、Yellow 或 Red。");
            var filter = new BoardFilter(subtree, centreId, departmentId, holderId, scope, level, sort == "due_desc", Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 50, 1, 500));
            return Results.Ok(await TimeLimitBoard.QueryAsync(db, await desks.CalendarAsync(http.RequestAborted), filter, clock.GetUtcNow(), http.RequestAborted));
        }).WithTags("Supervision · 时限预警").WithName("GetTimeLimitBoard").WithSummary("时限预警看板 · The time-limit board: green, yellow and red deadlines")
            .Reads<Board>()
            .WithDescription("时限预警看板：按区划（含下级）、中心、部门、承办人、监察对象筛选，绿/黄/红灯数量与明细（剩余或超期工作日），按到期时间排序分页");
        return supervision;
    }
}
