using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Appointments;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Appointments;
using CaseFlow.Persistence.Calendar;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Appointments;

public sealed record PublishItemsRequest(IReadOnlyList<string> ItemCodes);

public sealed record PublishSlotsRequest(IReadOnlyList<SlotRequest> Slots);

/// <summary>
/// A booking: the slot by id, or the time it starts (and the window, if the applicant cares) at the centre; the item
/// by its implementation code; the applicant.
/// </summary>
public sealed record BookAppointmentRequest(string? CentreId, Guid? SlotId, DateTimeOffset? StartsAt, string? WindowId, string ItemCode, BookingApplicant Applicant);

/// <summary>A change of slot; the anonymous applicant proves the booking is theirs with its ID number.</summary>
public sealed record RescheduleRequest(Guid? SlotId, DateTimeOffset? StartsAt, string? WindowId, string? IdNumber);

public sealed record CancelRequest(string? Reason, string? IdNumber);

public sealed record AppointmentView(
    Guid Id, string Number, AppointmentStatus Status, string StatusName, string CentreId, string WindowId, Guid SlotId, DateOnly Day, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    SlotKind Kind, string ItemCode, string ItemName, IReadOnlyList<string> Checklist, BookingApplicant Applicant, Channel Channel, DateTimeOffset BookedAt,
    DateTimeOffset RemindAt, bool Reminded, Guid? CaseId, long Version);

public sealed record AppointmentRow(
    Guid Id, string Number, AppointmentStatus Status, string WindowId, DateOnly Day, DateTimeOffset StartsAt, DateTimeOffset EndsAt, SlotKind Kind, string ItemCode, string ItemName,
    BookingApplicant Applicant, Channel Channel, Guid? CaseId);

public sealed record SlotRow(Guid SlotId, string CentreId, string WindowId, DateOnly Day, DateTimeOffset StartsAt, DateTimeOffset EndsAt, SlotKind Kind, int Capacity, int Booked, int Available);

/// <summary>
/// 预约 / 延时错时服务 (issue 17): administrators publish a centre's bookable items and slots; clerks, village agents and
/// — anonymously, rate-limited — applicants through the provincial app book, change and cancel. Decision record:
/// src/CaseFlow.Domain/Appointments/README.md.
/// </summary>
public static class AppointmentEndpoints
{
    /// <summary>The rate-limiting policy of the anonymous booking API (README "Security").</summary>
    public const string PublicPolicy = "public-appointments";

    /// <summary>Who the anonymous applicant is in the record: no staff identity; the channel is Online.</summary>
    public static readonly Actor PublicApplicant = new("online:public", "网上预约申请人", Role.System, "online", "省级政务服务App", Channel.Online);

    // ---- administration -------------------------------------------------------------------------------------

    public static RouteGroupBuilder MapAppointmentAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/appointments/centres/{centreId}").WithTags("Admin · 预约服务");

        group.MapPut("/items", async Task<IResult> (string centreId, PublishItemsRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, NpgsqlDataSource db) =>
        {
            if (await CentreOfAdminAsync(centreId, http, desk) is { } denied)
                return denied;
            var items = new List<BookableItem>();
            foreach (var code in (request.ItemCodes ?? []).Distinct())
            {
                if (await CatalogueItemAsync(db, code, http.RequestAborted) is not { } item)
                    return Problems.Problem(404, "catalogue.item_not_found", $"目录中没有实施编码为 {code} 的事项。");
                items.Add(new BookableItem(code, item.Name, item.Materials.Where(m => m.Required).Select(m => m.Name).ToList()));
            }
            return await commands.ExecuteAsync(http, "PublishBookableItems", AppointmentSchedule.Kind, AppointmentSchedule.StreamIdFor(centreId), request,
                $"/api/public/appointments/centres/{centreId}/items",
                (state, actor, now) => ScheduleDecider.Decide(new PublishBookableItems(centreId, items), state, actor, now));
        }).WithName("PublishBookableItems").WithSummary("公布预约事项清单 · Publish a centre's bookable items")
            .Command(CommandAnswer.CreatedOrUpdated)
            .WithDescription("公布（整体替换）服务中心的延时错时预约服务事项清单；每个事项带上须携带的材料清单");

        group.MapPost("/slots", async Task<IResult> (string centreId, PublishSlotsRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars) =>
        {
            if (await CentreOfAdminAsync(centreId, http, desk) is { } denied)
                return denied;
            var windows = (await desk.CentreAsync(centreId, http.RequestAborted))!.Value.Windows;
            var calendar = await calendars.GetAsync(http.RequestAborted);
            return await commands.ExecuteAsync(http, "PublishAppointmentSlots", AppointmentSchedule.Kind, AppointmentSchedule.StreamIdFor(centreId), request,
                $"/api/public/appointments/slots?centreId={centreId}",
                (state, actor, now) => ScheduleDecider.Decide(new PublishSlots(centreId, request.Slots ?? [], windows), state, actor, calendar, now));
        }).WithName("PublishAppointmentSlots").WithSummary("公布预约时段 · Publish appointment slots (regular, 延时, 错时)")
            .Command(CommandAnswer.CreatedOrUpdated)
            .WithDescription("公布预约时段：工作日办公时间内（Regular）、工作日办公时间以外的延时服务（Extended）、双休日和节假日的错时服务（OffDay，按公布的工作日历），每个时段每个窗口的可预约人数");

        return admin;
    }

    // ---- the window: clerks and village agents ------------------------------------------------------------------

    public static RouteGroupBuilder MapAppointmentWindow(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/appointments").WithTags("Window · 预约服务");

        group.MapGet("/slots", (string? centreId, DateOnly? from, DateOnly? to, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
            SlotsAsync(db, centreId ?? http.User.CentreId() ?? "", from ?? Yesterday(clock), to, limit, cursor, http.RequestAborted))
            .WithName("ListAppointmentSlots").WithSummary("预约时段 · Slots of a centre with places left")
            .Lists<SlotRow>()
            .WithDescription("服务中心的预约时段（默认本中心，从今天起，按开始时间排列）：类型、可预约人数、已约、余量");

        group.MapPost("/", (BookAppointmentRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars) =>
            BookAsync(request, http, commands, desk, calendars, http.User.CentreId() ?? "", null))
            .WithName("BookAppointment").WithSummary("预约 · Book a slot for an applicant")
            .Command(CommandAnswer.Created)
            .WithDescription("窗口人员或代办员为申请人预约本中心（代办员：所属乡镇便民服务中心）的时段；预约得到预约号和所办事项的材料清单；时段已满为 422 appointment.slot_full");

        group.MapGet("/", async Task<IResult> (DateOnly? day, string? status, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db) =>
        {
            var (page, refused) = Paging.Read("appointments", limit, cursor, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            var agent = http.User.IsInRole(Roles.Agent);
            var scope = agent ? "booked_by = $1" : "centre_id = $1";
            await using var batch = db.CreateBatch();
            var rows = new NpgsqlBatchCommand(
                $"""
                SELECT appointment_id, number, status, window_id, day, starts_at, ends_at, kind, item_code, item_name, applicant_name, id_number, phone, channel, case_id
                FROM cf_appointments WHERE {scope} AND ($2::date IS NULL OR day = $2) AND ($3::text IS NULL OR status = $3)
                  AND ($5::timestamptz IS NULL OR (starts_at, appointment_id) > ($5, $6))
                ORDER BY starts_at, appointment_id LIMIT $4
                """);
            var owner = agent ? http.User.StaffId() : http.User.CentreId() ?? "";
            Args(rows, owner, day, status);
            rows.Parameters.AddWithValue(page!.Limit + 1);
            rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rows);
            var count = new NpgsqlBatchCommand($"SELECT count(*) FROM cf_appointments WHERE {scope} AND ($2::date IS NULL OR day = $2) AND ($3::text IS NULL OR status = $3)");
            Args(count, owner, day, status);
            batch.BatchCommands.Add(count);
            var list = new List<AppointmentRow>();
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            while (await reader.ReadAsync(http.RequestAborted))
            {
                var applicant = new BookingApplicant(reader.GetString(10), reader.GetString(11), reader.GetString(12));
                list.Add(new AppointmentRow(reader.GetGuid(0), reader.GetString(1), Enum.Parse<AppointmentStatus>(reader.GetString(2)), reader.GetString(3), reader.GetFieldValue<DateOnly>(4),
                    Beijing(reader.GetFieldValue<DateTimeOffset>(5)), Beijing(reader.GetFieldValue<DateTimeOffset>(6)), Enum.Parse<SlotKind>(reader.GetString(7)), reader.GetString(8), reader.GetString(9),
                    agent ? applicant.Masked() : applicant, Enum.Parse<Channel>(reader.GetString(13)), reader.IsDBNull(14) ? null : reader.GetGuid(14)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            return Results.Ok(page.PageOf(list, r => [r.StartsAt, r.Id], reader.GetInt64(0)));
        }).WithName("ListAppointments").WithSummary("预约清单 · The centre's bookings (an agent: their own)")
            .Lists<AppointmentRow>()
            .WithDescription("预约清单：窗口人员看本中心的预约（可按日期、状态筛选，按时段排列），代办员看本人代约的预约（证件号码、电话已脱敏）");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, IEventStore store) =>
        {
            var (booking, _, version) = await LoadAsync(store, id, http.RequestAborted);
            var agent = http.User.IsInRole(Roles.Agent);
            if (booking is null)
                return Problems.From(AppointmentDecider.NotFound);
            if (agent ? booking.BookedById != http.User.StaffId() : booking.CentreId != http.User.CentreId())
                return Problems.From(agent ? AppointmentDecider.NotOwnBooking : AppointmentDecider.OtherCentre);
            return Results.Ok(View(booking, version, masked: agent));
        }).WithName("GetAppointment").WithSummary("查看预约 · A booking")
            .Reads<AppointmentView>()
            .WithDescription("查看一条预约：预约号、时段、事项及须携带的材料、状态（已预约、已取消、已到场办理、已爽约）、收件后的办件");

        group.MapPost("/{id:guid}/reschedule", (Guid id, RescheduleRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars) =>
            RescheduleAsync(id, request, http, commands, desk, calendars, null))
            .WithName("RescheduleAppointment").WithSummary("改约 · Move a booking to another slot")
            .Command()
            .WithDescription("改约到同一中心的另一时段（时段开始前）；新时段已满为 422 appointment.slot_full");

        group.MapPost("/{id:guid}/cancellation", (Guid id, CancelRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "CancelAppointment", Appointment.Kind, id, request, $"/api/window/appointments/{id}",
                (state, actor, now) => AppointmentDecider.Decide(new CancelAppointment(request.Reason, null, http.User.CentreId()), state, actor, now)))
            .WithName("CancelAppointment").WithSummary("取消预约 · Cancel a booking")
            .Command()
            .WithDescription("取消预约（时段开始前），名额随即释放");

        return window;
    }

    // ---- the provincial app: anonymous, rate-limited ------------------------------------------------------------

    public static RouteGroupBuilder MapPublicAppointments(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/public/appointments").AllowAnonymous().RequireRateLimiting(PublicPolicy).WithTags("Public · 网上预约");

        group.MapGet("/centres/{centreId}/items", async Task<IResult> (string centreId, int? limit, string? cursor, HttpContext http, AppointmentDesk desk) =>
        {
            // The list convention (README "Lists"): the centre's published items, a few dozen, paged in memory by code.
            var (page, refused) = Paging.Read("bookable_items", limit, cursor, CursorKey.Text);
            return refused ?? Results.Ok(page!.PageOfAll(await desk.ItemsAsync(centreId, http.RequestAborted), i => [i.ItemCode]));
        })
            .WithName("ListBookableItems").WithSummary("可预约事项 · A centre's bookable items with what to bring")
            .Lists<BookableItem>().Refuses(429)
            .WithDescription("服务中心公布的延时错时预约服务事项清单，每项须携带的材料（无需登录，限流）");

        group.MapGet("/slots", (string? centreId, DateOnly? from, DateOnly? to, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
            SlotsAsync(db, centreId ?? "", from ?? Yesterday(clock), to, limit, cursor, http.RequestAborted))
            .WithName("ListPublicAppointmentSlots").WithSummary("网上预约时段 · A centre's slots with places left")
            .Lists<SlotRow>().Refuses(429)
            .WithDescription("服务中心的预约时段与余量（无需登录，限流；不含任何预约人的信息）");

        group.MapPost("/", (BookAppointmentRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars) =>
            BookAsync(request, http, commands, desk, calendars, null, PublicApplicant))
            .WithName("BookAppointmentOnline").WithSummary("网上预约 · Book a slot (the applicant, without logging in)")
            .Command(CommandAnswer.Created).Refuses(429)
            .WithDescription("申请人通过省级政务服务App预约（无需登录，按来源地址限流，超限为 429 appointment.rate_limited）；须填写姓名、身份证号码和手机号码，同一申请人同一天在同一中心只能有一个预约");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, IEventStore store) =>
        {
            var (booking, _, version) = await LoadAsync(store, id, http.RequestAborted);
            return booking is null ? Problems.From(AppointmentDecider.NotFound) : Results.Ok(View(booking, version, masked: true));
        }).WithName("GetAppointmentOnline").WithSummary("查看网上预约 · A booking, personal data masked")
            .Reads<AppointmentView>().Refuses(429)
            .WithDescription("凭预约编号（id）查看预约：预约号、时段、须携带的材料；姓名、证件号码和电话已脱敏");

        group.MapPost("/{id:guid}/reschedule", (Guid id, RescheduleRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars) =>
            RescheduleAsync(id, request, http, commands, desk, calendars, PublicApplicant))
            .WithName("RescheduleAppointmentOnline").WithSummary("网上改约 · Move a booking (the applicant)")
            .Command().Refuses(429)
            .WithDescription("申请人凭预约时的身份证号码改约；号码不符按“未找到”答复");

        group.MapPost("/{id:guid}/cancellation", (Guid id, CancelRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "CancelAppointment", Appointment.Kind, id, request, $"/api/public/appointments/{id}",
                (state, actor, now) => AppointmentDecider.Decide(new CancelAppointment(request.Reason, request.IdNumber, null), state, actor, now), PublicApplicant))
            .WithName("CancelAppointmentOnline").WithSummary("网上取消预约 · Cancel a booking (the applicant)")
            .Command().Refuses(429)
            .WithDescription("申请人凭预约时的身份证号码取消预约；号码不符按“未找到”答复");

        return api;
    }

    /// <summary>
    /// The rate limiter of the public API: a fixed window per client address (<c>CaseFlow:PublicBooking:PermitLimit</c>
    /// requests per <c>CaseFlow:PublicBooking:Window</c>); past it 429 <c>appointment.rate_limited</c> with Retry-After.
    /// </summary>
    public static void AddPublicBookingRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("CaseFlow:PublicBooking:PermitLimit", 20);
        var window = configuration.GetValue("CaseFlow:PublicBooking:Window", TimeSpan.FromMinutes(1));
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PublicPolicy, http => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
            options.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds) : (int)Math.Ceiling(window.TotalSeconds);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await Problems.Problem(429, "appointment.rate_limited", $"请求过于频繁，请 {Math.Max(1, seconds)} 秒后再试。").ExecuteAsync(context.HttpContext);
            };
        });
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    private static async Task<IResult> BookAsync(
        BookAppointmentRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars, string? actingCentreId, Actor? asActor)
    {
        var centre = asActor is null ? actingCentreId : request.CentreId;
        var id = commands.NewId();
        try
        {
            // The Idempotency-Key is reserved before the booking number is taken (a replay never takes one).
            return await commands.ExecuteAsync(http, "BookAppointment", Appointment.Kind, id, request, $"{(asActor is null ? "/api/window" : "/api/public")}/appointments/{id}", async () =>
            {
                if (await desk.SlotAsync(request.SlotId, centre, request.StartsAt, request.WindowId, http.RequestAborted) is not { } slot)
                    return (null, OutsideSlots(request.SlotId));
                var applicant = request.Applicant ?? new BookingApplicant("", "", "");
                var items = await desk.ItemsAsync(slot.CentreId, http.RequestAborted);
                var others = Domain.Identity.ResidentIdNumber.IsValid(applicant.ResidentIdNumber?.Trim())
                    ? await desk.OpenBookingsAsync(slot.CentreId, slot.Slot.Day, applicant.ResidentIdNumber!, http.RequestAborted) : 0;
                var calendar = await calendars.GetAsync(http.RequestAborted);
                var actor = asActor ?? CurrentActor.From(http.User);
                var command = new BookAppointment(id, "", slot, request.ItemCode ?? "", applicant, items, others, actingCentreId);
                if (AppointmentDecider.Decide(command, Appointment.Empty, actor, calendar, commands.Clock.GetUtcNow()).Error is { } refused)
                    return (null, refused);
                command = command with { Number = await desk.NextNumberAsync(slot.CentreId, slot.Slot.Day, http.RequestAborted) };
                return ((state, a, now) => AppointmentDecider.Decide(command, state, a, calendar, now), null);
            }, asActor);
        }
        catch (Exception e) when (IsSlotFull(e))
        {
            return Problems.From(AppointmentDecider.SlotFull);
        }
    }

    private static async Task<IResult> RescheduleAsync(
        Guid id, RescheduleRequest request, HttpContext http, CommandHttp commands, AppointmentDesk desk, CalendarProvider calendars, Actor? asActor)
    {
        try
        {
            return await commands.ExecuteAsync(http, "RescheduleAppointment", Appointment.Kind, id, request, $"{(asActor is null ? "/api/window" : "/api/public")}/appointments/{id}", async () =>
            {
                var centre = asActor is null ? http.User.CentreId() : null;
                if (request.SlotId is null)
                {
                    // A time without a slot id is looked for at the booking's own centre.
                    var (booking, _, _) = await LoadAsync(http.RequestServices.GetRequiredService<IEventStore>(), id, http.RequestAborted);
                    centre = booking?.CentreId ?? centre;
                }
                if (await desk.SlotAsync(request.SlotId, centre, request.StartsAt, request.WindowId, http.RequestAborted) is not { } slot)
                    return (null, OutsideSlots(request.SlotId));
                var calendar = await calendars.GetAsync(http.RequestAborted);
                var acting = asActor is null ? http.User.CentreId() : null;
                return ((state, a, now) => AppointmentDecider.Decide(new RescheduleAppointment(slot, request.IdNumber, acting), state, a, calendar, now), null);
            }, asActor);
        }
        catch (Exception e) when (IsSlotFull(e))
        {
            return Problems.From(AppointmentDecider.SlotFull);
        }
    }

    private static DomainError OutsideSlots(Guid? slotId) => slotId is null
        ? DomainError.Rule("appointment.outside_published_slots", "该时间不在服务中心公布的预约时段内，请从公布的时段中选择。")
        : DomainError.NotFound("appointment.slot_not_found", "未找到该预约时段。");

    /// <summary>The capacity row refused the booking: the slot filled up between the read and the write (concurrent bookings).</summary>
    private static bool IsSlotFull(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: AppointmentProjection.CapacityConstraint })
                return true;
        }
        return false;
    }

    private static async Task<IResult?> CentreOfAdminAsync(string centreId, HttpContext http, AppointmentDesk desk)
    {
        if (await desk.CentreAsync(centreId, http.RequestAborted) is not { } centre)
            return Problems.Problem(404, "organisation.centre_not_found", "未找到该服务中心。");
        // An administrator publishes for the centres of their region subtree (the county's administrator: the county
        // centre and its townships).
        if (http.User.RegionId() is not { Length: > 0 } region || !Jurisdiction.InSubtree(centre.RegionCode, region))
            return Problems.Problem(403, "appointment.outside_region", "只能为本辖区的服务中心公布预约事项和时段。");
        return null;
    }

    private static async Task<ServiceItemDefinition?> CatalogueItemAsync(NpgsqlDataSource db, string code, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT definition::text FROM cf_service_items WHERE implementation_code = $1 LIMIT 1");
        cmd.Parameters.AddWithValue(code);
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<ServiceItemDefinition>(json, EventSerializer.Options) : null;
    }

    /// <summary>Without <c>from</c>, slots from yesterday on (Beijing date of the injected clock, never the database's own date).</summary>
    private static DateOnly Yesterday(TimeProvider clock) => WorkingCalendar.BeijingDate(clock.GetUtcNow()).AddDays(-1);

    private static async Task<IResult> SlotsAsync(NpgsqlDataSource db, string centreId, DateOnly from, DateOnly? to, int? limit, string? cursor, CancellationToken ct)
    {
        // The one list convention; slots read forward in time, so the keyset runs ascending on (starts_at, slot_id).
        var (page, refused) = Paging.Read("slots", limit, cursor, CursorKey.Instant, CursorKey.Guid);
        if (refused is not null)
            return refused;
        await using var cmd = db.CreateCommand(
            """
            SELECT slot_id, centre_id, window_id, day, starts_at, ends_at, kind, capacity, booked FROM cf_appointment_slots
            WHERE centre_id = $1 AND day >= $2 AND ($3::date IS NULL OR day <= $3)
              AND ($5::timestamptz IS NULL OR (starts_at, slot_id) > ($5, $6))
            ORDER BY starts_at, slot_id LIMIT $4
            """);
        cmd.Parameters.AddWithValue(centreId);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)to ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.AddWithValue(page!.Limit + 1);
        cmd.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
        var rows = new List<SlotRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var capacity = reader.GetInt32(7);
            var booked = reader.GetInt32(8);
            rows.Add(new SlotRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3),
                Beijing(reader.GetFieldValue<DateTimeOffset>(4)), Beijing(reader.GetFieldValue<DateTimeOffset>(5)), Enum.Parse<SlotKind>(reader.GetString(6)), capacity, booked, capacity - booked));
        }
        return Results.Ok(page.PageOf(rows, r => [r.StartsAt, r.SlotId]));
    }

    /// <summary>Slot times as the centre reads them (Beijing time), as in the booking's view.</summary>
    private static DateTimeOffset Beijing(DateTimeOffset at) => at.ToOffset(Domain.Calendar.WorkingCalendar.Beijing);

    private static void Args(NpgsqlBatchCommand cmd, string owner, DateOnly? day, string? status)
    {
        cmd.Parameters.AddWithValue(owner);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)day ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    /// <summary>A booking as its stream says, with the stream's version (for an append in another command) and the version users see.</summary>
    public static async Task<(Appointment? Booking, long Version, long UserVersion)> LoadAsync(IEventStore store, Guid id, CancellationToken ct)
    {
        var stream = await store.LoadAsync(id, ct);
        if (stream is null || stream.Kind != Appointment.Kind.Name)
            return (null, 0, 0);
        return (Appointment.Kind.Fold(stream.Events.Select(e => e.Data)), stream.Version, stream.UserVersion);
    }

    private static AppointmentView View(Appointment a, long version, bool masked) => new(
        a.Id, a.Number, a.Status, AppointmentDecider.StatusName(a.Status), a.CentreId, a.Slot!.WindowId, a.Slot.SlotId, a.Slot.Day, a.Slot.StartsAt, a.Slot.EndsAt,
        a.Slot.Kind, a.Item!.ItemCode, a.Item.ItemName, a.Item.Checklist, masked ? a.Applicant!.Masked() : a.Applicant!, a.Channel, a.BookedAt,
        a.RemindAt, a.Reminded, a.CaseId, version);
}
