using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Window;

public sealed record RegisterInquiryRequest(string EnquirerName, string? EnquirerPhone, string Topic, string? ServiceItemCode, Channel Channel = Channel.Window);

public sealed record AnswerInquiryRequest(string Answer);

public sealed record ReferInquiryRequest(string? TargetWindowId, string? TargetPersonId, string? TargetPersonName, string Reason, string? OverrideReason);

public sealed record InquiryView(
    Guid Id, InquiryStatus Status, string OwnerId, string OwnerName, string CentreId, string EnquirerName, string Topic,
    string? ServiceItemCode, Channel Channel, DateTimeOffset RegisteredAt, DateTimeOffset? ClosedAt, long Version);

/// <summary>首问 (first inquiry) at the comprehensive window: register, answer, refer; the owner's worklist.</summary>
public static class InquiryEndpoints
{
    public static RouteGroupBuilder MapInquiries(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/inquiries").WithTags("Window · 首问登记");

        group.MapPost("/", (RegisterInquiryRequest request, HttpContext http, CommandHttp commands) =>
        {
            // How the enquirer came: to the window (in person, by phone), a terminal, or a village agent — never as System.
            var channel = http.User.IsInRole(Roles.Agent) ? Channel.VillageAgent : request.Channel;
            if (channel is not (Channel.Window or Channel.Online or Channel.SelfServiceTerminal or Channel.VillageAgent)
                || (channel == Channel.VillageAgent && !http.User.IsInRole(Roles.Agent)))
            {
                return Task.FromResult(Problems.Problem(400, "inquiry.channel_not_allowed", "咨询渠道只能是窗口、网上或自助终端；代办员登记的为代办渠道。",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["channel"] = ["咨询渠道不允许。"] } }));
            }
            var id = commands.NewId();
            return commands.ExecuteAsync(http, "RegisterInquiry", Inquiry.Kind, id, request, $"/api/window/inquiries/{id}",
                (state, actor, now) => InquiryDecider.Decide(
                    new RegisterInquiry(id, request.EnquirerName ?? "", request.EnquirerPhone, request.Topic ?? "", request.ServiceItemCode, channel), state, actor, now));
        }).WithName("RegisterInquiry").WithSummary("登记首问 · Register a first inquiry")
            .Command(CommandAnswer.Created)
            .WithDescription("登记首问（咨询人、事项、渠道）；登记人成为首问责任人");

        group.MapPost("/{id:guid}/answer", (Guid id, AnswerInquiryRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "AnswerInquiry", Inquiry.Kind, id, request, $"/api/window/inquiries/{id}",
                (state, actor, now) => InquiryDecider.Decide(new AnswerInquiry(id, request.Answer ?? ""), state, actor, now)))
            .WithName("AnswerInquiry").WithSummary("答复首问 · Answer a first inquiry")
            .Command()
            .WithDescription("首问责任人答复咨询");

        group.MapPost("/{id:guid}/refer", (Guid id, ReferInquiryRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "ReferInquiry", Inquiry.Kind, id, request, $"/api/window/inquiries/{id}",
                (state, actor, now) => InquiryDecider.Decide(
                    new ReferInquiry(id, request.TargetWindowId, request.TargetPersonId, request.TargetPersonName, request.Reason ?? "", request.OverrideReason), state, actor, now)))
            .WithName("ReferInquiry").WithSummary("转办首问 · Refer a first inquiry to another window or person")
            .Command()
            .WithDescription("转办：必须写明接办窗口和接办人；未写明的须说明理由并记入问责台账");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, NpgsqlDataSource db) =>
        {
            var found = await QueryAsync(db, "WHERE inquiry_id = $1", [id], http.RequestAborted);
            if (found.Count == 0)
                return Problems.Problem(404, "inquiry.not_found", "未找到该首问登记。");
            // Clerks read their centre's first inquiries; a village agent only the ones they registered (issue 13).
            if (http.User.IsInRole(Roles.Agent) ? found[0].OwnerId != http.User.StaffId() : found[0].CentreId != http.User.CentreId())
                return Problems.Problem(403, "inquiry.not_yours", "只能查看本中心（代办员：本人登记）的首问登记。");
            if (ETags.IsNotModified(http, found[0].Version))
                return ETags.NotModified();
            return Results.Ok(found[0]);
        }).WithName("GetInquiry").WithSummary("查看首问 · A first inquiry")
            .Reads<InquiryView>(etag: true).Produces(StatusCodes.Status304NotModified) // If-None-Match (ETags.md)
            .WithDescription("查看一条首问登记（ETag 为当前版本）");

        group.MapGet("/", async Task<IResult> (string? status, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db) =>
        {
            // Open ones first, then newest first: keyset on (closed, registered_at, inquiry_id).
            var (page, refused) = Paging.Read("inquiries", limit, cursor, CursorKey.Number, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            const string scope = "owner_id = $1 AND ($2::text IS NULL OR status = $2)";
            await using var batch = db.CreateBatch();
            var rows = new NpgsqlBatchCommand(
                $"""
                SELECT {Columns} FROM cf_inquiry_worklist
                WHERE {scope} AND ($4::bigint IS NULL OR (status <> 'Open')::int > $4
                      OR ((status <> 'Open')::int = $4 AND (registered_at, inquiry_id) < ($5, $6)))
                ORDER BY (status <> 'Open'), registered_at DESC, inquiry_id DESC LIMIT $3
                """);
            rows.Parameters.AddWithValue(http.User.StaffId());
            rows.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            rows.Parameters.AddWithValue(page!.Limit + 1);
            rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Bigint));
            rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rows.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rows);
            // One person's worklist, counted on the index the list reads: cheap, so the page says the total.
            var count = new NpgsqlBatchCommand($"SELECT count(*) FROM cf_inquiry_worklist WHERE {scope}");
            count.Parameters.AddWithValue(http.User.StaffId());
            count.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            batch.BatchCommands.Add(count);
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            var list = await ReadAsync(reader, http.RequestAborted);
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            var total = reader.GetInt64(0);
            return Results.Ok(page.PageOf(list, r => [r.Status == InquiryStatus.Open ? 0L : 1L, r.RegisteredAt, r.Id], total));
        })
            .WithName("ListInquiries").WithSummary("首问工作清单 · My worklist of first inquiries")
            .Lists<InquiryView>()
            .WithDescription("我的首问工作清单（默认含全部状态，未办结的在前，再按登记时间从新到旧；status=Open 只看未办结）");

        return window;
    }

    private const string Columns =
        "inquiry_id, status, owner_id, owner_name, centre_id, enquirer_name, topic, service_item, channel, registered_at, closed_at, version";

    private static async Task<List<InquiryView>> QueryAsync(NpgsqlDataSource db, string where, object?[] args, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cf_inquiry_worklist {where}");
        foreach (var arg in args)
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value, NpgsqlDbType = arg is Guid ? NpgsqlTypes.NpgsqlDbType.Uuid : NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReadAsync(reader, ct);
    }

    private static async Task<List<InquiryView>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var list = new List<InquiryView>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new InquiryView(
                reader.GetGuid(0), Enum.Parse<InquiryStatus>(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), Enum.Parse<Channel>(reader.GetString(8)),
                reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.GetInt64(11)));
        }
        return list;
    }
}
