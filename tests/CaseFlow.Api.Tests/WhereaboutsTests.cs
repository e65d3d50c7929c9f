using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 17, 去向留言: a clerk leaving the window records reason, expected return and a contact (refused without one);
/// the window's public screen shows it; the other holder of the AB post is told; an overdue return is flagged to the
/// supervisor once, with two sweepers; the return puts the window back in service.
/// </summary>
public sealed class WhereaboutsTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private Task SweepTwiceAtOnceAsync()
    {
        var first = api.Services.GetRequiredService<CaseSweeper>();
        var second = ActivatorUtilities.CreateInstance<CaseSweeper>(api.Services);
        return Task.WhenAll(Task.Run(() => first.RunOnceAsync()), Task.Run(() => second.RunOnceAsync()));
    }

    private Task<JsonElement> StatusAsync(string window) => api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/windows/{window}/status");

    /// <summary>clerk-tw-1's events of a type (the demo's clerk-tw-2 is away from window 2 meanwhile).</summary>
    private Task<long> EventsAsync(string type) =>
        api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE type = '{type}' AND data->>'staffId' = 'clerk-tw-1'");

    [Fact]
    public async Task A_clerk_away_shows_on_the_window_screen_the_AB_partner_is_told_and_an_overdue_return_is_flagged_once()
    {
        api.Clock.Set(Beijing("2025-10-09T10:00:00"));
        var clerk = api.As("clerk-tw-1");
        Assert.Equal("Open", (await StatusAsync("window-tw-1")).GetProperty("status").GetString());

        // No contact, no leave: nothing is written.
        var before = await EventsAsync("whereabouts.left_window.v1");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", new { windowId = "window-tw-1", reason = "到二楼档案室调取档案", expectedReturnAt = Beijing("2025-10-09T10:30:00") }))
            .ProblemAsync(400, "whereabouts.contact_required");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", new { windowId = "window-tw-1", reason = "到二楼档案室调取档案", expectedReturnAt = Beijing("2025-10-09T10:30:00"), contact = " " }))
            .ProblemAsync(400, "whereabouts.contact_required");
        Assert.Equal(before, await EventsAsync("whereabouts.left_window.v1"));
        Assert.Equal("Open", (await StatusAsync("window-tw-1")).GetProperty("status").GetString());

        var leave = new { windowId = "window-tw-1", reason = "到二楼档案室调取档案", expectedReturnAt = Beijing("2025-10-09T10:30:00"), contact = "0797-6821234（分机 801）" };
        Assert.Equal(["whereabouts.left_window.v1"], await (await clerk.PostAsJsonAsync("/api/window/whereabouts", leave)).EventsAsync());
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", leave)).ProblemAsync(422, "whereabouts.already_away");

        // The hall's screen, without logging in: reason, expected return, the published contact and who covers (the B holder).
        var away = await StatusAsync("window-tw-1");
        Assert.Equal("Away", away.GetProperty("status").GetString());
        var shown = away.GetProperty("away");
        Assert.Equal(DemoStaff.Find("clerk-tw-1").Name, shown.GetProperty("staffName").GetString());
        Assert.Equal("到二楼档案室调取档案", shown.GetProperty("reason").GetString());
        Assert.Equal("0797-6821234（分机 801）", shown.GetProperty("contact").GetString());
        Assert.Equal(DemoStaff.Find("clerk-tw-2").Name, shown.GetProperty("standInName").GetString());
        Assert.False(shown.GetProperty("overdue").GetBoolean());
        Assert.Equal(Beijing("2025-10-09T10:30:00"), shown.GetProperty("expectedReturnAt").GetDateTimeOffset());
        Assert.DoesNotContain(DemoStaff.Find("clerk-tw-1").Phone, away.GetRawText()); // the seat sign's phone is not what the screen shows
        // The other holder of the AB post (梅江镇综合窗口民生岗) was told through the outbox.
        Assert.Equal(1, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox WHERE template = 'window_cover_requested' AND recipient = 'clerk-tw-2' AND payload->>'windowId' = 'window-tw-1'"));

        // Not yet due: nothing flagged.
        api.Clock.Set(Beijing("2025-10-09T10:29:00"));
        await SweepTwiceAtOnceAsync();
        Assert.Equal(0, await EventsAsync("whereabouts.return_overdue.v1"));

        // Past the expected return: flagged to the supervisor once, with two sweepers and a second pass.
        api.Clock.Set(Beijing("2025-10-09T10:45:00"));
        await SweepTwiceAtOnceAsync();
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await EventsAsync("whereabouts.return_overdue.v1"));
        Assert.Equal(1, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox WHERE template = 'window_return_overdue' AND recipient = 'supervisor-cty-1' AND payload->>'staffId' = 'clerk-tw-1'"));
        Assert.True((await StatusAsync("window-tw-1")).GetProperty("away").GetProperty("overdue").GetBoolean());

        // Back at the window: the screen shows it in service again.
        api.Clock.Set(Beijing("2025-10-09T10:50:00"));
        Assert.Equal(["whereabouts.returned_to_window.v1"], await (await clerk.PostAsync("/api/window/whereabouts/return", null)).EventsAsync());
        Assert.Equal(20, await api.Db.ScalarAsync<int>("SELECT (data->>'minutesLate')::int FROM cf_event_log WHERE type = 'whereabouts.returned_to_window.v1' AND data->>'staffId' = 'clerk-tw-1'"));
        var back = await StatusAsync("window-tw-1");
        Assert.Equal("Open", back.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("away").ValueKind);
        await (await clerk.PostAsync("/api/window/whereabouts/return", null)).ProblemAsync(422, "whereabouts.not_away");
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await EventsAsync("whereabouts.return_overdue.v1"));
    }

    [Fact]
    public async Task A_leave_must_be_at_an_own_window_with_a_reason_and_a_return_within_eight_hours()
    {
        api.Clock.Set(Beijing("2025-11-03T09:00:00"));
        var clerk = api.As("clerk-tw-1");
        object Leave(string window, string reason, DateTimeOffset? back) => new { windowId = window, reason, expectedReturnAt = back, contact = "0797-6821235" };
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", " ", Beijing("2025-11-03T09:30:00")))).ProblemAsync(400, "whereabouts.reason_required");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", "参加镇里会议", null))).ProblemAsync(400, "whereabouts.expected_return_invalid");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", "参加镇里会议", Beijing("2025-11-03T08:30:00")))).ProblemAsync(400, "whereabouts.expected_return_invalid");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", "下乡", Beijing("2025-11-03T18:00:00")))).ProblemAsync(400, "whereabouts.leave_too_long");
        await (await clerk.PostAsJsonAsync("/api/window/whereabouts", Leave("window-zz-9", "参加镇里会议", Beijing("2025-11-03T09:30:00")))).ProblemAsync(404, "whereabouts.window_not_found");
        await (await api.As("clerk-cty-1").PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", "参加镇里会议", Beijing("2025-11-03T09:30:00")))).ProblemAsync(403, "whereabouts.other_centre");
        await (await api.As("agent-cn-1").PostAsJsonAsync("/api/window/whereabouts", Leave("window-tw-1", "参加镇里会议", Beijing("2025-11-03T09:30:00")))).ProblemAsync(403, "auth.forbidden");
        await (await api.Anonymous().GetAsync("/api/public/windows/window-zz-9/status")).ProblemAsync(404, "whereabouts.window_not_found");
        Assert.Equal("Open", (await StatusAsync("window-tw-1")).GetProperty("status").GetString());
    }
}
