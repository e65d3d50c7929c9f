using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.OnlineSubmission;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.OnlineSubmission;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Platform;

/// <summary>
/// An online submission as the provincial platform sends it (<c>contracts/online/</c>): the platform's submission id
/// (the idempotency key), the centre's code, the item's implementation code (实施编码), the applicant, when they
/// submitted, and the electronic materials — code, file name, media type, size, SHA-256 and the platform's file reference.
/// </summary>
public sealed record OnlineSubmissionRequest(
    string SubmissionId, string CentreCode, string ItemCode, Applicant Applicant, DateTimeOffset SubmittedAt, IReadOnlyList<ElectronicMaterial> Materials);

/// <summary>The platform's answer: the case its submission became (201 the first time, 200 for a replay of the same submission).</summary>
public sealed record OnlineSubmissionAnswer(string SubmissionId, Guid CaseId, string CaseNumber, bool Replayed);

/// <summary>A line of the centre's 预审 (pre-review) queue of online submissions.</summary>
public sealed record OnlineQueueRow(
    Guid CaseId, string CaseNumber, string SubmissionId, CaseStatus Status, string ItemName, string ApplicantName, int Materials,
    DateTimeOffset SubmittedAt, DateTimeOffset ReceivedAt, DateOnly? NoticePeriodEndsOn, string? LastOutcome, DateTimeOffset? OutcomeAt);

public sealed record OnlineOutcomeView(string Outcome, string? DocumentNumber, string? Detail, DateTimeOffset RecordedAt);

/// <summary>What came from the platform with a case: its electronic materials (described; the files stay there) and what the platform was told.</summary>
public sealed record OnlineSubmissionView(
    Guid CaseId, string? CaseNumber, string PlatformName, string SubmissionId, DateTimeOffset SubmittedAt, DateTimeOffset ReceivedAt, DateOnly? NoticePeriodEndsOn,
    string WindowId, IReadOnlyList<ElectronicMaterial> Materials, IReadOnlyList<OnlineOutcomeView> Outcomes);

/// <summary>
/// 网上办 (issue 17): the platform's signed inbound API, and the window's 预审 queue. The clerk decides an online case
/// with the acceptance commands of the window (<see cref="Window.AcceptanceEndpoints"/>), under the same rules.
/// </summary>
public static class OnlineSubmissionEndpoints
{
    /// <summary>The platform's own entry: no staff token, an HMAC signature (<see cref="PlatformSignature"/>).</summary>
    public static RouteGroupBuilder MapOnlineSubmissionIntake(this RouteGroupBuilder platform)
    {
        platform.MapPost("/online-submissions", async Task<IResult> (HttpContext http, OnlineIntake intake, OnlinePlatformOptions options, TimeProvider clock) =>
        {
            var (body, refused) = await PlatformSignature.VerifyAsync(http, options, clock);
            if (refused is not null)
                return refused;
            OnlineSubmissionRequest? request;
            try
            {
                var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
                request = JsonSerializer.Deserialize<OnlineSubmissionRequest>(body, json);
            }
            catch (JsonException)
            {
                request = null;
            }
            if (request is null)
                return Problems.Problem(400, "platform.body_invalid", "请求内容不是有效的网上申报（JSON，字段见接口约定）。");
            var found = new List<InputRules.Violation>();
            InputRules.Check("", request, typeof(OnlineSubmissionRequest), false, found);
            if (found.Count > 0)
                return InputRules.Refusal(found);

            var actor = Actor.Platform(options.Id, options.Name);
            var form = new OnlineSubmissionForm(request.SubmissionId, request.CentreCode, request.ItemCode, request.Applicant, request.SubmittedAt, request.Materials);
            var result = await intake.SubmitAsync(form, actor, System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, http.RequestAborted);
            switch (result)
            {
                case OnlineIntakeResult.Created c:
                    return Results.Json(new OnlineSubmissionAnswer(form.SubmissionId.Trim(), c.CaseId, c.CaseNumber, false), statusCode: StatusCodes.Status201Created);
                case OnlineIntakeResult.Replayed r:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Results.Json(new OnlineSubmissionAnswer(form.SubmissionId.Trim(), r.CaseId, r.CaseNumber, true));
                case OnlineIntakeResult.IdReused u:
                    return Problems.Problem(409, "platform.submission_id_reused",
                        "该申报编号已用于另一份内容不同的申报；同一编号重复提交时内容须完全一致，新的申报请使用新的编号。",
                        new Dictionary<string, object?> { ["caseId"] = u.CaseId });
                case OnlineIntakeResult.Refused x:
                    return Problems.From(x.Error);
                default:
                    throw new InvalidOperationException($"Unmapped intake result {result.GetType().Name}");
            }
        }).WithName("SubmitOnline").WithSummary("网上申报 · Take in a submission of the provincial platform")
            .Accepts<OnlineSubmissionRequest>("application/json")
            .Produces<OnlineSubmissionAnswer>(StatusCodes.Status201Created)
            .Produces<OnlineSubmissionAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new PlatformSignedEndpoint())
            .Refuses(400, 401, 403, 404, 409, 413, 415, 422)
            .WithDescription("网上申报（网上办、赣服通）：省级政务服务平台以 HMAC-SHA256 签名提交（不接受工作人员令牌）；按平台申报编号幂等，重复提交同一申报返回同一办件（200），编号相同而内容不同则拒绝（409）；" +
                "办件以“网上”渠道收件、登记电子材料（元数据与 SHA-256 摘要，文件保存在平台），进入受理中心综合窗口的预审队列，5 个工作日告知期自网上收件时起算");

        return platform;
    }

    /// <summary>The window's side: the 预审 queue and what came with an online case (Clerk of the centre).</summary>
    public static RouteGroupBuilder MapOnlineSubmissionQueue(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Clerk)).WithTags("Window · 网上办预审");

        group.MapGet("/online-submissions", async Task<IResult> (HttpContext http, NpgsqlDataSource db, CaseDesk desks, string? status, int? limit, string? cursor) =>
        {
            // The one list convention (Paging): newest first, keyset on (received_at, case_id), within the clerk's centre.
            var (page, refused) = Paging.Read("online-submissions", limit, cursor, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            const string scope = "o.centre_id = $1 AND ($2::text IS NULL OR k.status = $2)";
            await using var batch = db.CreateBatch();
            var rowsCmd = new NpgsqlBatchCommand(
                $"""
                SELECT o.case_id, o.case_number, o.submission_id, k.status, k.item_name, k.applicant_name, o.materials, o.submitted_at, o.received_at,
                       o.last_outcome, o.outcome_at
                FROM cf_online_submissions o JOIN cf_cases k ON k.case_id = o.case_id
                WHERE {scope} AND ($4::timestamptz IS NULL OR (o.received_at, o.case_id) < ($4, $5))
                ORDER BY o.received_at DESC, o.case_id DESC LIMIT $3
                """);
            var centre = http.User.CentreId() ?? "";
            rowsCmd.Parameters.AddWithValue(centre);
            rowsCmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            rowsCmd.Parameters.AddWithValue(page!.Limit + 1);
            rowsCmd.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rowsCmd.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rowsCmd);
            var countCmd = new NpgsqlBatchCommand($"SELECT count(*) FROM cf_online_submissions o JOIN cf_cases k ON k.case_id = o.case_id WHERE {scope}");
            countCmd.Parameters.AddWithValue(centre);
            countCmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            batch.BatchCommands.Add(countCmd);
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            var rows = new List<OnlineQueueRow>();
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            while (await reader.ReadAsync(http.RequestAborted))
            {
                var state = Enum.Parse<CaseStatus>(reader.GetString(3));
                var receivedAt = reader.GetFieldValue<DateTimeOffset>(8);
                rows.Add(new OnlineQueueRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), state, reader.GetString(4), reader.GetString(5), reader.GetInt32(6),
                    reader.GetFieldValue<DateTimeOffset>(7), receivedAt, state == CaseStatus.Received ? NoticePeriodEnd(calendar, receivedAt) : null,
                    reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            var total = reader.GetInt64(0);
            return Results.Ok(page.PageOf(rows, r => [r.ReceivedAt, r.CaseId], total));
        }).WithName("ListOnlineSubmissions").WithSummary("网上办预审队列 · The centre's queue of online submissions")
            .Lists<OnlineQueueRow>()
            .WithDescription("网上办预审队列：本中心收到的网上申报（?status=Received 为待预审），含告知期限届满日（自网上收件起 5 个工作日）和已告知平台的结果；受理、一次性告知、不予受理用窗口的受理操作");

        group.MapGet("/cases/{id:guid}/online-submission", async Task<IResult> (Guid id, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (file, _, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Read);
            if (denied is not null)
                return denied;
            if (file!.Online is not { } online)
                return Problems.Problem(404, "online.not_an_online_case", "该办件不是网上申报的办件。");
            var stream = await store.LoadAsync(online.SubmissionStreamId, http.RequestAborted);
            var submission = stream is null ? OnlineSubmissionFile.Empty : OnlineSubmissionFile.Kind.Fold(stream.Events.Select(e => e.Data));
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            return Results.Ok(new OnlineSubmissionView(file.Id, file.Number, online.PlatformName, online.SubmissionId, online.SubmittedAt, online.ReceivedAt,
                file.Status == CaseStatus.Received ? NoticePeriodEnd(calendar, file.Receipt!.ReceivedAt) : null, online.RoutedToWindowId, online.Materials,
                submission.Outcomes.Select(o => new OnlineOutcomeView(o.Outcome.ToString(), o.DocumentNumber, o.Detail, o.RecordedAt)).ToList()));
        }).WithName("GetOnlineSubmission").WithSummary("网上申报材料 · The electronic materials and platform outcomes of an online case")
            .Reads<OnlineSubmissionView>()
            .WithDescription("网上申报的电子材料（文件名、格式、大小、SHA-256 摘要、平台文件标识；文件保存在平台）及已告知平台的受理结果");

        return window;
    }

    private static DateOnly? NoticePeriodEnd(Domain.Calendar.WorkingCalendar calendar, DateTimeOffset receivedAt)
    {
        try
        {
            return calendar.AddWorkingDays(receivedAt, CaseDecider.NoticePeriodWorkingDays).Day;
        }
        catch (Domain.Calendar.CalendarYearNotPublishedException)
        {
            return null;
        }
    }
}

/// <summary>An endpoint the platform calls with its signature, not a staff token (<see cref="PlatformSignature"/>; read by the OpenAPI conventions).</summary>
public sealed record PlatformSignedEndpoint;
