using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Deadlines at acceptance: deemed acceptance after 5 working days, 容缺 termination, the agent channel's 3 working
/// days. The clock is moved, never slept on; the job runs one pass.
/// </summary>
public sealed class AcceptanceDeadlineTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private Task<SweepRun> RunJobAsync() => api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();

    [Fact]
    public async Task A_case_left_without_notice_for_5_working_days_is_accepted_as_of_its_receipt_date_against_the_receiving_clerk()
    {
        api.Clock.Set(Beijing("2025-09-26T09:30:00"));
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");

        // Friday 2025-10-10 is the fifth working day (Sunday 09-28 is a make-up workday, 10-01..08 are 国庆).
        api.Clock.Set(Beijing("2025-10-10T17:00:00"));
        await RunJobAsync();
        Assert.Equal("Received", (await api.CaseAsync(id)).GetProperty("status").GetString());

        // The day is over: a notice is now too late, and the job records the deemed acceptance.
        api.Clock.Set(Beijing("2025-10-11T08:00:00"));
        await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05" } } })).ProblemAsync(422, "case.notice_period_over");
        Assert.True((await RunJobAsync()).DeemedAccepted >= 1);

        var view = await api.CaseAsync(id);
        Assert.Equal("Accepted", view.GetProperty("status").GetString());
        var acceptance = view.GetProperty("acceptance");
        Assert.Equal("Deemed", acceptance.GetProperty("route").GetString());
        Assert.Equal(new DateOnly(2025, 9, 26), acceptance.Date("acceptedOn"));
        Assert.Equal(new DateOnly(2025, 11, 6), acceptance.Date("promisedDue"));   // 25 working days from the receipt date
        Assert.Equal(new DateOnly(2025, 11, 13), acceptance.Date("statutoryDue")); // 30
        Assert.Equal(DemoStaff.Find("clerk-tw-1").Name, acceptance.GetProperty("responsibleName").GetString());
        var responsible = await api.Db.ScalarAsync<string>($"SELECT data->>'responsibleId' FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.deemed_accepted.v1'");
        Assert.Equal("clerk-tw-1", responsible);

        // A second pass records nothing more.
        await RunJobAsync();
        Assert.Equal(1, await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.deemed_accepted.v1'"));
    }

    [Fact]
    public async Task A_deficiency_not_supplied_by_its_due_date_terminates_the_case()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M05");
        await (await api.PostAsync(id, "acceptance-with-deficiency", new
        {
            deficiencies = new[] { new { code = "M04", dueOn = "2025-11-05" } }, commitment = "本人承诺于2025年11月5日前补交社保卡复印件。",
        })).EventsAsync();

        api.Clock.Set(Beijing("2025-11-05T17:00:00"));
        await RunJobAsync();
        Assert.Equal("AcceptedWithDeficiency", (await api.CaseAsync(id)).GetProperty("status").GetString());

        api.Clock.Set(Beijing("2025-11-06T08:30:00"));
        await RunJobAsync();
        var view = await api.CaseAsync(id);
        Assert.Equal("Terminated", view.GetProperty("status").GetString());
        Assert.Contains("逾期未补齐", view.GetProperty("terminationReason").GetString());
        await (await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M04", state = "Present" } } })).ProblemAsync(422, "case.not_taking_materials");
    }

    [Fact]
    public async Task A_village_agent_submits_with_a_written_authorisation_and_follows_only_their_own_cases()
    {
        api.Clock.Set(Beijing("2025-11-10T10:00:00"));
        var agent = api.As("agent-cn-1");
        var itemId = await api.ItemAsync("临时救助");
        await (await agent.PostAsJsonAsync("/api/window/cases", new { itemId, applicant = Window.Person, materials = new[] { new { code = "M00", state = "Present" } } }))
            .ProblemAsync(400, "case.authorisation_required");

        var submitted = await agent.PostAsJsonAsync("/api/window/cases", new
        {
            itemId, applicant = Window.Person,
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" }, new { code = "M05", state = "Committed" } },
            authorisation = new { reference = "城南村委托〔2025〕031号", grantorName = "刘建国", signedOn = "2025-11-09" },
        });
        Assert.Equal(201, (int)submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Routed to the township centre's comprehensive window, which must act within 3 working days.
        var asAgent = await api.CaseAsync(id, "agent-cn-1");
        Assert.Equal("window-tw-1", asAgent.GetProperty("windowId").GetString());
        Assert.Equal("VillageAgent", asAgent.GetProperty("channel").GetString());
        Assert.Equal(new DateOnly(2025, 11, 13), asAgent.GetProperty("agent").Date("actBy"));
        Assert.Equal("城南村委托〔2025〕031号", asAgent.GetProperty("agent").GetProperty("authorisation").GetProperty("reference").GetString());
        // The agent sees the applicant's identity numbers masked; the clerk sees them whole.
        Assert.Equal("110105********002X", asAgent.GetProperty("applicant").GetProperty("residentIdNumber").GetString());
        Assert.Equal("11010519491231002X", (await api.CaseAsync(id)).GetProperty("applicant").GetProperty("residentIdNumber").GetString());

        var clerkList = (await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/cases?status=Received&limit=500")).GetProperty("items");
        Assert.Contains(clerkList.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id && c.Date("actBy") == new DateOnly(2025, 11, 13));

        // Only the clerk decides; the agent follows the progress of their own submissions.
        await (await api.PostAsync(id, "acceptance", new { }, staff: "agent-cn-1")).ProblemAsync(403, "case.clerk_only");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        var mine = (await agent.GetFromJsonAsync<JsonElement>("/api/window/cases")).GetProperty("items");
        Assert.Contains(mine.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id && c.GetProperty("status").GetString() == "Accepted");
        Assert.All(mine.EnumerateArray(), c => Assert.Equal("VillageAgent", c.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task An_item_agents_may_not_submit_is_refused_at_the_agent_channel()
    {
        api.Clock.Set(Beijing("2025-11-10T10:00:00"));
        // 居住证申领 is accepted at the township but not through village agents.
        var itemId = await api.ItemAsync("居住证");
        await (await api.As("agent-cn-1").PostAsJsonAsync("/api/window/cases", new
        {
            itemId, applicant = Window.Person, authorisation = new { reference = "城南村委托〔2025〕032号", grantorName = "刘建国", signedOn = "2025-11-09" },
        })).ProblemAsync(422, "case.agent_not_allowed");
    }
}
