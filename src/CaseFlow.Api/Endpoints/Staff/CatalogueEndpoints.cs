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

        group.MapGet("/items", async (string? q, string? code, string? category, NpgsqlDataSource db, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand(
                """
                SELECT item_id, revision, definition::text, version FROM cf_service_items
                WHERE ($1::text IS NULL OR implementation_code = $1 OR basic_code = $1)
                  AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%')
                  AND ($3::text IS NULL OR category = $3)
                ORDER BY category, name LIMIT 100
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)Blank(code) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)Blank(q)?.Replace("%", "", StringComparison.Ordinal) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)Blank(category) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            return Results.Ok(await ReadAsync(cmd, http.RequestAborted));
        }).WithName("ListServiceItems").WithSummary("查找事项 · Find service items by code, name or category")
            .Reads<IReadOnlyList<ServiceItemView>>()
            .WithDescription("按编码、名称关键字、分类查找事项，返回完整材料清单与时限");

        group.MapGet("/items/{id:guid}", async Task<IResult> (Guid id, NpgsqlDataSource db, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand("SELECT item_id, revision, definition::text, version FROM cf_service_items WHERE item_id = $1");
            cmd.Parameters.AddWithValue(id);
            var found = await ReadAsync(cmd, http.RequestAborted);
            if (found.Count == 0)
                return Problems.Problem(404, "catalogue.item_not_found", "未找到该事项。");
            http.Response.Headers.ETag = $"\"{found[0].Version}\"";
            return Results.Ok(found[0]);
        }).WithName("GetServiceItem").WithSummary("事项当前版本 · A service item's current revision")
            .Reads<ServiceItemView>(etag: true)
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

        group.MapGet("/bundles", async (NpgsqlDataSource db, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand(
                "SELECT bundle_id, code, name, item_codes, lead_department, co_departments, promised_limit, joint_statutory FROM cf_bundles ORDER BY code");
            await using var reader = await cmd.ExecuteReaderAsync(http.RequestAborted);
            var list = new List<BundleView>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                list.Add(new BundleView(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                    reader.GetString(4), reader.GetFieldValue<string[]>(5),
                    reader.GetInt32(6), reader.GetInt32(7)));
            }
            return Results.Ok(list);
        }).WithName("ListBundles").WithSummary("一件事清单 · The bundles (一件事) with their departments and limits")
            .Reads<IReadOnlyList<BundleView>>()
            .WithDescription("“一件事”清单：包含事项、牵头与协办部门、合并承诺时限");

        return staff;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static async Task<List<ServiceItemView>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ServiceItemView>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ServiceItemView(reader.GetGuid(0), reader.GetInt32(1),
                JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(2), EventSerializer.Options)!, reader.GetInt64(3)));
        }
        return list;
    }
}
