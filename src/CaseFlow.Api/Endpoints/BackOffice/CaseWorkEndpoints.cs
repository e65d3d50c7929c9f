using CaseFlow.Api.Endpoints.Window;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Calendar;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.BackOffice;

public sealed record StepRequest(StepAction Action, string Opinion);

public sealed record DecisionRequest(bool Approved, string Opinion, string? LegalBasis, string? ReconsiderationBody, string? Court);

public sealed record ResultRequest(IReadOnlyList<ResultDocument> Documents, string SealId);

public sealed record SuspensionRequest(string Procedure, string Reason);

public sealed record CorrectionRequest(IReadOnlyList<NoticeLine> Items, string? OverrideReason);

public sealed record ExtensionRequest(int WorkingDays, string Reason);

public sealed record ReassignmentRequest(string ToId, string ToName, string Reason);

/// <summary>One line of a department's inbox, with its urgency.</summary>
public sealed record InboxRow(
    Guid CaseId, string PartId, string? CaseNumber, string ItemName, string ApplicantName, string AcceptingCentre, bool Lead, PartStage Stage,
    string? HolderId, string? HolderName, int StepIndex, string StepName, DateOnly? PromisedDue, int? WorkingDaysLeft, string Warning, bool ClockStopped,
    DateTimeOffset DispatchedAt);

/// <summary>
/// 后台审批 for department approvers and heads: the inbox, and every action on a department's part of a case.
/// Approvers act only on their own department's parts; heads approve extensions for their department only.
/// </summary>
public static class CaseWorkEndpoints
{
    public static RouteGroupBuilder MapCaseWork(this RouteGroupBuilder backOffice)
    {
        backOffice.WithTags("Back office · 部门审批");

        backOffice.MapGet("/inbox", async Task<IResult> (HttpContext http, NpgsqlDataSource db, CaseDesk desks, TimeProvider clock, string? stage, bool? mine, bool? overdue, int? limit, string? cursor) =>
        {
            // The light is the board's (issue 16): the worst level of the case's and this part's step deadlines in the
            // deadline watch, under the published warning rules — not a fixed "1 working day". Filtered in the query,
            // before the page, so no red item is lost behind the first rows. The order is the urgency: open before
            // decided, red, yellow, then the promised due date and the dispatch; the keyset is that tuple and the
            // part's id. The lights change with time, so a walk through the pages reads them as of its first page's
            // instant, which the cursor carries: no part is skipped or read twice because it turned red meanwhile.
            var (page, refused) = Paging.Read("inbox", limit, cursor,
                CursorKey.Instant, CursorKey.Number, CursorKey.Number, CursorKey.Date, CursorKey.Instant, CursorKey.Guid, CursorKey.Text);
            if (refused is not null)
                return refused;
            var now = page!.After is null ? clock.GetUtcNow() : page.Key<DateTimeOffset>(0);
            const string inbox =
                """
                SELECT p.case_id, p.part_id, p.case_number, p.item_name, p.applicant_name, p.accepting_centre, p.lead, p.stage, p.holder_id, p.holder_name,
                       p.step_index, p.step_name, p.promised_due, p.clock_stopped, p.dispatched_at, coalesce(l.level, 0) AS level,
                       -- no promised due date sorts last: a date no case reaches (not DateOnly.MaxValue, which Npgsql sends as infinity)
                       (p.stage = 'Decided')::int AS decided, coalesce(p.promised_due, DATE '9000-01-01') AS due_key
                FROM cf_case_parts p
                LEFT JOIN LATERAL (
                    SELECT max(CASE WHEN w.red_at <= $4 THEN 2 WHEN w.yellow_at <= $4 THEN 1 ELSE 0 END) AS level
                    FROM cf_deadline_watch w
                    WHERE w.case_id = p.case_id AND p.stage <> 'Decided'
                      AND ((w.scope = 'Step' AND starts_with(w.target, p.part_id || '#')) OR (w.scope = 'Case' AND w.department_id = p.department_id))) l ON true
                WHERE p.department_id = $1 AND ($2::text IS NULL OR p.stage = $2) AND ($3::text IS NULL OR p.holder_id = $3)
                  AND (NOT $5 OR l.level = 2)
                """;
            NpgsqlParameter[] Filter() =>
            [
                new() { Value = http.User.DepartmentId() ?? "", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)stage ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = mine == true ? http.User.StaffId() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = now, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = overdue == true, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean },
            ];
            await using var batch = db.CreateBatch();
            var rowsCmd = new NpgsqlBatchCommand(
                $"""
                SELECT * FROM ({inbox}) r
                WHERE $7::bigint IS NULL OR (r.decided, -r.level, r.due_key, r.dispatched_at, r.case_id, r.part_id) > ($7, $8, $9, $10, $11, $12)
                ORDER BY r.decided, -r.level, r.due_key, r.dispatched_at, r.case_id, r.part_id
                LIMIT $6
                """);
            rowsCmd.Parameters.AddRange(Filter());
            rowsCmd.Parameters.AddWithValue(page.Limit + 1);
            rowsCmd.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Bigint));
            rowsCmd.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Bigint));
            rowsCmd.Parameters.Add(page.Param(3, NpgsqlTypes.NpgsqlDbType.Date));
            rowsCmd.Parameters.Add(page.Param(4, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rowsCmd.Parameters.Add(page.Param(5, NpgsqlTypes.NpgsqlDbType.Uuid));
            rowsCmd.Parameters.Add(page.Param(6, NpgsqlTypes.NpgsqlDbType.Text));
            batch.BatchCommands.Add(rowsCmd);
            // A department's inbox is sorted whole for its urgency anyway: counting it costs no more, so the page says the total.
            var countCmd = new NpgsqlBatchCommand($"SELECT count(*) FROM ({inbox}) r");
            countCmd.Parameters.AddRange(Filter());
            batch.BatchCommands.Add(countCmd);
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            var rows = new List<(InboxRow Row, long Level)>();
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            while (await reader.ReadAsync(http.RequestAborted))
            {
                DateOnly? due = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12);
                var partStage = Enum.Parse<PartStage>(reader.GetString(7));
                int? left = due is { } d && partStage != PartStage.Decided ? WorkingDaysLeft(calendar, now, d) : null;
                var level = reader.GetInt32(15);
                var warning = level switch { 2 => "Red", 1 => "Yellow", _ => "None" };
                rows.Add((new InboxRow(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetBoolean(6), partStage, reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.GetInt32(10), reader.GetString(11), due, left, warning, reader.GetBoolean(13), reader.GetFieldValue<DateTimeOffset>(14)), level));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            var total = reader.GetInt64(0);
            return Results.Ok(page.PageOf(rows, r => [now, r.Row.Stage == PartStage.Decided ? 1L : 0L, -r.Level,
                r.Row.PromisedDue ?? new DateOnly(9000, 1, 1), r.Row.DispatchedAt, r.Row.CaseId, r.Row.PartId], total).Map(r => r.Row));
        }).WithName("ListInbox").WithSummary("部门收件箱 · The department's inbox, most urgent first")
            .Lists<InboxRow>()
            .WithDescription("部门收件箱：本部门的办件，按紧急程度（红灯、黄灯、承诺办结日）排序，翻页时灯色按第一页的时刻；可按环节状态、本人承办、超期筛选；灯色与时限看板相同（现行预警规则）");

        backOffice.MapGet("/cases/{id:guid}", async Task<IResult> (Guid id, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (file, stream, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Read);
            if (denied is not null)
                return denied;
            if (ETags.IsNotModified(http, stream!.UserVersion))
                return ETags.NotModified();
            return Results.Ok(CaseReceiptEndpoints.View(file!, stream, http, await desks.CalendarAsync(http.RequestAborted)));
        }).WithName("GetBackOfficeCase").WithSummary("办件详情（后台） · A case as the back office sees it")
            .Reads<CaseView>(etag: true).Produces(StatusCodes.Status304NotModified) // If-None-Match (ETags.md)
            .WithDescription("办件详情（后台）：各部门环节进度、计时中止、延期、决定与办理经过；牵头部门可见各协办部门进度");

        var part = backOffice.MapGroup("/cases/{id:guid}/parts/{partId}");

        part.MapPost("/claim", (Guid id, string partId, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ClaimPart", new { partId }, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new ClaimPart(partId), s, a, desk, now)))
            .WithName("ClaimPart").WithSummary("签收 · Claim a department's part of a case")
            .Command()
            .WithDescription("签收：本部门审批人员签收办件，开始承办环节");

        part.MapPost("/steps", (Guid id, string partId, StepRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "CompleteStep", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new CompleteStep(partId, request.Action, request.Opinion ?? ""), s, a, desk, now)))
            .WithName("CompleteStep").WithSummary("办理环节 · Complete the current step: pass, or return it")
            .Command()
            .WithDescription("办理当前环节：通过（进入下一环节）、退回上一环节、退回窗口（须写明原因）；记录办理人、意见和用时");

        part.MapPost("/decision", (Guid id, string partId, DecisionRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "DecidePart", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new DecidePart(partId, request.Approved, request.Opinion ?? "", request.LegalBasis, request.ReconsiderationBody, request.Court), s, a, desk, now)))
            .WithName("DecidePart").WithSummary("作出决定 · Decide a department's part: approve or refuse")
            .Command()
            .WithDescription("决定：准予，或不予许可（写明理由、法律依据和救济途径）；各部门均决定后办件办结");

        part.MapPost("/result", (Guid id, string partId, ResultRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RegisterResult", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new RegisterResult(partId, request.Documents ?? [], request.SealId ?? ""), s, a, desk, now)))
            .WithName("RegisterResult").WithSummary("登记办理结果 · Register the result documents")
            .Command()
            .WithDescription("登记办理结果：证照或批文编号、有效期、加盖的审批专用章；全部结果登记后送窗口待取件");

        part.MapPost("/suspension", (Guid id, string partId, SuspensionRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
        {
            var suspensionId = commands.NewId();
            return CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "SuspendClock", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new SuspendClock(suspensionId, partId, request.Procedure ?? "", request.Reason ?? ""), s, a, desk, now));
        }).WithName("SuspendClock").WithSummary("中止计时 · Stop the clock for a special procedure")
            .Command()
            .WithDescription("特别程序中止计时：仅限听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审，出具特别程序告知书");

        part.MapPost("/resumption", (Guid id, string partId, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ResumeClock", new { partId }, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new ResumeClock(partId), s, a, desk, now)))
            .WithName("ResumeClock").WithSummary("恢复计时 · Restart the clock after a special procedure")
            .Command()
            .WithDescription("特别程序结束，恢复计时：中止的工作日加回全部期限");

        part.MapPost("/correction", (Guid id, string partId, CorrectionRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
        {
            var noticeId = commands.NewId();
            return CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RequestCorrection", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new RequestCorrection(noticeId, partId, request.Items ?? [], request.OverrideReason), s, a, desk, now));
        }).WithName("RequestCorrection").WithSummary("后台补正 · Ask for corrections from the back office")
            .Command()
            .WithDescription("后台补正：出具告知书（同样适用不得二次告知规则），停止计时，待申请人到窗口补正后恢复");

        part.MapPost("/reassignment", async Task<IResult> (Guid id, string partId, ReassignmentRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
        {
            // The target as registered: their department decides whether they may take the part, their registered name goes on record.
            var target = await desks.StaffMemberAsync(request.ToId ?? "", http.RequestAborted);
            return await CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ReassignPart", request, CaseAccess.Reassign,
                (s, a, desk, now) => BackOfficeDecider.Decide(
                    new ReassignPart(partId, request.ToId ?? "", target?.Name ?? request.ToName ?? "", request.Reason ?? "", target is { Role: "Approver" or "DepartmentHead" } t ? t.DepartmentId : null),
                    s, a, desk, now));
        })
            .WithName("ReassignPart").WithSummary("改派 · Reassign a part to another member of the department")
            .Command()
            .WithDescription("改派：部门负责人或督查人员指定接办人，记录原因");

        backOffice.MapPost("/cases/{id:guid}/extension", (Guid id, ExtensionRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ExtendDeadline", request, CaseAccess.DepartmentWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new ExtendDeadline(request.WorkingDays, request.Reason ?? ""), s, a, desk, now)))
            .WithName("ExtendDeadline").WithSummary("延期 · Extend a case's deadline, once")
            .Command()
            .WithDescription("延期：部门负责人批准，每案一次，不超过10个工作日（一件事15个），出具延期告知书");

        return backOffice;
    }

    private static int? WorkingDaysLeft(WorkingCalendar calendar, DateTimeOffset now, DateOnly due)
    {
        try
        {
            return calendar.WorkingDaysLeft(now, WorkingCalendar.EndOf(due));
        }
        catch (CalendarYearNotPublishedException)
        {
            return null;
        }
    }
}
