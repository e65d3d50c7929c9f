using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Staff;

public sealed record ServiceItemView(Guid Id, int Revision, ServiceItemDefinition Definition, long Version);

/// <summary>A bundle (一件事) as the catalogue lists it.</summary>
public sealed record BundleView(
    Guid Id, string Code, string Name, IReadOnlyList<string> ItemCodes, string LeadDepartmentId, IReadOnlyList<string> CoDepartmentIds,
    int CombinedPromisedLimitWorkingDays, int JointStatutoryLimitWorkingDays);

/// <summary>The catalogue as staff read it: search with the full material checklist, and any past revision.</summary>
public static class CatalogueEndpoints
{
    public static RouteGroupBuilder MapCatalogue(this RouteGroupBuilder staff)
    {
        var group = staff.MapGroup("/catalogue").WithTags("Staff · 事项目录");

        group.MapGet("/items", async Task<IResult> (string? q, string? code, string? category, int? limit, string? cursor, NpgsqlDataSource db, HttpContext http) =>
        {
            var (page, refused) = Paging.Read("service_items", limit, cursor, ItemKey);
            if (refused is not null)
                return refused;
            return Results.Ok(await ItemPageAsync(db,
                """
                FROM cf_service_items i
                WHERE ($1::text IS NULL OR i.implementation_code = $1 OR i.basic_code = $1)
                  AND ($2::text IS NULL OR i.name ILIKE '%' || $2 || '%')
                  AND ($3::text IS NULL OR i.category = $3)
                """,
                () =>
                [
                    new NpgsqlParameter { Value = (object?)Blank(code) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new NpgsqlParameter { Value = (object?)Blank(q)?.Replace("%", "", StringComparison.Ordinal) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new NpgsqlParameter { Value = (object?)Blank(category) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                ], page!, http.RequestAborted));
        }).WithName("ListServiceItems").WithSummary("查找事项 · Find service items by code, name or category")
            .Lists<ServiceItemView>()
            .WithDescription("按编码、名称关键字、分类查找事项，返回完整材料清单与时限（按分类、名称排序）");

        group.MapGet("/items/{id:guid}", async Task<IResult> (Guid id, NpgsqlDataSource db, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand("SELECT item_id, revision, definition::text, version FROM cf_service_items WHERE item_id = $1");
            cmd.Parameters.AddWithValue(id);
            var found = await ReadAsync(cmd, http.RequestAborted);
            if (found.Count == 0)
                return Problems.Problem(404, "catalogue.item_not_found", "未找到该事项。");
            if (ETags.IsNotModified(http, found[0].Version))
                return ETags.NotModified();
            return Results.Ok(found[0]);
        }).WithName("GetServiceItem").WithSummary("事项当前版本 · A service item's current revision")
            .Reads<ServiceItemView>(etag: true).Produces(StatusCodes.Status304NotModified) // If-None-Match (ETags.md)
            .WithDescription("事项当前版本（ETag 为当前流版本，修订时用作 If-Match）");

        group.MapGet("/items/{id:guid}/revisions/{revision:int}", async Task<IResult> (Guid id, int revision, NpgsqlDataSource db, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand("SELECT item_id, revision, definition::text, 0::bigint FROM cf_service_item_revisions WHERE item_id = $1 AND revision = $2");
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(revision);
            var found = await ReadAsync(cmd, http.RequestAborted);
            return found.Count == 0 ? Problems.Problem(404, "catalogue.revision_not_found", "未找到该事项的这一版本。") : Results.Ok(found[0]);
        }).WithName("GetServiceItemRevision").WithSummary("事项历史版本 · A past revision of a service item")
            .Reads<ServiceItemView>()
            .WithDescription("事项的某一历史版本（办件按收件时的版本办理）");

        group.MapGet("/bundles", async Task<IResult> (int? limit, string? cursor, NpgsqlDataSource db, HttpContext http) =>
        {
            var (page, refused) = Paging.Read("bundles", limit, cursor, CursorKey.Text, CursorKey.Guid);
            if (refused is not null)
                return refused;
            await using var batch = db.CreateBatch();
            var rows = new NpgsqlBatchCommand(
                """
                SELECT bundle_id, code, name, item_codes, lead_department, co_departments, promised_limit, joint_statutory FROM cf_bundles
                WHERE $2::text IS NULL OR (code, bundle_id) > ($2, $3)
                ORDER BY code, bundle_id LIMIT $1
                """);
            rows.Parameters.AddWithValue(page!.Limit + 1);
            rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Text));
            rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rows);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM cf_bundles"));
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            var list = new List<BundleView>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                list.Add(new BundleView(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                    reader.GetString(4), reader.GetFieldValue<string[]>(5),
                    reader.GetInt32(6), reader.GetInt32(7)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            return Results.Ok(page.PageOf(list, b => [b.Code, b.Id], reader.GetInt64(0)));
        }).WithName("ListBundles").WithSummary("一件事清单 · The bundles (一件事) with their departments and limits")
            .Lists<BundleView>()
            .WithDescription("“一件事”清单：包含事项、牵头与协办部门、合并承诺时限（按编码排序）");

        return staff;
    }

    /// <summary>The catalogue's lists are ordered by category, name and id.</summary>
    internal static readonly CursorKey[] ItemKey = [CursorKey.Text, CursorKey.Text, CursorKey.Guid];

    /// <summary>
    /// One page of service items: <paramref name="fromWhere"/> is <c>FROM cf_service_items i … WHERE …</c> with the
    /// parameters <paramref name="filter"/> gives (made twice: for the rows and for the count). The catalogue is a
    /// few hundred items per region, so the page says the total.
    /// </summary>
    internal static async Task<Page<ServiceItemView>> ItemPageAsync(NpgsqlDataSource db, string fromWhere, Func<NpgsqlParameter[]> filter, PageRequest page, CancellationToken ct)
    {
        var args = filter();
        int n = args.Length, limit = n + 1, category = n + 2;
        await using var batch = db.CreateBatch();
        var rows = new NpgsqlBatchCommand(
            $"""
            SELECT i.item_id, i.revision, i.definition::text, i.version {fromWhere}
              AND (${category}::text IS NULL OR (i.category, i.name, i.item_id) > (${category}, ${category + 1}, ${category + 2}))
            ORDER BY i.category, i.name, i.item_id LIMIT ${limit}
            """);
        rows.Parameters.AddRange(args);
        rows.Parameters.AddWithValue(page.Limit + 1);
        rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Text));
        rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Text));
        rows.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(rows);
        var count = new NpgsqlBatchCommand($"SELECT count(*) {fromWhere}");
        count.Parameters.AddRange(filter());
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var list = await ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return page.PageOf(list, i => [i.Definition.Category, i.Definition.Name, i.Id], reader.GetInt64(0));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static async Task<List<ServiceItemView>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReadAsync(reader, ct);
    }

    private static async Task<List<ServiceItemView>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var list = new List<ServiceItemView>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ServiceItemView(reader.GetGuid(0), reader.GetInt32(1),
                JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(2), EventSerializer.Options)!, reader.GetInt64(3)));
        }
        return list;
    }
}
