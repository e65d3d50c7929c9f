using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 17, 投诉举报: registered at the window, answered by the supervisor within the configured working days (a
/// deadline on the board, yellow then red once each with two sweepers), 问责 on the ledger when substantiated, a late
/// answer on the ledger, the return visit; the complainant masked for clerks.
/// </summary>
public sealed class ComplaintTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Supervisor = "supervisor-cty-1";

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Two hosts' sweepers at once: separate instances over the same database.</summary>
    private Task SweepTwiceAtOnceAsync()
    {
        var first = api.Services.GetRequiredService<CaseSweeper>();
        var second = ActivatorUtilities.CreateInstance<CaseSweeper>(api.Services);
        return Task.WhenAll(Task.Run(() => first.RunOnceAsync()), Task.Run(() => second.RunOnceAsync()));
    }

    private Task<long> CountAsync(Guid id, string type) =>
        api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE stream_id = '{id}' AND type = '{type}'");

    private async Task<JsonElement?> BoardRowAsync(Guid id, string staff = Supervisor)
    {
        var board = await api.As(staff).GetFromJsonAsync<JsonElement>("/api/supervision/board?scope=Complaint&limit=500");
        return board.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("caseId").GetGuid() == id);
    }

    private async Task<Guid> RegisterAsync(object body, string staff = "clerk-tw-1")
    {
        var response = await api.As(staff).PostAsJsonAsync("/api/complaints", body);
        Assert.True(201 == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<Dictionary<string, JsonElement>> LedgerAsync(string month, string kind = "Person") =>
        (await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/supervision/ledger/accountability?month={month}&kind={kind}&limit=500"))
            .GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("subjectId").GetString()!);

    [Fact]
    public async Task A_complaint_answered_late_runs_yellow_then_red_once_each_and_lands_on_the_ledger_with_its_accountability_and_return_visit()
    {
        api.Clock.Set(Beijing("2025-09-26T09:30:00")); // Friday: 5 working days → 2025-10-10 (National Day, make-up 09-28 and 10-11)
        var id = await RegisterAsync(new
        {
            source = "Window", against = "Person", targetId = "clerk-tw-2", facts = "办理养老保险时窗口人员态度生硬，让我多跑了一趟。",
            anonymous = false, complainantName = "刘建国", complainantPhone = "13907971234",
        });

        // Assigned to the county's 电子监察 (nearest supervisor of 梅江镇's region), due in 5 working days.
        var full = await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{id}");
        Assert.Equal(Supervisor, full.GetProperty("supervisorId").GetString());
        Assert.Equal("2025-10-10", full.GetProperty("answerDue").GetString());
        Assert.Equal("刘建国", full.GetProperty("complainantName").GetString());
        Assert.Equal("13907971234", full.GetProperty("complainantPhone").GetString());
        // The centre's clerks (the complaint may be against one of them) see the complainant masked.
        var masked = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/complaints/{id}");
        Assert.Equal("刘**", masked.GetProperty("complainantName").GetString());
        Assert.Equal("139****1234", masked.GetProperty("complainantPhone").GetString());
        await (await api.As("clerk-cty-1").GetAsync($"/api/complaints/{id}")).ProblemAsync(403, "case.other_centre");
        await (await api.As("supervisor-rj-1").GetAsync($"/api/complaints/{id}")).ProblemAsync(403, "supervision.outside_jurisdiction");
        // The supervisor was told, without the complainant's identity.
        var assigned = await api.Db.ScalarAsync<string>($"SELECT payload::text FROM cf_outbox WHERE template = 'complaint_assigned' AND recipient = '{Supervisor}' AND payload->>'complaintId' = '{id}'");
        Assert.DoesNotContain("刘建国", assigned);
        Assert.DoesNotContain("13907971234", assigned);

        await SweepTwiceAtOnceAsync();
        var green = await BoardRowAsync(id);
        Assert.Equal("Green", green!.Value.GetProperty("level").GetString());
        Assert.Equal("Complaint", green.Value.GetProperty("scope").GetString());
        Assert.Equal(new DateOnly(2025, 10, 10), DateOnly.Parse(green.Value.GetProperty("dueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await BoardRowAsync(id, "supervisor-rj-1")); // another county's supervisor does not see it

        // Yellow under the published defaults (≤ 1 working day left or ≥ 80 % used): from the start of 10-09.
        api.Clock.Set(Beijing("2025-10-08T17:00:00"));
        await SweepTwiceAtOnceAsync();
        Assert.Equal(0, await CountAsync(id, "complaint.answer_warning_raised.v1"));
        api.Clock.Set(Beijing("2025-10-09T09:00:00"));
        await SweepTwiceAtOnceAsync();
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await CountAsync(id, "complaint.answer_warning_raised.v1"));
        Assert.Equal("Yellow", (await BoardRowAsync(id))!.Value.GetProperty("level").GetString());
        Assert.Equal("Yellow", (await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{id}")).GetProperty("level").GetString());

        // Red once the due day has ended (10-11 is a make-up workday; Monday 10-13 is past it).
        api.Clock.Set(Beijing("2025-10-13T09:00:00"));
        await SweepTwiceAtOnceAsync();
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await CountAsync(id, "complaint.answer_warning_raised.v1"));
        Assert.Equal(1, await CountAsync(id, "complaint.answer_went_overdue.v1"));
        var red = await BoardRowAsync(id);
        Assert.Equal("Red", red!.Value.GetProperty("level").GetString());
        Assert.True(red.Value.GetProperty("remainingWorkingDays").GetInt32() < 0);
        Assert.Equal(1, await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_outbox WHERE template = 'complaint_red' AND recipient = '{Supervisor}' AND payload->>'complaintId' = '{id}'"));

        // Only a supervisor of the region answers; substantiated needs a 问责 measure.
        var answer = new { finding = "Substantiated", answer = "经调阅窗口录像核实，情况属实，已责令当事人改正并向投诉人致歉。", measure = "Interview" };
        await (await api.As("supervisor-rj-1").PostAsJsonAsync($"/api/supervision/complaints/{id}/answer", answer)).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As("clerk-tw-1").PostAsJsonAsync($"/api/supervision/complaints/{id}/answer", answer)).ProblemAsync(403, "auth.forbidden");
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{id}/answer", new { finding = "Substantiated", answer = answer.answer }))
            .ProblemAsync(400, "complaint.measure_required");
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{id}/return-visit", new { satisfaction = "Satisfied", note = "电话回访" }))
            .ProblemAsync(422, "complaint.not_answered");
        // The lights are the system's: the version the supervisor read (ETag) is still the one to send back as If-Match.
        var read = await api.As(Supervisor).GetAsync($"/api/complaints/{id}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        using var conditional = new HttpRequestMessage(HttpMethod.Post, $"/api/supervision/complaints/{id}/answer") { Content = JsonContent.Create(answer) };
        conditional.Headers.IfMatch.Add(read.Headers.ETag!);
        var events = await (await api.As(Supervisor).SendAsync(conditional)).EventsAsync();
        Assert.Equal(["complaint.answered.v1", "complaint.accountability_recorded.v1"], events);
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{id}/answer", answer)).ProblemAsync(422, "complaint.already_answered");
        var answered = await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{id}");
        Assert.True(answered.GetProperty("late").GetBoolean());
        Assert.Equal("Interview", answered.GetProperty("measure").GetString());
        await SweepTwiceAtOnceAsync();
        Assert.Null(await BoardRowAsync(id)); // answered: off the board

        // 回访 with the complainant's satisfaction, once.
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{id}/return-visit", new { satisfaction = "Satisfied", note = "电话回访，投诉人对处理结果表示满意。" })).EventsAsync();
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{id}/return-visit", new { satisfaction = "Satisfied", note = "再次回访" }))
            .ProblemAsync(422, "complaint.return_visit_done");
        Assert.Equal("Satisfied", (await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{id}")).GetProperty("satisfaction").GetString());

        // The ledger: the complaint against clerk-tw-2 (September), its substantiation as a 问责 record (October), and the
        // supervisor's red light and late answer (October).
        await api.CatchUpProjectionsAsync();
        var september = await LedgerAsync("2025-09");
        Assert.Equal(1, september["clerk-tw-2"].GetProperty("complaintsReceived").GetInt32());
        var october = await LedgerAsync("2025-10");
        Assert.Equal(1, october["clerk-tw-2"].GetProperty("complaintsSubstantiated").GetInt32());
        Assert.Equal(1, october["clerk-tw-2"].GetProperty("accountabilityRecords").GetInt32());
        Assert.Equal(1, october[Supervisor].GetProperty("lateComplaintAnswers").GetInt32());
        Assert.True(october[Supervisor].GetProperty("redLights").GetInt32() >= 1);
        Assert.Equal(1, await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE type = 'complaint.answer_went_overdue.v1' AND data->>'holderId' = '{Supervisor}' AND stream_id = '{id}'"));
    }

    [Fact]
    public async Task Anonymous_complaints_get_no_return_visit_and_bad_registrations_and_answers_are_refused_writing_nothing()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var streams = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log");
        async Task RefusedAsync(object body, int status, string code, string staff = "clerk-tw-1") =>
            await (await api.As(staff).PostAsJsonAsync("/api/complaints", body)).ProblemAsync(status, code);

        await RefusedAsync(new { source = "Window", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = true, complainantName = "刘建国" }, 400, "complaint.anonymous_with_identity");
        await RefusedAsync(new { source = "Phone", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = false, complainantName = "刘建国" }, 400, "complaint.contact_required");
        await RefusedAsync(new { source = "Phone", against = "Window", targetId = "window-tw-1", facts = " ", anonymous = true }, 400, "complaint.facts_required");
        await RefusedAsync(new { source = "Window", against = "Window", targetId = "window-cty-1", facts = "窗口长时间无人。", anonymous = true }, 404, "complaint.target_not_found");
        await RefusedAsync(new { source = "Rating", against = "Person", targetId = "clerk-tw-2", facts = "差评转投诉。", anonymous = true }, 400, "complaint.rating_needs_case");
        await RefusedAsync(new { centreId = "centre-361130100", source = "Window", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = true }, 403, "case.other_centre", "clerk-cty-1");
        await RefusedAsync(new { source = "Window", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = true }, 400, "complaint.centre_required", Supervisor);
        await RefusedAsync(new { centreId = "centre-361130100", source = "Phone", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = true }, 403, "supervision.outside_jurisdiction", "supervisor-rj-1");
        Assert.Equal(streams, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log"));

        // An anonymous phone complaint against a window, taken by the supervisor, answered in time: no red, no late answer, no return visit.
        var anonymous = await RegisterAsync(new { centreId = "centre-361130100", source = "Phone", against = "Window", targetId = "window-tw-1", facts = "上午十点窗口长时间无人。", anonymous = true }, Supervisor);
        var view = await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{anonymous}");
        Assert.Equal("梅江镇便民服务中心 1 号窗口", view.GetProperty("targetName").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("complainantName").ValueKind);
        // Substantiated against a window: the accountable person must be named.
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{anonymous}/answer", new { finding = "Substantiated", answer = "属实。", measure = "Reminder" }))
            .ProblemAsync(400, "complaint.accountable_required");
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{anonymous}/answer", new { finding = "Substantiated", answer = "属实。", measure = "Reminder", accountableKind = "Person", accountableId = "nobody" }))
            .ProblemAsync(404, "complaint.accountable_not_found");
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{anonymous}/answer", new { finding = "NotSubstantiated", answer = "经核实不属实。", measure = "Reminder" }))
            .ProblemAsync(400, "complaint.measure_not_allowed");
        var events = await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{anonymous}/answer", new { finding = "NotSubstantiated", answer = "经调阅录像，该窗口人员当时在为群众办理业务，投诉不属实。" })).EventsAsync();
        Assert.Equal(["complaint.answered.v1"], events);
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{anonymous}/return-visit", new { satisfaction = "Basic", note = "回访" }))
            .ProblemAsync(422, "complaint.anonymous_no_return_visit");
        Assert.False((await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/complaints/{anonymous}")).GetProperty("late").GetBoolean());
        Assert.Equal(0, await CountAsync(anonymous, "complaint.answer_went_overdue.v1"));

        // From the rating channel against a case: substantiated, the 问责 names the clerk and carries the case.
        api.Clock.Set(Beijing("2025-11-03T10:05:00")); // later than the anonymous one: the list is newest first
        var caseId = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02");
        var rated = await RegisterAsync(new { source = "Rating", against = "Case", targetId = caseId.ToString(), facts = "差评：收件后五天无人联系。", anonymous = false, complainantName = "王秀英", complainantPhone = "0797-6821234" });
        await (await api.As(Supervisor).PostAsJsonAsync($"/api/supervision/complaints/{rated}/answer",
            new { finding = "Substantiated", answer = "收件后未及时告知，属实。", measure = "OrderedRectification", accountableKind = "Person", accountableId = "clerk-tw-1" })).EventsAsync();
        Assert.Equal(caseId.ToString(), await api.Db.ScalarAsync<string>($"SELECT data->>'caseId' FROM cf_event_log WHERE stream_id = '{rated}' AND type = 'complaint.accountability_recorded.v1'"));

        // The supervisors' list: newest first, one list convention, no complainant data in the rows.
        var first = await api.As(Supervisor).GetFromJsonAsync<JsonElement>("/api/supervision/complaints?limit=1");
        Assert.Equal(rated, first.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.True(first.GetProperty("total").GetInt64() >= 2);
        Assert.DoesNotContain("王秀英", first.GetRawText());
        var next = await api.As(Supervisor).GetFromJsonAsync<JsonElement>($"/api/supervision/complaints?limit=1&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(anonymous, next.GetProperty("items")[0].GetProperty("id").GetGuid());
        await (await api.As(Supervisor).GetAsync("/api/supervision/complaints?status=Closed")).ProblemAsync(400, "complaint.status_invalid");
        Assert.Equal(0, (await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>("/api/supervision/complaints")).GetProperty("total").GetInt64());
    }
}

/// <summary>The answer limit is configuration (<c>CaseFlow:Complaints:AnswerWithinWorkingDays</c>).</summary>
public sealed class ComplaintPolicyTests(ComplaintPolicyTests.TwoDayApiFactory api) : IClassFixture<ComplaintPolicyTests.TwoDayApiFactory>
{
    public sealed class TwoDayApiFactory : ApiFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Services.GetRequiredService<DemoSeeder>().SeedOrganisationAsync();
        }

        protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("CaseFlow:Complaints:AnswerWithinWorkingDays", "2");
    }

    [Fact]
    public async Task A_configured_limit_of_two_working_days_fixes_the_due_date_at_registration()
    {
        var response = await api.As("clerk-tw-1").PostAsJsonAsync("/api/complaints", new { source = "Phone", against = "Window", targetId = "window-tw-1", facts = "窗口无人。", anonymous = true });
        Assert.Equal(201, (int)response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // 2025-09-26 (Friday) + 2 working days: Sunday 09-28 is a make-up workday, then Monday 09-29.
        Assert.Equal("2025-09-29", (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/complaints/{id}")).GetProperty("answerDue").GetString());
    }
}
