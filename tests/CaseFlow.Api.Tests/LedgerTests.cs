using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 8: the accountability ledger per person and month, and its rebuild.</summary>
public sealed class LedgerTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_repeat_notice_a_deemed_acceptance_and_a_referral_without_target_each_land_once_on_the_right_person_and_a_rebuild_agrees()
    {
        // December 2025: nothing else happens in this month of this class's database.
        api.Clock.Set(Beijing("2025-12-01T09:30:00"));
        var noticed = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02");
        await (await api.PostAsync(noticed, "notices", new { items = new[] { new { code = "M05" } } })).EventsAsync();
        await (await api.PostAsync(noticed, "notices", new { items = new[] { new { code = "M01", reason = "身份证已过期" } }, overrideReason = "首次审查疏漏" })).EventsAsync();

        var forgotten = await api.ReceiveAsync("临时救助", "M00", "M01", "M05"); // received by clerk-tw-1, never acted on
        var inquiry = await api.As("clerk-tw-2").PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = "低保怎么申请" });
        var inquiryId = (await inquiry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.As("clerk-tw-2").PostAsJsonAsync($"/api/window/inquiries/{inquiryId}/refer", new { reason = "转民政", overrideReason = "接办人不在岗" })).IsSuccessStatusCode);

        api.Clock.Set(Beijing("2025-12-09T09:00:00")); // the 5th working day after 12-01 has ended
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        Assert.Equal("Accepted", (await api.CaseAsync(forgotten)).GetProperty("status").GetString());
        await api.CatchUpProjectionsAsync();

        async Task<Dictionary<string, JsonElement>> LedgerAsync() =>
            ((await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/ledger/accountability?month=2025-12&kind=Person")).GetProperty("items"))
                .EnumerateArray().ToDictionary(r => r.GetProperty("subjectId").GetString()!);
        var ledger = await LedgerAsync();
        Assert.Equal(1, ledger["clerk-tw-1"].GetProperty("repeatNotices").GetInt32());
        // The demo's untouched receipt from September was deemed accepted in the same pass: each deemed acceptance counts once.
        Assert.Equal("clerk-tw-1", await api.Db.ScalarAsync<string>($"SELECT data->>'responsibleId' FROM cf_event_log WHERE stream_id = '{forgotten}' AND type = 'case.deemed_accepted.v1'"));
        var deemedForClerk = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.deemed_accepted.v1' AND data->>'responsibleId' = 'clerk-tw-1'");
        Assert.Equal(deemedForClerk, ledger["clerk-tw-1"].GetProperty("deemedAcceptances").GetInt32());
        Assert.Equal(0, ledger["clerk-tw-1"].GetProperty("referralsWithoutTarget").GetInt32());
        Assert.Equal(1, ledger["clerk-tw-2"].GetProperty("referralsWithoutTarget").GetInt32());
        Assert.Equal(0, ledger["clerk-tw-2"].GetProperty("repeatNotices").GetInt32());

        // Rebuilt from the events, the ledger has exactly the same rows.
        var before = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t");
        await api.RebuildAsync("ledger_accountability");
        var after = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t");
        Assert.Equal(before, after);
        Assert.Equal(ledger.Keys.Order(), (await LedgerAsync()).Keys.Order());
    }

    private Task<HttpResponseMessage> PartAsync(string staff, Guid id, string partId, string action, object body) =>
        api.As(staff).PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{partId}/{action}", body);

    /// <summary>A pension case accepted, decided and handed out by clerk-tw-1, then rated badly (named, with details).</summary>
    private async Task<Guid> BadlyRatedAsync()
    {
        const string pension = "361130-000201002";
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await (await PartAsync("approver-rsj-2", id, pension, "claim", new { })).EventsAsync();
        for (var i = 0; i < 2; i++)
            await (await PartAsync("approver-rsj-2", id, pension, "steps", new { action = "Pass", opinion = "符合条件。" })).EventsAsync();
        await (await PartAsync("approver-rsj-2", id, pension, "decision", new { approved = true, opinion = "准予。" })).EventsAsync();
        await (await PartAsync("approver-rsj-2", id, pension, "result", new { documents = new[] { new { kind = "待遇核定通知", number = $"宁人社待〔2026〕{id.ToString()[..6]}号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
        await (await api.PostAsync(id, "handout", new { receiverName = "刘建国", receiverIdNumber = "11010519491231002X" })).EventsAsync();
        await (await api.PostAsync(id, "rating", new { level = "Dissatisfied", channel = "Window", named = true, details = "等候时间过长" })).EventsAsync();
        return id;
    }

    [Fact]
    public async Task Bad_ratings_late_return_visits_red_lights_and_inquiries_land_on_the_right_person_and_staff_see_only_their_own_row()
    {
        // January 2026: this test's own month.
        api.Clock.Set(Beijing("2026-01-05T10:00:00"));
        var firstRated = await BadlyRatedAsync();       // its return visit (due in 3 working days) is never recorded
        var appealed = await BadlyRatedAsync();
        Assert.True((await api.As("supervisor-cty-1").PostAsJsonAsync($"/api/supervision/ratings/{appealed}/void", new { text = "申请人误评，经复核作废" })).IsSuccessStatusCode);
        var held = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(held, "acceptance", new { })).EventsAsync();
        await (await PartAsync("approver-mzj-1", held, "361130-000401001", "claim", new { })).EventsAsync(); // 承办 share: 12 working days
        Assert.True((await api.As("clerk-tw-2").PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = "养老保险怎么领" })).IsSuccessStatusCode);

        api.Clock.Set(Beijing("2026-01-26T09:00:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        await api.CatchUpProjectionsAsync();

        var rows = ((await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/ledger/accountability?month=2026-01")).GetProperty("items"))
            .EnumerateArray().ToDictionary(r => (r.GetProperty("subjectKind").GetString(), r.GetProperty("subjectId").GetString()));
        // Red lights raised in January: ours, and those of the demo's September cases if this pass was their first.
        Task<long> RedsAsync(string filter) => api.Db.ScalarAsync<long>(
            $"SELECT count(*) FROM cf_event_log WHERE type = 'case.deadline_went_overdue.v1' AND {filter} " +
            "AND (data->>'overdueAt')::timestamptz >= '2026-01-01T00:00:00+08:00' AND (data->>'overdueAt')::timestamptz < '2026-02-01T00:00:00+08:00'");
        var clerk = rows[("Person", "clerk-tw-1")];
        Assert.Equal(1, clerk.GetProperty("badRatings").GetInt32());           // two bad ratings, one voided on appeal
        var lateVisits = await RedsAsync("data->>'holderId' = 'clerk-tw-1' AND data->>'scope' IN ('ReturnVisit', 'Rectification')");
        Assert.Equal(1, await RedsAsync($"stream_id = '{firstRated}' AND data->>'scope' = 'ReturnVisit'")); // the return visit not done in time
        Assert.Equal(lateVisits, clerk.GetProperty("lateRectifications").GetInt32());
        var heldReds = await RedsAsync($"stream_id = '{held}' AND data->>'holderId' = 'approver-mzj-1'");
        Assert.True(heldReds >= 1);
        Assert.Equal(await RedsAsync("data->>'holderId' = 'approver-mzj-1'"), rows[("Person", "approver-mzj-1")].GetProperty("redLights").GetInt32());
        var departmentReds = await RedsAsync("data->>'departmentId' = 'dept-361130-mzj'");
        Assert.Equal(departmentReds, rows[("Department", "dept-361130-mzj")].GetProperty("redLights").GetInt32());
        Assert.Equal(1, rows[("Person", "clerk-tw-2")].GetProperty("inquiriesOwned").GetInt32());
        Assert.Equal(6, rows[("Person", "approver-rsj-2")].GetProperty("stepsHandled").GetInt32());
        Assert.Equal(6, rows[("Person", "approver-rsj-2")].GetProperty("stepsOnTime").GetInt32());

        // Staff see their own row, and their department's; nobody else's.
        var mine = await api.As("approver-mzj-1").GetFromJsonAsync<JsonElement>("/api/ledger/mine?month=2026-01");
        Assert.Equal("approver-mzj-1", mine.GetProperty("person").GetProperty("subjectId").GetString());
        Assert.Equal("dept-361130-mzj", mine.GetProperty("department").GetProperty("subjectId").GetString());
        var clerkOwn = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/ledger/mine?month=2026-01");
        Assert.Equal(1, clerkOwn.GetProperty("person").GetProperty("badRatings").GetInt32());
        Assert.Equal(JsonValueKind.Null, clerkOwn.GetProperty("department").ValueKind);
        await (await api.As("clerk-tw-1").GetAsync("/api/supervision/ledger/accountability?month=2026-01")).ProblemAsync(403, "auth.forbidden");

        // The rebuild agrees here too (the voided rating included).
        var before = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t");
        await api.RebuildAsync("ledger_accountability");
        Assert.Equal(before, await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t"));
    }
}
