using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Calendar;
using CaseFlow.Persistence.Acceptance;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

public sealed record BoardRow(
    Guid CaseId, string? CaseNumber, string ItemName, string Scope, string Target, string Level, DateOnly DueOn, int RemainingWorkingDays,
    string CentreId, string? DepartmentId, string? HolderId, bool Provisional);

public sealed record BoardCounts(int Green, int Yellow, int Red);

public sealed record Board(BoardCounts Counts, int Page, int PageSize, IReadOnlyList<BoardRow> Rows);

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
            var jurisdiction = http.User.FindFirst(CaseFlowClaims.RegionId)?.Value ?? "";
            var subtree = Prefix(region ?? jurisdiction);
            if (!subtree.StartsWith(Prefix(jurisdiction), StringComparison.Ordinal))
                return Problems.Problem(403, "supervision.outside_jurisdiction", "只能查看本人监察范围（本级及下级区划）内的办件。");
            if (level is not (null or "Green" or "Yellow" or "Red"))
                return Problems.Problem(400, "supervision.level_invalid", "level 只能是 Green、Yellow 或 Red。");
            var size = Math.Clamp(pageSize ?? 50, 1, 500);
            var number = Math.Max(page ?? 1, 1);
            var now = clock.GetUtcNow();
            const string Level = "CASE WHEN w.red_at <= $1 THEN 'Red' WHEN w.yellow_at <= $1 THEN 'Yellow' ELSE 'Green' END";
            const string Filter =
                """
                FROM cf_deadline_watch w JOIN cf_centres ce ON ce.centre_code = w.centre_id
                WHERE ce.region_code LIKE $2 AND ($3::text IS NULL OR w.centre_id = $3) AND ($4::text IS NULL OR w.department_id = $4)
                  AND ($5::text IS NULL OR w.holder_id = $5) AND ($6::text IS NULL OR w.scope = $6)
                """;
            await using var batch = new NpgsqlBatch(await db.OpenConnectionAsync(http.RequestAborted));
            await using var connection = batch.Connection!;
            object?[] args = [now, subtree + "%", centreId, departmentId, holderId, scope];
            batch.BatchCommands.Add(Persistence.EventStore.PostgresEventStore.Command(
                $"SELECT count(*) FILTER (WHERE w.yellow_at > $1 OR (w.yellow_at IS NULL AND w.red_at > $1)), count(*) FILTER (WHERE w.red_at > $1 AND w.yellow_at <= $1), count(*) FILTER (WHERE w.red_at <= $1) {Filter}",
                args));
            batch.BatchCommands.Add(Persistence.EventStore.PostgresEventStore.Command(
                $"""
                SELECT w.case_id, w.case_number, w.item_name, w.scope, w.target, {Level}, w.due_day, w.red_at, w.centre_id, w.department_id, w.holder_id, w.provisional
                {Filter} AND ($7::text IS NULL OR {Level} = $7)
                ORDER BY w.red_at {(sort == "due_desc" ? "DESC" : "ASC")}, w.case_id, w.key
                LIMIT $8 OFFSET $9
                """,
                [.. args, level, size, (number - 1) * size]));
            foreach (var c in batch.BatchCommands)
            {
                foreach (NpgsqlParameter p in c.Parameters)
                {
                    if (p.Value is DBNull)
                        p.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
                }
            }
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            var counts = new BoardCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
            await reader.NextResultAsync(http.RequestAborted);
            var rows = new List<BoardRow>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                var redAt = reader.GetFieldValue<DateTimeOffset>(7);
                var remaining = now >= redAt
                    ? -Math.Max(1, calendar.WorkingDaysBetween(redAt.AddTicks(-1), now))
                    : calendar.WorkingDaysBetween(now, redAt.AddTicks(-1));
                rows.Add(new BoardRow(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetFieldValue<DateOnly>(6), remaining, reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetBoolean(11)));
            }
            return Results.Ok(new Board(counts, number, size, rows));
        }).WithTags("Supervision · 时限预警").WithSummary("时限预警看板：按区划（含下级）、中心、部门、承办人、监察对象筛选，绿/黄/红灯数量与明细（剩余或超期工作日），按到期时间排序分页");
        return supervision;
    }

    /// <summary>The region code's prefix that its subtree shares (GB/T 2260 12-digit: 2 province, 2 city, 2 county, 3 township, 3 village).</summary>
    public static string Prefix(string region)
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
}
