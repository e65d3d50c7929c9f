using CaseFlow.Api.Endpoints.Staff;
using CaseFlow.Api.Infrastructure;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Window;

/// <summary>
/// The clerk's catalogue search: only items the clerk's window may accept (its categories and items), each with
/// its complete material checklist, in one call.
/// </summary>
public static class WindowCatalogueEndpoints
{
    public static RouteGroupBuilder MapWindowCatalogue(this RouteGroupBuilder window)
    {
        window.MapGet("/windows/{windowId}/catalogue", async Task<IResult> (string windowId, string? q, int? limit, string? cursor, NpgsqlDataSource db, HttpContext http) =>
        {
            await using var find = db.CreateCommand("SELECT c.centre_code FROM cf_windows w JOIN cf_centres c ON c.centre_id = w.centre_id WHERE w.window_id = $1");
            find.Parameters.AddWithValue(windowId);
            var centre = await find.ExecuteScalarAsync(http.RequestAborted) as string;
            if (centre is null)
                return Problems.Problem(404, "organisation.window_not_found", "未找到该窗口。");
            if (centre != http.User.CentreId())
                return Problems.Problem(403, "organisation.window_of_other_centre", "只能使用本中心窗口的事项目录。");

            var (page, refused) = Paging.Read("window_catalogue", limit, cursor, CatalogueEndpoints.ItemKey);
            if (refused is not null)
                return refused;
            return Results.Ok(await CatalogueEndpoints.ItemPageAsync(db,
                """
                FROM cf_service_items i
                JOIN cf_windows w ON w.window_id = $1
                WHERE (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes))
                  AND ($2::text IS NULL OR i.name ILIKE '%' || $2 || '%' OR i.implementation_code = $2 OR i.basic_code = $2)
                """,
                () =>
                [
                    new NpgsqlParameter { Value = windowId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new NpgsqlParameter { Value = string.IsNullOrWhiteSpace(q) ? DBNull.Value : q.Trim().Replace("%", "", StringComparison.Ordinal), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                ], page!, http.RequestAborted));
        }).WithTags("Window · 事项查询").WithName("ListWindowServiceItems").WithSummary("本窗口事项 · The items a window accepts, with their checklists")
            .Lists<ServiceItemView>()
            .WithDescription("本窗口可受理的事项（按名称关键字或编码查找），含完整材料清单（按分类、名称排序）");
        return window;
    }
}
