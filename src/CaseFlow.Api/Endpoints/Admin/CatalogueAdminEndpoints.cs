using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;

namespace CaseFlow.Api.Endpoints.Admin;

public sealed record ReviseServiceItemRequest(ServiceItemDefinition Definition, string? ChangeNote);

/// <summary>Administrators maintain the service-item catalogue; every change is a new, audited revision.</summary>
public static class CatalogueAdminEndpoints
{
    public static RouteGroupBuilder MapCatalogueAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/catalogue/items").WithTags("Admin · 事项目录");

        group.MapPost("/", (ServiceItemDefinition definition, HttpContext http, CommandHttp commands) =>
        {
            var id = ServiceItemId.For(definition.ImplementationCode ?? "");
            return commands.ExecuteAsync(http, "PublishServiceItem", ServiceItem.Kind, id, definition, $"/api/catalogue/items/{id}",
                (state, actor, now) => ServiceItem.Decide(new PublishServiceItem(id, definition), state, actor, now));
        }).WithName("PublishServiceItem").WithSummary("新增事项 · Publish a new service item (revision 1)")
            .Command(CommandAnswer.Created)
            .WithDescription("新增事项（第 1 版）：编码、类型、层级、即办/承诺、法定与承诺时限、材料清单、办理部门与审批环节");

        group.MapPut("/{id:guid}", (Guid id, ReviseServiceItemRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "ReviseServiceItem", ServiceItem.Kind, id, request, $"/api/catalogue/items/{id}",
                (state, actor, now) => ServiceItem.Decide(new ReviseServiceItem(id, request.Definition, request.ChangeNote ?? ""), state, actor, now)))
            .WithName("ReviseServiceItem").WithSummary("修订事项 · Revise a service item (a new revision)")
            .Command()
            .WithDescription("修订事项：生成新版本（修订前后完整记录）；已收件的办件仍按收件时的版本办理");

        return admin;
    }
}

/// <summary>Administrators define bundles (一件事) over items of the catalogue.</summary>
public static class BundleAdminEndpoints
{
    public static RouteGroupBuilder MapBundleAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/catalogue/bundles", async (BundleDefinition definition, HttpContext http, CommandHttp commands, Npgsql.NpgsqlDataSource db) =>
        {
            var known = await KnownItemCodesAsync(db, definition.ItemCodes ?? [], http.RequestAborted);
            var id = Bundle.StreamIdFor(definition.Code ?? "");
            return await commands.ExecuteAsync(http, "DefineBundle", Bundle.Kind, id, definition, $"/api/catalogue/bundles/{id}",
                (state, actor, now) => Bundle.Decide(new DefineBundle(id, definition, known), state, actor, now));
        }).WithTags("Admin · 事项目录").WithName("DefineBundle").WithSummary("定义一件事 · Define a bundle of items (一件事)")
            .Command(CommandAnswer.Created)
            .WithDescription("定义“一件事”：事项、牵头部门、协办部门、合并承诺时限、联合办理法定时限（≤45 个工作日）");
        return admin;
    }

    public static async Task<IReadOnlyCollection<string>> KnownItemCodesAsync(Npgsql.NpgsqlDataSource db, IReadOnlyList<string> codes, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT implementation_code FROM cf_service_items WHERE implementation_code = ANY ($1)");
        cmd.Parameters.AddWithValue(codes.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var known = new HashSet<string>();
        while (await reader.ReadAsync(ct))
            known.Add(reader.GetString(0));
        return known;
    }
}
