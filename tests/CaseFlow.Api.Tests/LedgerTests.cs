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
            (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/ledger/accountability?month=2025-12&kind=Person"))
                .EnumerateArray().ToDictionary(r => r.GetProperty("subjectId").GetString()!);
        var ledger = await LedgerAsync();
        Assert.Equal(1, ledger["clerk-tw-1"].GetProperty("repeatNotices").GetInt32());
        // The demo's untouched receipt from September was deemed accepted in the same pass: each deemed acceptance counts once.
        Assert.Equal("clerk-tw-1", await api.Db.ScalarAsync<string>($"SELECT data->>'responsibleId' FROM cf_events WHERE stream_id = '{forgotten}' AND type = 'case.deemed_accepted.v1'"));
        var deemedForClerk = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_events WHERE type = 'case.deemed_accepted.v1' AND data->>'responsibleId' = 'clerk-tw-1'");
        Assert.Equal(deemedForClerk, ledger["clerk-tw-1"].GetProperty("deemedAcceptances").GetInt32());
        Assert.Equal(0, ledger["clerk-tw-1"].GetProperty("referralsWithoutTarget").GetInt32());
        Assert.Equal(1, ledger["clerk-tw-2"].GetProperty("referralsWithoutTarget").GetInt32());
        Assert.Equal(0, ledger["clerk-tw-2"].GetProperty("repeatNotices").GetInt32());

        // Rebuilt from the events, the ledger has exactly the same rows.
        var before = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t");
        Assert.True((await api.As("admin-1").PostAsync("/api/admin/projections/ledger_accountability/rebuild", null)).IsSuccessStatusCode);
        var after = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY subject_kind, subject_id, month) FROM cf_ledger_accountability t");
        Assert.Equal(before, after);
        Assert.Equal(ledger.Keys.Order(), (await LedgerAsync()).Keys.Order());
    }
}
