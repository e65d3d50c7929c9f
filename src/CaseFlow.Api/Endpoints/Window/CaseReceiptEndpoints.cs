using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Identity;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Window;

public sealed record ReceiveCaseRequest(string WindowId, Guid ItemId, Applicant Applicant, IReadOnlyList<ReceivedMaterial>? Materials, Channel Channel = Channel.Window);

public sealed record CaseView(
    Guid Id, string Status, string CentreId, string WindowId, Guid ItemId, int ItemRevision, string ItemName, int PromisedLimitWorkingDays, int StatutoryLimitWorkingDays,
    Applicant Applicant, IReadOnlyList<ReceivedMaterial> Materials, IReadOnlyList<Material> Checklist, string ReceivedBy, DateTimeOffset ReceivedAt, long Version);

/// <summary>收件 at the comprehensive window: the case pins the item revision it is received under.</summary>
public static class CaseReceiptEndpoints
{
    public static RouteGroupBuilder MapCaseReceipt(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/cases").WithTags("Window · 收件");

        group.MapPost("/", async Task<IResult> (ReceiveCaseRequest request, HttpContext http, CommandHttp commands, NpgsqlDataSource db) =>
        {
            await using (var find = db.CreateCommand(
                """
                SELECT c.centre_code, (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes)), i.revision, i.definition::text
                FROM cf_windows w JOIN cf_centres c ON c.centre_id = w.centre_id
                LEFT JOIN cf_service_items i ON i.item_id = $2
                WHERE w.window_id = $1
                """))
            {
                find.Parameters.AddWithValue(request.WindowId ?? "");
                find.Parameters.AddWithValue(request.ItemId);
                await using var reader = await find.ExecuteReaderAsync(http.RequestAborted);
                if (!await reader.ReadAsync(http.RequestAborted))
                    return Problems.Problem(404, "organisation.window_not_found", "未找到该窗口。");
                if (reader.GetString(0) != http.User.CentreId())
                    return Problems.Problem(403, "organisation.window_of_other_centre", "只能在本中心的窗口收件。");
                if (reader.IsDBNull(2))
                    return Problems.Problem(404, "catalogue.item_not_found", "未找到该事项。");
                if (!reader.GetBoolean(1))
                    return Problems.Problem(422, "case.item_not_accepted_here", "本窗口不受理该事项，请引导申请人到相应窗口。");
                var centre = reader.GetString(0);
                var revision = reader.GetInt32(2);
                var item = JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(3), EventSerializer.Options)!;
                var id = commands.NewId();
                await reader.DisposeAsync();
                return await commands.ExecuteAsync(http, "ReceiveCase", Case.Kind, id, request, request.Channel, $"/api/window/cases/{id}",
                    (state, actor, now) => Case.Decide(new ReceiveCase(id, request.ItemId, revision, item, request.Applicant ?? new Applicant(ApplicantKind.Person, "", null, null, null, null),
                        request.Materials ?? [], request.Channel, centre, request.WindowId!), state, actor, now));
            }
        }).WithSummary("收件：登记申请人（身份证号/统一社会信用代码校验）与材料收取情况；办件按当前事项版本锁定时限和材料清单");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, NpgsqlDataSource db) =>
        {
            await using var cmd = db.CreateCommand("SELECT status, snapshot::text, version FROM cf_cases WHERE case_id = $1 AND centre_id = $2");
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(http.User.CentreId() ?? "");
            await using var reader = await cmd.ExecuteReaderAsync(http.RequestAborted);
            if (!await reader.ReadAsync(http.RequestAborted))
                return Problems.Problem(404, "case.not_found", "未找到该办件。");
            var r = JsonSerializer.Deserialize<CaseReceived>(reader.GetString(1), EventSerializer.Options)!;
            http.Response.Headers.ETag = $"\"{reader.GetInt64(2)}\"";
            // Agents see the applicant's identity numbers masked; the window clerk who serves the applicant sees them whole.
            var applicant = http.User.IsInRole(Roles.Clerk) ? r.Applicant : r.Applicant with
            {
                ResidentIdNumber = r.Applicant.ResidentIdNumber is { } idNo ? ResidentIdNumber.Mask(idNo) : null,
                Phone = r.Applicant.Phone is { } phone ? PhoneNumber.Mask(phone) : null,
            };
            return Results.Ok(new CaseView(r.CaseId, reader.GetString(0), r.CentreId, r.WindowId, r.ItemId, r.ItemRevision, r.Item.Name,
                r.Item.PromisedLimitWorkingDays, r.Item.StatutoryLimitWorkingDays, applicant, r.Materials, r.Item.Materials, r.ReceivedByName, r.ReceivedAt, reader.GetInt64(2)));
        }).WithSummary("查看办件：收件时锁定的事项版本、时限、材料清单及收取情况");

        return window;
    }
}
