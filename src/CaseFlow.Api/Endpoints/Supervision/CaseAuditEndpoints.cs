using System.Globalization;
using System.Text;
using CaseFlow.Api.Endpoints.Window;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Supervision;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Deadlines;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Supervision;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

public sealed record SupervisedCase(CaseView Case, CaseAttribution Attribution, IReadOnlyList<SupervisionOrdered> Orders, IReadOnlyList<AccountabilityOpened> AccountabilityRecords);

public sealed record OrderRequest(string Instruction, DateOnly DueOn);

public sealed record AccountabilityRequest(string TargetKind, string TargetId, string TargetName, AccountabilityMeasure Measure, string Facts, IReadOnlyList<Guid> EvidenceEventIds);

public sealed record ConclusionRequest(string Outcome);

public sealed record AnswerRequest(string Answer);

/// <summary>
/// What supervisors audit (issue 8): a case's full timeline with attribution of overdue time, the overdue and
/// at-risk list (CSV too), 督办 orders and 问责 records — only within their own region subtree.
/// </summary>
public static class CaseAuditEndpoints
{
    /// <summary>Rows read per query while a CSV export streams.</summary>
    private const int CsvPageRows = 5000;

    public static RouteGroupBuilder MapCaseAudit(this RouteGroupBuilder supervision)
    {
        supervision.MapGet("/cases/{id:guid}", async Task<IResult> (Guid id, HttpContext http, IEventStore store, NpgsqlDataSource db, CaseDesk desks, TimeProvider clock) =>
        {
            var (file, stream, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Read);
            if (denied is not null)
                return denied;
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            ETags.SetWeak(http, stream!.Version);
            return Results.Ok(new SupervisedCase(CaseReceiptEndpoints.View(file!, stream, http, calendar, withAnnotations: true),
                Attribution.For(file!, stream.Events.Select(e => e.Data).ToList(), calendar, clock.GetUtcNow()), file!.Supervision.Orders, file.Supervision.Records));
        }).WithTags("Supervision · 监督").WithName("GetSupervisedCase").WithSummary("监督办件 · A case under supervision, with the attribution of overdue time")
            .Reads<SupervisedCase>(etag: true)
            .WithDescription("办件全过程：每条记录的办理人、时间、内容，期限，以及超出环节时限的工作日归属到人和部门（中止、补正期间不计）");

        supervision.MapGet("/overdue", async Task<IResult> (
            HttpContext http, NpgsqlDataSource db, CaseDesk desks, TimeProvider clock,
            string? region, string? centreId, string? departmentId, string? holderId, string? item, string? level, DateOnly? from, DateOnly? to, int? limit, string? cursor, string? format) =>
        {
            var (subtree, denied) = Jurisdiction.Subtree(http, region);
            if (denied is not null)
                return denied;
            if (level is not (null or "Yellow" or "Red"))
                return Problems.Problem(400, "supervision.level_invalid", "level 只能是 Yellow 或 Red。");
            var csv = format == "csv";
            var filter = new BoardFilter(subtree, centreId, departmentId, holderId, null, level, false,
                AtRiskOnly: true, Item: item, StartedFrom: from is { } f ? Domain.Calendar.WorkingCalendar.EndOf(f.AddDays(-1)) : null,
                StartedTo: to is { } t ? Domain.Calendar.WorkingCalendar.EndOf(t) : null);
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            if (!csv)
            {
                var (page, refused) = Paging.Read("overdue", limit, cursor, BoardEndpoints.Shape);
                return refused ?? Results.Ok(await BoardEndpoints.PageAsync(db, calendar, filter, clock, page!, http.RequestAborted));
            }
            // Every row, streamed as of one instant in keyset pages (issue 16: the export silently stopped at 10,000 rows).
            var now = clock.GetUtcNow();
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await writer.WriteAsync("\uFEFF办件编号,事项,监察对象,环节,中心,部门,承办人,到期日,预警,剩余(负数为超期)工作日\r\n");
                for (BoardKey? after = null; ;)
                {
                    var rows = (await TimeLimitBoard.QueryAsync(db, calendar, filter, now, CsvPageRows, after, http.RequestAborted)).Rows;
                    foreach (var (r, _) in rows)
                    {
                        await writer.WriteAsync(string.Join(',', new[] { r.CaseNumber ?? "", r.ItemName, CaseTimelines.ScopeName(r.Scope), r.Target, r.CentreId, r.DepartmentId ?? "", r.HolderId ?? "",
                            r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Level == Domain.Deadlines.WarningLevel.Red ? "红灯" : "黄灯", r.RemainingWorkingDays.ToString(CultureInfo.InvariantCulture) }.Select(Csv)));
                        await writer.WriteAsync("\r\n");
                    }
                    await writer.FlushAsync(http.RequestAborted);
                    if (rows.Count < CsvPageRows)
                        break;
                    after = rows[^1].Key;
                }
            }, "text/csv; charset=utf-8", $"overdue-{now:yyyyMMdd}.csv");
        }).WithTags("Supervision · 监督").WithName("ListOverdueCases").WithSummary("超期与临期办件 · The overdue and at-risk cases, as JSON or CSV")
            .ListsPage<BoardPage>().AlsoAs("text/csv", "format=csv：UTF-8（带 BOM）的 CSV 表格，全部行，不分页 · With format=csv: every row as CSV in UTF-8 with a BOM, for spreadsheets (not paged)")
            .WithDescription("超期与临期办件（本人监察范围）：按中心、部门、事项、承办人、期间、级别筛选，超期最久的在前，分页（各级数量见 counts）；format=csv 导出全部（UTF-8 BOM）");

        supervision.MapPost("/cases/{id:guid}/orders", (Guid id, OrderRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
        {
            var orderId = commands.NewId();
            var region = http.User.RegionId() ?? "";
            return CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "OrderSupervision", request, CaseAccess.Supervise,
                (s, a, _, now) => SupervisionDecider.Decide(new OrderSupervision(orderId, request.Instruction ?? "", request.DueOn, region), s, a, now), $"/api/supervision/cases/{id}");
        }).WithTags("Supervision · 监督").WithName("OrderSupervision").WithSummary("督办 · Order supervision of a case")
            .Command()
            .WithDescription("督办：下达督办要求和期限；逾期未答复自动升级（红牌）");

        supervision.MapPost("/cases/{id:guid}/accountability", async Task<IResult> (Guid id, AccountabilityRequest request, HttpContext http, CommandHttp commands, IEventStore store, CaseDesk desks) =>
        {
            var (_, stream, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Supervise);
            if (denied is not null)
                return denied;
            var recordId = commands.NewId();
            var eventIds = stream!.Events.Select(e => e.EventId).ToHashSet();
            return await CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "OpenAccountability", request, CaseAccess.Supervise,
                (s, a, _, now) => SupervisionDecider.Decide(new OpenAccountability(recordId, request.TargetKind ?? "", request.TargetId ?? "", request.TargetName ?? "", request.Measure,
                    request.Facts ?? "", request.EvidenceEventIds ?? []), s, eventIds, a, now), $"/api/supervision/cases/{id}");
        }).WithTags("Supervision · 监督").WithName("OpenAccountability").WithSummary("问责 · Open an accountability record")
            .Command()
            .WithDescription("问责：对人员或部门（提醒、约谈、通报批评、责令整改），引用办理经过中的记录为事实依据");

        supervision.MapPost("/cases/{id:guid}/accountability/{recordId:guid}/conclusion", (Guid id, Guid recordId, ConclusionRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ConcludeAccountability", request, CaseAccess.Supervise,
                (s, a, _, now) => SupervisionDecider.Decide(new ConcludeAccountability(recordId, request.Outcome ?? ""), s, a, now), $"/api/supervision/cases/{id}"))
            .WithTags("Supervision · 监督").WithName("ConcludeAccountability").WithSummary("问责结论 · Record the outcome of an accountability record")
            .Command()
            .WithDescription("登记问责处理结果");

        return supervision;
    }

    /// <summary>办件全过程 for everyone who may read it: supervisors of the region, staff involved, departments involved.</summary>
    public static RouteGroupBuilder MapCaseTimeline(this RouteGroupBuilder staff)
    {
        staff.MapGet("/cases/{id:guid}/timeline", async Task<IResult> (Guid id, HttpContext http, IEventStore store, CaseDesk desks, TimeProvider clock) =>
        {
            var (_, stream, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Timeline);
            if (denied is not null)
                return denied;
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            ETags.SetWeak(http, stream!.Version);
            return Results.Ok(CaseTimelines.For(CaseFacts.Of(stream), calendar, clock.GetUtcNow()));
        }).WithTags("Staff · 办件全过程").WithName("GetCaseTimeline").WithSummary("办件全过程 · A case's timeline: who held it, when and for how long")
            .Reads<CaseTimeline>(etag: true)
            .WithDescription("办件全过程：每条记录的办理人（姓名、角色、单位）、时间、内容和当时的期限；每个环节、每个人占用的工作日（中止、补正期间不计）。本区域监督人员、经办人员和承办部门可查看");
        return staff;
    }

    /// <summary>The answer to a 督办 order, by the window or department that has the case.</summary>
    public static RouteGroupBuilder MapSupervisionAnswers(this RouteGroupBuilder staff)
    {
        staff.MapPost("/cases/{id:guid}/supervision-orders/{orderId:guid}/answer", (Guid id, Guid orderId, AnswerRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "AnswerSupervision", request, CaseAccess.AnswerOrder,
                (s, a, _, now) => SupervisionDecider.Decide(new AnswerSupervision(orderId, request.Answer ?? ""), s, a, now), $"/api/cases/{id}"))
            .WithTags("Staff · 督办答复").WithName("AnswerSupervision").WithSummary("答复督办 · Answer a supervision order")
            .Command()
            .WithDescription("答复督办：填写办理情况");
        return staff;
    }

    internal static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
