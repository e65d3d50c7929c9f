using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 17, 预约 / 延时错时服务, through HTTP on the demo: an administrator publishes the township centre's bookable
/// items and its regular, 延时 and 错时 slots (refused where the kind does not fit the calendar); clerks book, change
/// and cancel (refused outside the published slots, on a full slot, twice for one applicant a day); the sweeper
/// reminds once one working day before and records no-shows; a booked applicant is received with the booking
/// attached — on a Saturday under 错时服务 too, and the working days start on the next working day.
/// </summary>
public sealed class AppointmentTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    internal const string Centre = "centre-361130100";
    internal const string Pension = "361130-000201002"; // 城乡居民基本养老保险待遇申领: M00, M01, M04, M05 (key)
    private static readonly DateTimeOffset Friday = DateTimeOffset.Parse("2025-09-26T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A valid resident ID number (GB 11643) born on <paramref name="born"/>, told apart by <paramref name="n"/>.</summary>
    internal static string IdNumber(int n, string born = "19550312")
    {
        var first17 = $"361130{born}{n % 1000:000}";
        return first17 + Domain.Identity.ResidentIdNumber.CheckCharacter(first17);
    }

    internal static object Applicant(int n, string name = "刘建国") => new { name, residentIdNumber = IdNumber(n), phone = "13907971234" };

    internal static object Slot(string day, string from, string to, string kind, int capacity, string window = "window-tw-1") =>
        new { windowId = window, day, from, to, kind, capacity };

    internal static async Task PublishAsync(HttpClient admin, params object[] slots)
    {
        var items = await admin.PutAsJsonAsync($"/api/admin/appointments/centres/{Centre}/items", new { itemCodes = new[] { Pension } });
        Assert.True(items.IsSuccessStatusCode, await items.Content.ReadAsStringAsync());
        var published = await admin.PostAsJsonAsync($"/api/admin/appointments/centres/{Centre}/slots", new { slots });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    internal static async Task<Guid> BookAsync(HttpClient client, string startsAt, int applicant, string path = "/api/window/appointments")
    {
        var response = await client.PostAsJsonAsync(path, new { centreId = Centre, startsAt, itemCode = Pension, applicant = Applicant(applicant) });
        Assert.True(201 == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SlotAsync(HttpClient clerk, string startsAt)
    {
        var page = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments/slots?from=2025-09-26&limit=500");
        return page.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("startsAt").GetDateTimeOffset() == DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture));
    }

    private Task<SweepRun> SweepAsync() => api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();

    private static object Receipt(Guid? appointmentId, int applicant) => new
    {
        windowId = "window-tw-1", itemId = ServiceItemId.For(Pension), appointmentId,
        applicant = new { kind = "Person", name = "刘建国", residentIdNumber = IdNumber(applicant), phone = "13907971234" },
        materials = new[] { "M00", "M01", "M04", "M05" }.Select(code => new { code, state = "Present" }).ToArray(),
    };

    [Fact]
    public async Task Booking_reminder_change_no_show_and_arrival_on_a_saturday_and_a_weekday_evening()
    {
        api.Clock.Set(Friday);
        var admin = api.As("admin-1");
        var clerk = api.As("clerk-tw-1");
        await PublishAsync(admin,
            Slot("2025-09-29", "09:00:00", "10:00:00", "Regular", 2),
            Slot("2025-09-29", "18:00:00", "20:00:00", "Extended", 5),   // 延时: a weekday evening
            Slot("2025-09-27", "09:00:00", "11:00:00", "OffDay", 3));    // 错时: a Saturday

        // Without from, the list starts the day before the injected clock's date (2025-09-26), not the database's.
        var ahead = await clerk.GetFromJsonAsync<JsonElement>("/api/window/appointments/slots?limit=500");
        Assert.Equal(new[] { "2025-09-27", "2025-09-29", "2025-09-29" }, ahead.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("day").GetString()!).Order().ToArray());

        // The items and slots are public.
        var items = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/appointments/centres/{Centre}/items");
        Assert.Contains(items.GetProperty("items").EnumerateArray(), i => i.GetProperty("itemCode").GetString() == Pension && i.GetProperty("checklist").GetArrayLength() > 0);

        var a = await BookAsync(clerk, "2025-09-29T09:00:00+08:00", 1);
        var b = await BookAsync(clerk, "2025-09-29T09:00:00+08:00", 2);
        var saturday = await BookAsync(clerk, "2025-09-27T09:00:00+08:00", 3);
        var absent = await BookAsync(clerk, "2025-09-27T09:00:00+08:00", 4);

        var booking = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments/{a}");
        Assert.Equal("YY-361130100-20250929-0001", booking.GetProperty("number").GetString());
        Assert.Equal("Booked", booking.GetProperty("status").GetString());
        Assert.Equal("Regular", booking.GetProperty("kind").GetString());
        Assert.Contains(booking.GetProperty("checklist").EnumerateArray(), m => m.GetString()!.Contains("身份证", StringComparison.Ordinal));
        Assert.Equal(IdNumber(1), booking.GetProperty("applicant").GetProperty("residentIdNumber").GetString()); // the clerk sees it whole
        // Sunday 2025-09-28 is a make-up workday: the working day before Monday.
        Assert.Equal(DateTimeOffset.Parse("2025-09-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), booking.GetProperty("remindAt").GetDateTimeOffset());
        Assert.Equal(2, (await SlotAsync(clerk, "2025-09-29T09:00:00+08:00")).GetProperty("booked").GetInt32());

        // Refusals: full, outside the published slots, an item not on the list, one applicant twice a day, another centre.
        var full = await clerk.PostAsJsonAsync("/api/window/appointments", new { centreId = Centre, startsAt = "2025-09-29T09:00:00+08:00", itemCode = Pension, applicant = Applicant(5) });
        await full.ProblemAsync(422, "appointment.slot_full");
        var outside = await clerk.PostAsJsonAsync("/api/window/appointments", new { centreId = Centre, startsAt = "2025-09-29T15:00:00+08:00", itemCode = Pension, applicant = Applicant(5) });
        await outside.ProblemAsync(422, "appointment.outside_published_slots");
        var item = await clerk.PostAsJsonAsync("/api/window/appointments", new { centreId = Centre, startsAt = "2025-09-29T18:00:00+08:00", itemCode = "361130-000201001", applicant = Applicant(5) });
        await item.ProblemAsync(422, "appointment.item_not_bookable");
        var twice = await clerk.PostAsJsonAsync("/api/window/appointments", new { centreId = Centre, startsAt = "2025-09-29T18:00:00+08:00", itemCode = Pension, applicant = Applicant(1) });
        await twice.ProblemAsync(422, "appointment.applicant_already_booked");
        var county = await api.As("clerk-cty-1").PostAsJsonAsync($"/api/window/appointments/{b}/cancellation", new { reason = "代取消" });
        await county.ProblemAsync(403, "appointment.other_centre");

        // A changes to the evening (延时) slot; B cancels: the regular slot is free again.
        Assert.Equal(200, (int)(await clerk.PostAsJsonAsync($"/api/window/appointments/{a}/reschedule", new { startsAt = "2025-09-29T18:00:00+08:00" })).StatusCode);
        Assert.Equal(200, (int)(await clerk.PostAsJsonAsync($"/api/window/appointments/{b}/cancellation", new { reason = "申请人来电取消" })).StatusCode);
        Assert.Equal(0, (await SlotAsync(clerk, "2025-09-29T09:00:00+08:00")).GetProperty("booked").GetInt32());
        Assert.Equal(1, (await SlotAsync(clerk, "2025-09-29T18:00:00+08:00")).GetProperty("booked").GetInt32());
        await (await clerk.PostAsJsonAsync($"/api/window/appointments/{b}/cancellation", new { })).ProblemAsync(422, "appointment.not_open");

        // Saturday, 错时服务: the booked applicant comes and is received with the booking attached.
        api.Clock.Set(DateTimeOffset.Parse("2025-09-27T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var wrong = await clerk.PostAsJsonAsync("/api/window/cases", Receipt(saturday, 9));
        await wrong.ProblemAsync(422, "appointment.applicant_mismatch");
        var early = await clerk.PostAsJsonAsync("/api/window/cases", Receipt(a, 1));
        await early.ProblemAsync(422, "appointment.not_today");
        var received = await clerk.PostAsJsonAsync("/api/window/cases", Receipt(saturday, 3));
        Assert.Equal(201, (int)received.StatusCode);
        var caseId = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var view = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{caseId}");
        Assert.Equal("Window", view.GetProperty("channel").GetString());
        Assert.Equal("OffDay", view.GetProperty("serviceMode").GetProperty("slotKind").GetString());
        Assert.Equal("YY-361130100-20250927-0001", view.GetProperty("serviceMode").GetProperty("appointmentNumber").GetString());
        // Decision: a receipt on a Saturday counts from the next working day — Sunday 28 (make-up), 29, 30, Oct 9, 10.
        Assert.Equal("2025-10-10", view.GetProperty("noticePeriodEndsOn").GetString());
        var attended = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments/{saturday}");
        Assert.Equal("Attended", attended.GetProperty("status").GetString());
        Assert.Equal(caseId, attended.GetProperty("caseId").GetGuid());
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(saturday, 3))).ProblemAsync(422, "appointment.not_open");

        // The Saturday slot ends: the one who did not come is a no-show (once).
        api.Clock.Set(DateTimeOffset.Parse("2025-09-27T11:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await SweepAsync();
        Assert.Equal("NoShow", (await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments/{absent}")).GetProperty("status").GetString());

        // One working day before Monday (Sunday 09:00, a make-up workday): A is reminded, once, through the outbox.
        api.Clock.Set(DateTimeOffset.Parse("2025-09-28T08:59:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await SweepAsync();
        Assert.Equal(0, await api.Db.ScalarAsync<int>("SELECT count(*)::int FROM cf_outbox WHERE template = 'appointment_reminder' AND recipient = $1", $"appointment:{a}"));
        api.Clock.Set(DateTimeOffset.Parse("2025-09-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await Task.WhenAll(SweepAsync(), SweepAsync()); // two sweeps at once (as two nodes would): still one reminder
        await SweepAsync();
        Assert.Equal(1, await api.Db.ScalarAsync<int>("SELECT count(*)::int FROM cf_outbox WHERE template = 'appointment_reminder' AND recipient = $1", $"appointment:{a}"));
        Assert.True((await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments/{a}")).GetProperty("reminded").GetBoolean());
        // Booked after its reminder time (Friday 09:30 for Saturday: reminder due Friday 09:00): no reminder.
        Assert.Equal(0, await api.Db.ScalarAsync<int>("SELECT count(*)::int FROM cf_outbox WHERE template = 'appointment_reminder' AND recipient = $1", $"appointment:{absent}"));
        // No personal data in the outbox: the gateway resolves the phone from the booking.
        Assert.Equal(0, await api.Db.ScalarAsync<int>("SELECT count(*)::int FROM cf_outbox WHERE payload::text LIKE '%' || $1 || '%' OR payload::text LIKE '%13907971234%'", IdNumber(1)));

        // Monday evening, 延时服务: A is received with the booking.
        api.Clock.Set(DateTimeOffset.Parse("2025-09-29T18:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var evening = await clerk.PostAsJsonAsync("/api/window/cases", Receipt(a, 1));
        Assert.Equal(201, (int)evening.StatusCode);
        var eveningView = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{(await evening.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}");
        Assert.Equal("Extended", eveningView.GetProperty("serviceMode").GetProperty("slotKind").GetString());
        Assert.Contains(eveningView.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("event").GetString() == "case.received_by_appointment.v1");

        // The day's list at the centre, paged by the one list convention.
        var list = await clerk.GetFromJsonAsync<JsonElement>("/api/window/appointments?day=2025-09-29&limit=1");
        Assert.Equal(2, list.GetProperty("total").GetInt64());
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
        var next = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/appointments?day=2025-09-29&limit=1&cursor={list.GetProperty("nextCursor").GetString()}");
        Assert.Equal(1, next.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Slots_must_fit_the_published_calendar_and_only_an_administrator_of_the_region_publishes()
    {
        api.Clock.Set(Friday);
        var admin = api.As("admin-1");
        async Task<HttpResponseMessage> Publish(params object[] slots) =>
            await admin.PostAsJsonAsync($"/api/admin/appointments/centres/{Centre}/slots", new { slots });

        await (await Publish(Slot("2025-10-04", "09:00:00", "10:00:00", "Regular", 5))).ProblemAsync(422, "appointment.slot_kind_mismatch");     // National Day holiday
        await (await Publish(Slot("2025-10-13", "12:30:00", "13:30:00", "Regular", 5))).ProblemAsync(422, "appointment.slot_kind_mismatch");     // lunch break
        await (await Publish(Slot("2025-10-13", "11:00:00", "13:00:00", "Extended", 5))).ProblemAsync(422, "appointment.slot_kind_mismatch");    // overlaps office hours
        await (await Publish(Slot("2025-09-28", "09:00:00", "11:00:00", "OffDay", 5))).ProblemAsync(422, "appointment.slot_kind_mismatch");      // Sunday, but a make-up workday
        await (await Publish(Slot("2025-10-11", "09:00:00", "11:00:00", "OffDay", 5))).ProblemAsync(422, "appointment.slot_kind_mismatch");      // Saturday, a make-up workday
        await (await Publish(Slot("2025-09-25", "09:00:00", "10:00:00", "Regular", 5))).ProblemAsync(400, "appointment.slot_in_past");
        await (await Publish(Slot("2025-10-13", "10:00:00", "09:00:00", "Regular", 5))).ProblemAsync(400, "appointment.slot_times_invalid");
        await (await Publish(Slot("2025-10-13", "09:00:00", "10:00:00", "Regular", 0))).ProblemAsync(400, "appointment.capacity_invalid");
        await (await Publish(Slot("2025-10-13", "09:00:00", "10:00:00", "Regular", 5, window: "window-cty-1"))).ProblemAsync(400, "appointment.window_not_in_centre");
        await (await Publish(Slot("2027-10-13", "09:00:00", "10:00:00", "Regular", 5))).ProblemAsync(422, "calendar.year_not_published");
        await (await Publish(Slot("2025-10-13", "09:00:00", "10:00:00", "Regular", 5), Slot("2025-10-13", "09:00:00", "11:00:00", "Regular", 5))).ProblemAsync(422, "appointment.slot_duplicate");
        Assert.True((await Publish(Slot("2025-10-02", "09:00:00", "11:00:00", "OffDay", 5), Slot("2025-10-13", "17:30:00", "19:00:00", "Extended", 5))).IsSuccessStatusCode);

        var clerk = await api.As("clerk-tw-1").PostAsJsonAsync($"/api/admin/appointments/centres/{Centre}/slots", new { slots = new[] { Slot("2025-10-14", "09:00:00", "10:00:00", "Regular", 5) } });
        Assert.Equal(403, (int)clerk.StatusCode);
        var unknown = await admin.PostAsJsonAsync("/api/admin/appointments/centres/centre-999/slots", new { slots = new[] { Slot("2025-10-14", "09:00:00", "10:00:00", "Regular", 5) } });
        await unknown.ProblemAsync(404, "organisation.centre_not_found");
        var items = await admin.PutAsJsonAsync($"/api/admin/appointments/centres/{Centre}/items", new { itemCodes = new[] { "361130-999999999" } });
        await items.ProblemAsync(404, "catalogue.item_not_found");
    }

    [Fact]
    public async Task The_public_booking_api_books_without_a_token_masks_personal_data_and_needs_the_id_number_to_change()
    {
        api.Clock.Set(Friday);
        await PublishAsync(api.As("admin-1"), Slot("2025-10-14", "09:00:00", "10:00:00", "Regular", 5), Slot("2025-10-14", "10:00:00", "11:00:00", "Regular", 5));
        var anonymous = api.Anonymous();
        var slots = await anonymous.GetFromJsonAsync<JsonElement>($"/api/public/appointments/slots?centreId={Centre}&from=2025-10-14&to=2025-10-14");
        Assert.Equal(2, slots.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain("applicant", slots.GetRawText(), StringComparison.Ordinal);

        var id = await BookAsync(anonymous, "2025-10-14T09:00:00+08:00", 21, "/api/public/appointments");
        var seen = await anonymous.GetFromJsonAsync<JsonElement>($"/api/public/appointments/{id}");
        Assert.Equal("Online", seen.GetProperty("channel").GetString());
        var applicant = seen.GetProperty("applicant");
        Assert.Equal("刘**", applicant.GetProperty("name").GetString());
        Assert.NotEqual(IdNumber(21), applicant.GetProperty("residentIdNumber").GetString());
        Assert.DoesNotContain("13907971234", seen.GetRawText(), StringComparison.Ordinal);

        // Another ID number cannot change it (reads as not found); the right one can.
        await (await anonymous.PostAsJsonAsync($"/api/public/appointments/{id}/cancellation", new { idNumber = IdNumber(22) })).ProblemAsync(404, "appointment.not_found");
        Assert.Equal(200, (int)(await anonymous.PostAsJsonAsync($"/api/public/appointments/{id}/reschedule", new { startsAt = "2025-10-14T10:00:00+08:00", idNumber = IdNumber(21) })).StatusCode);
        Assert.Equal(200, (int)(await anonymous.PostAsJsonAsync($"/api/public/appointments/{id}/cancellation", new { idNumber = IdNumber(21) })).StatusCode);

        // The agent books for a resident and sees the numbers masked.
        var agent = api.As("agent-cn-1");
        var byAgent = await BookAsync(agent, "2025-10-14T09:00:00+08:00", 23);
        var agentView = await agent.GetFromJsonAsync<JsonElement>($"/api/window/appointments/{byAgent}");
        Assert.Equal("VillageAgent", agentView.GetProperty("channel").GetString());
        Assert.NotEqual(IdNumber(23), agentView.GetProperty("applicant").GetProperty("residentIdNumber").GetString());
        await (await api.As("clerk-cty-1").GetAsync(new Uri($"/api/window/appointments/{byAgent}", UriKind.Relative))).ProblemAsync(403, "appointment.other_centre");
        var atWindow = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/appointments/{byAgent}");
        Assert.Equal(IdNumber(23), atWindow.GetProperty("applicant").GetProperty("residentIdNumber").GetString());
    }
}

/// <summary>Issue 17, done means 2: 200 concurrent bookings of a slot of capacity 20 → exactly 20 booked, 180 refused 422 slot_full.</summary>
public sealed class AppointmentConcurrencyTests(DemoApiFactory api, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task Two_hundred_concurrent_bookings_of_a_slot_of_capacity_twenty_book_exactly_twenty()
    {
        await AppointmentTests.PublishAsync(api.As("admin-1"), AppointmentTests.Slot("2025-10-15", "09:00:00", "12:00:00", "Regular", 20));
        var clients = Enumerable.Range(0, 8).Select(_ => api.As("clerk-tw-1")).ToArray();
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 200).Select(async n =>
        {
            await start.WaitAsync();
            var response = await clients[n % clients.Length].PostAsJsonAsync("/api/window/appointments",
                new { centreId = AppointmentTests.Centre, startsAt = "2025-10-15T09:00:00+08:00", itemCode = AppointmentTests.Pension, applicant = AppointmentTests.Applicant(100 + n) });
            var body = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        }).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        start.Release(200);
        var answers = await Task.WhenAll(requests);
        output.WriteLine($"200 concurrent bookings answered in {watch.Elapsed.TotalMilliseconds:0} ms");

        var summary = string.Join(", ", answers.GroupBy(a => $"{a.Item1} {a.Item2}").Select(g => $"{g.Key}: {g.Count()}"));
        output.WriteLine(summary);
        Assert.True(answers.Count(a => a.Item1 == 201) == 20, summary);
        Assert.True(answers.Count(a => a.Item1 == 422 && a.Item2 == "appointment.slot_full") == 180, summary);
        Assert.Equal(20, await api.Db.ScalarAsync<int>("SELECT booked FROM cf_appointment_slots WHERE starts_at = '2025-10-15T09:00:00+08:00'"));
        Assert.Equal(20, await api.Db.ScalarAsync<int>("SELECT count(*)::int FROM cf_appointments WHERE starts_at = '2025-10-15T09:00:00+08:00' AND status = 'Booked'"));
        Assert.Equal(20L, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_marten.mt_events WHERE type = 'appointment.booked.v1' AND data->'slot'->>'day' = '2025-10-15'"));
    }
}

/// <summary>The anonymous booking API past its rate: 429 with a code, Chinese detail and Retry-After.</summary>
public sealed class PublicBookingRateLimitTests(PublicBookingRateLimitTests.Host api) : IClassFixture<PublicBookingRateLimitTests.Host>
{
    public sealed class Host : ApiFactory
    {
        protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
            builder.UseSetting("CaseFlow:PublicBooking:PermitLimit", "3");
    }

    [Fact]
    public async Task The_fourth_request_within_the_window_gets_429_with_retry_after()
    {
        var anonymous = api.Anonymous();
        for (var i = 0; i < 3; i++)
            Assert.Equal(200, (int)(await anonymous.GetAsync(new Uri($"/api/public/appointments/centres/{AppointmentTests.Centre}/items", UriKind.Relative))).StatusCode);
        var refused = await anonymous.GetAsync(new Uri($"/api/public/appointments/centres/{AppointmentTests.Centre}/items", UriKind.Relative));
        var problem = await refused.ProblemAsync(429, "appointment.rate_limited");
        Assert.Contains("请求过于频繁", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Staff work is not limited by it.
        Assert.Equal(200, (int)(await api.As("clerk-tw-1").GetAsync(new Uri("/api/window/appointments", UriKind.Relative))).StatusCode);
    }
}
