using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Calendar;
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
            string? region, string? centreId, string? departmentId, string? holderId, string? scope, string? level, string? sort, int? limit, string? cursor) =>
        {
            var (subtree, denied) = Jurisdiction.Subtree(http, region);
            if (denied is not null)
                return denied;
            if (level is not (null or "Green" or "Yellow" or "Red"))
                return Problems.Problem(400, "supervision.level_invalid", "level 只能是 Green、Yellow 或 Red。");
            if (sort is not (null or "due" or "due_desc"))
                return Problems.Problem(400, "supervision.sort_invalid", "sort 只能是 due（按到期时间，最早的在前）或 due_desc（最晚的在前）。");
            // Each order is its own list: a cursor read in one order is refused in the other.
            var descending = sort == "due_desc";
            var (page, refused) = Paging.Read(descending ? "board.due_desc" : "board", limit, cursor, Shape);
            if (refused is not null)
                return refused;
            var filter = new BoardFilter(subtree, centreId, departmentId, holderId, scope, level, descending);
            return Results.Ok(await PageAsync(db, await desks.CalendarAsync(http.RequestAborted), filter, clock, page!, http.RequestAborted));
        }).WithTags("Supervision · 时限预警").WithName("GetTimeLimitBoard").WithSummary("时限预警看板 · The time-limit board: green, yellow and red deadlines")
            .ListsPage<BoardPage>()
            .WithDescription("时限预警看板：按区划（含下级）、中心、部门、承办人、监察对象筛选，绿/黄/红灯数量（counts）与明细（剩余或超期工作日），按到期时间排序（sort=due_desc 倒序）分页；翻页时灯色按第一页的时刻");
        return supervision;
    }

    /// <summary>The board's cursor: the instant the walk reads the lights as of, then the row's key (red instant, case, watch key).</summary>
    internal static readonly CursorKey[] Shape = [CursorKey.Instant, CursorKey.Instant, CursorKey.Guid, CursorKey.Text];

    /// <summary>
    /// One page of the board (or of the overdue list): the lights change with time, so a walk through the pages reads
    /// them as of the first page's instant, which the cursor carries — no deadline is read twice or skipped because it
    /// turned red meanwhile, and the counts stay those of the first page. The total is the counts' (already read).
    /// </summary>
    internal static async Task<BoardPage> PageAsync(NpgsqlDataSource db, WorkingCalendar calendar, BoardFilter filter, TimeProvider clock, PageRequest page, CancellationToken ct)
    {
        var now = page.After is null ? clock.GetUtcNow() : page.Key<DateTimeOffset>(0);
        var after = page.After is null ? null : new BoardKey(page.Key<DateTimeOffset>(1), page.Key<Guid>(2), page.Key<string>(3));
        var board = await TimeLimitBoard.QueryAsync(db, calendar, filter, now, page.Limit + 1, after, ct);
        var rows = page.PageOf(board.Rows, r => [now, r.Key.RedAt, r.Key.CaseId, r.Key.Key], board.TotalFor(filter.Level));
        return new BoardPage(rows.Items.Select(r => r.Row).ToList(), rows.NextCursor, rows.Total, rows.Limit, board.Counts);
    }
}

/// <summary>A page of the time-limit board under the list convention, with the number of deadlines at each level beside it.</summary>
public sealed record BoardPage(IReadOnlyList<BoardRow> Items, string? NextCursor, long? Total, int Limit, BoardCounts Counts);
