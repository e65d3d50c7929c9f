using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Handover;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Window;

/// <summary>
/// 收件. A clerk names the window; a village agent does not — the case goes to the comprehensive window of the
/// agent's township centre, with the resident's written authorisation.
/// </summary>
public sealed record ReceiveCaseRequest(
    string? WindowId, Guid? ItemId, Applicant Applicant, IReadOnlyList<ReceivedMaterial>? Materials, Channel Channel = Channel.Window,
    WrittenAuthorisation? Authorisation = null, Guid? InquiryId = null, Guid? BundleId = null,
    Guid? AppointmentId = null, CaseFlow.Domain.Appointments.HomeServiceForm? HomeService = null);

public sealed record AgentView(string AgentId, string AgentName, string StationName, WrittenAuthorisation Authorisation, DateOnly ActBy, bool ActByPassed);

public sealed record NoticeView(Guid NoticeId, int Ordinal, string DocumentNumber, IReadOnlyList<NoticeItem> Items, string IssuedBy, DateTimeOffset IssuedAt, bool Open);

public sealed record AcceptanceView(string Route, DateOnly AcceptedOn, DateOnly PromisedDue, DateOnly StatutoryDue, string AcceptedBy, bool Deemed, string? ResponsibleName);

public sealed record RejectionView(string Reason, string LegalBasis, bool NotCompetent, string? CompetentBody, string RejectedBy, DateTimeOffset RejectedAt);

public sealed record DocumentLink(DocumentKind Kind, string Title, string Number, DateOnly IssuedOn, string Href, string PrintHref);

public sealed record TimelineEntry(DateTimeOffset At, string Event, string What, string By, string Role);

public sealed record DueView(DateOnly PromisedDue, DateOnly StatutoryDue, bool Provisional, bool ClockStopped, int ExtensionWorkingDays);

public sealed record PartView(
    string PartId, string ItemName, string DepartmentId, string DepartmentName, string DecidingCentre, bool Lead, PartStage Stage, string? HolderId, string? HolderName,
    int StepIndex, string StepName, IReadOnlyList<CaseFlow.Domain.Catalogue.ApprovalStep> Steps, bool? Approved, IReadOnlyList<CaseFlow.Domain.BackOffice.ResultDocument> Results);

public sealed record StopView(string Kind, DateTimeOffset From, DateTimeOffset? To);

public sealed record DecisionView(bool Approved, DateOnly DecidedOn, bool Overdue);

public sealed record HandoverView(
    DeliveryMethod? DeliveryMethod, string? ReceiverName, string? ReceiverIdNumber, bool? ByApplicant, string? Carrier, string? WaybillNumber, DateTimeOffset? ClosedAt,
    int Round, RatingLevel? Rating, string? RatingDetails, bool DefaultRating, DateOnly? ReturnVisitDue, DateOnly? RectificationDue, bool ReturnVisited, bool Rectified,
    DateOnly? PickupDue);

public sealed record EscalationView(string WindowId, string Reason, string CoordinatorName, DateOnly DueOn, string? Resolution);

/// <summary>A case as the window (or the submitting agent) sees it: where it stands, what is due, what was printed.</summary>
public sealed record CaseView(
    Guid Id, string? CaseNumber, CaseStatus Status, string StatusName, string CentreId, string WindowId, Channel Channel,
    Guid ItemId, int ItemRevision, string ItemName, CaseKind CaseKind, int PromisedLimitWorkingDays, int StatutoryLimitWorkingDays,
    Applicant Applicant, IReadOnlyList<ReceivedMaterial> Materials, IReadOnlyList<Material> Checklist,
    string ReceivedBy, DateTimeOffset ReceivedAt, DateOnly? NoticePeriodEndsOn, AgentView? Agent,
    IReadOnlyList<NoticeView> Notices, AcceptanceView? Acceptance, IReadOnlyList<Deficiency> OutstandingDeficiencies,
    RejectionView? Rejection, string? TerminationReason, string? CompletionResult, int RepeatNotices,
    DueView? Due, IReadOnlyList<PartView> Parts, IReadOnlyList<StopView> ClockStops, DecisionView? Decision, EscalationView? Escalation, HandoverView Handover,
    IReadOnlyList<DocumentLink> Documents, IReadOnlyList<TimelineEntry> Timeline, long Version, ServiceModeView? ServiceMode = null);

/// <summary>How the case reached the window (issue 17): by appointment, and/or received at the applicant's home.</summary>
public sealed record ServiceModeView(
    Guid? AppointmentId, string? AppointmentNumber, CaseFlow.Domain.Appointments.SlotKind? SlotKind, DateTimeOffset? SlotStartsAt,
    string? HomeServiceReason, string? HomeServiceDetails, string? HomeAddress, IReadOnlyList<CaseFlow.Domain.Appointments.StaffOnVisit>? StaffWhoWent);

public sealed record CaseListRow(
    Guid Id, string? CaseNumber, CaseStatus Status, string ItemName, string ApplicantName, Channel? Channel, string ReceivedBy, DateTimeOffset ReceivedAt,
    DateOnly? NoticePeriodEndsOn, DateOnly? ActBy, DateOnly? AcceptedOn, DateOnly? PromisedDue, DateOnly? DeficiencyDue, bool Deemed, int Notices);

/// <summary>收件, the window's case list, and the case view.</summary>
public static class CaseReceiptEndpoints
{
    public static RouteGroupBuilder MapCaseReceipt(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/cases").WithTags("Window · 收件与受理");

        group.MapPost("/", async Task<IResult> (ReceiveCaseRequest request, HttpContext http, CommandHttp commands, CaseDesk desks, Endpoints.Appointments.ServiceModes modes) =>
        {
            var actor = CurrentActor.From(http.User);
            // The way the applicant came: an agent's submission is the village channel; at the window, the window or
            // a self-service terminal the clerk registers from. Nobody files as System or Back office (issue 13).
            var channel = actor.Role == Role.Agent ? Channel.VillageAgent : request.Channel;
            if (channel is not (Channel.Window or Channel.SelfServiceTerminal or Channel.VillageAgent) || (channel == Channel.VillageAgent && actor.Role != Role.Agent))
                return Problems.Problem(400, "case.channel_not_allowed", "收件渠道只能是窗口（Window）或自助终端（SelfServiceTerminal）；代办件由代办员提交。",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["channel"] = ["收件渠道不允许。"] } });
            var id = commands.NewId();
            // The Idempotency-Key is reserved before the case number is taken (a replay never takes one).
            return await commands.ExecuteAsync(http, "ReceiveCase", CaseFile.Kind, id, request, $"/api/window/cases/{id}", async () =>
            {
                // 预约 and 上门服务 (issue 17): checked before the case number is taken.
                var (mode, modeError) = await modes.PrepareAsync(request, id, actor, http);
                if (modeError is not null)
                    return (null, modeError);
                var (command, desk, error) = await desks.PrepareReceiptAsync(
                    new ReceiptForm(request.WindowId, request.ItemId ?? Guid.Empty, request.Applicant, request.Materials, channel, request.Authorisation, request.InquiryId, request.BundleId),
                    id, actor, http.User.CentreId(), commands.Clock.GetUtcNow(), http.RequestAborted);
                return error is not null
                    ? (null, error)
                    : ((Func<CaseFile, Actor, DateTimeOffset, Decision>)((state, a, now) => mode.Decide(CaseDecider.Decide(command!, state, a, desk!, now), command!, a, now)), null);
            });
        }).WithName("ReceiveCase").WithSummary("收件 · Receive a case")
            .Command(CommandAnswer.Created)
            .WithDescription("收件：登记申请人（身份证号/统一社会信用代码校验）与材料收取情况，分配办件编号；一件事用 bundleId（合并材料清单、联办时限）；带 inquiryId 时首问随之以“已收件”办结；代办员代办时登记委托书并转乡镇综合窗口（3个工作日内处理）；带 appointmentId 时按预约收件（预约记为已到场）；带 homeService 时记为上门服务收件（原因、上门人员），按窗口收件适用全部规则");

        group.MapGet("/", async Task<IResult> (HttpContext http, NpgsqlDataSource db, CaseDesk desks, string? status, int? limit, string? cursor) =>
        {
            // The one list convention (Paging): newest first, keyset on (received_at, case_id).
            var (page, refused) = Paging.Read("cases", limit, cursor, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            var agent = http.User.IsInRole(Roles.Agent);
            const string columns = "case_id, case_number, status, item_name, applicant_name, channel, received_by, received_at, act_by, accepted_on, promised_due, deficiency_due, deemed, notices";
            var scope = $"{(agent ? "agent_id" : "centre_id")} = $1 AND ($2::text IS NULL OR status = $2)";
            await using var batch = db.CreateBatch();
            var rowsCmd = new NpgsqlBatchCommand(
                $"""
                SELECT {columns} FROM cf_cases
                WHERE {scope} AND ($4::timestamptz IS NULL OR (received_at, case_id) < ($4, $5))
                ORDER BY received_at DESC, case_id DESC LIMIT $3
                """);
            var owner = agent ? http.User.StaffId() : http.User.CentreId() ?? "";
            rowsCmd.Parameters.AddWithValue(owner);
            rowsCmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            rowsCmd.Parameters.AddWithValue(page!.Limit + 1);
            rowsCmd.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rowsCmd.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rowsCmd);
            // A centre's (or an agent's) cases are counted on the index the list reads: cheap, so the page says the total.
            var countCmd = new NpgsqlBatchCommand($"SELECT count(*) FROM cf_cases WHERE {scope}");
            countCmd.Parameters.AddWithValue(owner);
            countCmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            batch.BatchCommands.Add(countCmd);
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            var rows = new List<CaseListRow>();
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            while (await reader.ReadAsync(http.RequestAborted))
            {
                var state = Enum.Parse<CaseStatus>(reader.GetString(2));
                var receivedAt = reader.GetFieldValue<DateTimeOffset>(7);
                DateOnly? Date(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateOnly>(i);
                rows.Add(new CaseListRow(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), state, reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : Enum.Parse<Channel>(reader.GetString(5)), reader.GetString(6), receivedAt,
                    state == CaseStatus.Received ? NoticePeriodEnd(calendar, receivedAt) : null,
                    Date(8), Date(9), Date(10), Date(11), reader.GetBoolean(12), reader.GetInt32(13)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            var total = reader.GetInt64(0);
            return Results.Ok(page.PageOf(rows, r => [r.ReceivedAt, r.Id], total));
        }).WithName("ListCases").WithSummary("办件列表 · The window's cases, or an agent's own submissions")
            .Lists<CaseListRow>()
            .WithDescription("办件列表：窗口人员看本中心的办件（含告知期限届满日、代办件须处理日），代办员看本人代办的办件");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (file, stream, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Read);
            if (denied is not null)
                return denied;
            if (ETags.IsNotModified(http, stream!.UserVersion))
                return ETags.NotModified();
            return Results.Ok(View(file!, stream, http, await desks.CalendarAsync(http.RequestAborted)));
        }).WithName("GetCase").WithSummary("查看办件 · A case as the window sees it")
            .Reads<CaseView>(etag: true).Produces(StatusCodes.Status304NotModified) // If-None-Match (ETags.md)
            .WithDescription("查看办件：锁定的事项版本与时限、材料情况、告知书、受理结果与期限、已出具文书、办理经过");

        return window;
    }

    /// <param name="withAnnotations">The supervision audit lists the system's lights and escalations too (weak ETag).</param>
    public static CaseView View(CaseFile f, LoadedStream stream, HttpContext http, Domain.Calendar.WorkingCalendar calendar, bool withAnnotations = false)
    {
        var r = f.Receipt!;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        // The window clerk serving the applicant sees identity numbers whole; the agent sees them masked (DOMAIN.md §8).
        var applicant = http.User.IsInRole(Roles.Agent) || http.User.IsInRole(Roles.Supervisor) ? r.Applicant.Masked() : r.Applicant;
        DueView? due = null;
        try
        {
            if (f.DuesAt(calendar, now) is var (promised, statutory))
                due = new DueView(promised.Day, statutory.Day, promised.Provisional || statutory.Provisional, f.Work.OpenStop is not null, f.ExtensionWorkingDays);
        }
        catch (Domain.Calendar.CalendarYearNotPublishedException)
        {
            due = null;
        }
        AcceptanceView? acceptance = f switch
        {
            { Acceptance: { } a } => new(a.Route.ToString(), a.AcceptedOn, a.PromisedDue.Day, a.StatutoryDue.Day, a.AcceptedByName, false, null),
            { DeficiencyAcceptance: { } d } => new("WithDeficiency", d.AcceptedOn, d.PromisedDue.Day, d.StatutoryDue.Day, d.AcceptedByName, false, null),
            { Deemed: { } d } => new("Deemed", d.AcceptedOn, d.PromisedDue.Day, d.StatutoryDue.Day, CaseSweeper.Actor.Name, true, d.ResponsibleName),
            _ => null,
        };
        var documents = CaseDocuments.For(f).Select(d => new DocumentLink(d.Kind, d.Title, d.Number, d.IssuedOn,
            $"/api/window/cases/{f.Id}/documents/{d.Number}", $"/api/window/cases/{f.Id}/documents/{d.Number}/print")).ToList();
        return new CaseView(
            f.Id, f.Number, f.Status, CaseDecider.StatusName(f.Status), r.CentreId, r.WindowId, r.Channel,
            r.ItemId, r.ItemRevision, r.Item.Name, r.Item.CaseKind, r.Item.PromisedLimitWorkingDays, r.Item.StatutoryLimitWorkingDays,
            applicant, f.Materials, r.Item.Materials, r.ReceivedByName, r.ReceivedAt,
            f.Status == CaseStatus.Received ? NoticePeriodEnd(calendar, r.ReceivedAt) : null,
            f.Agent is { } ag ? new AgentView(ag.AgentId, ag.AgentName, ag.StationName, ag.Authorisation, ag.ActBy.Day, f.Status == CaseStatus.Received && now >= ag.ActBy.EndsAt) : null,
            f.Notices.Select(n => new NoticeView(n.NoticeId, n.Ordinal, n.Document.Number, n.Items, n.IssuedByName, n.IssuedAt, n.Open)).ToList(),
            acceptance, f.Outstanding,
            f.Rejection is { } x ? new RejectionView(x.Reason, x.LegalBasis, x.NotCompetent, x.CompetentBody, x.RejectedByName, x.RejectedAt) : null,
            f.Termination?.Reason, f.Completion?.Result, f.RepeatNotices.Count,
            due,
            f.Work.Parts.Select(p => new PartView(p.Plan.PartId, p.Plan.ItemName, p.Plan.DepartmentId, p.Plan.DepartmentName, p.Plan.DecidingCentreName, p.Plan.Lead,
                p.Stage, p.HolderId, p.HolderName, p.Step, p.CurrentStep.Name, p.Plan.Steps, p.Approved, p.Results)).ToList(),
            f.Work.Stops.Select(x => new StopView(x.Kind, x.From, x.To)).ToList(),
            f.Work.Decision is { } decided ? new DecisionView(decided.Approved, decided.DecidedOn, decided.Overdue) : null,
            f.Work.Escalation is { } esc ? new EscalationView(esc.WindowId, esc.Reason, esc.CoordinatorName, esc.DueOn, f.Work.Resolution?.Resolution) : null,
            Handover(f.Handover, masked: !http.User.IsInRole(Roles.Clerk), PickupDue(calendar, f)),
            documents,
            // What users did; the system's lights and escalations are on the board, the inbox and the timeline, so
            // the view (and its ETag, the version users see) does not change when the sweeper raises one (issue 16).
            stream.Events.Where(e => withAnnotations || e.Data is not ISystemAnnotation)
                .Select(e => new TimelineEntry(e.Timestamp, e.Type, Domain.Supervision.CaseTimelines.Title(e.Type), e.Metadata.ActorName, e.Metadata.ActorRole)).ToList(),
            stream.UserVersion,
            ServiceMode(stream, masked: !http.User.IsInRole(Roles.Clerk)));
    }

    /// <summary>The booking and the home visit the case's events record; the home address only for clerks.</summary>
    private static ServiceModeView? ServiceMode(LoadedStream stream, bool masked)
    {
        var booked = stream.Events.Select(e => e.Data).OfType<CaseFlow.Domain.Appointments.CaseReceivedByAppointment>().FirstOrDefault();
        var home = stream.Events.Select(e => e.Data).OfType<CaseFlow.Domain.Appointments.CaseReceivedAtHome>().FirstOrDefault();
        if (booked is null && home is null)
            return null;
        return new ServiceModeView(booked?.AppointmentId, booked?.AppointmentNumber, booked?.SlotKind, booked?.SlotStartsAt,
            home?.Reason.ToString(), masked ? null : home?.ReasonDetails, masked ? null : home?.Address, home?.StaffWhoWent);
    }

    private static HandoverView Handover(Domain.Handover.HandoverOnFile h, bool masked, DateOnly? pickupDue) => new(
        h.Mailed is not null ? DeliveryMethod.Mail : h.Preference?.Method, h.HandedOut?.ReceiverName,
        h.HandedOut is { } x ? (masked ? Domain.Identity.ResidentIdNumber.Mask(x.ReceiverIdNumber) : x.ReceiverIdNumber) : null, h.HandedOut?.ByApplicant,
        h.Mailed?.Carrier, h.Mailed?.WaybillNumber, h.Closed?.ClosedAt, h.Round,
        h.Rating?.Level ?? h.DefaultRating?.Level, h.Rating?.Details, h.DefaultRating is not null,
        h.Rectification?.ReturnVisitDue.Day, h.Rectification?.RectificationDue.Day, h.ReturnVisit is not null, h.Rectified is not null, pickupDue);

    /// <summary>The day the result should be handed out by, once decided (the board's pickup deadline).</summary>
    private static DateOnly? PickupDue(Domain.Calendar.WorkingCalendar calendar, CaseFile f)
    {
        if (f.Work.Decision is not { } decided)
            return null;
        try
        {
            return Domain.Deadlines.DeadlineEngine.PickupDue(calendar, decided.DecidedAt).Day;
        }
        catch (Domain.Calendar.CalendarYearNotPublishedException)
        {
            return null;
        }
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
