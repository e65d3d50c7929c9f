using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;

namespace CaseFlow.Api.Tests;

/// <summary>首问 at the window, through HTTP: the pipeline's ETag, If-Match, Idempotency-Key and problem details.</summary>
public sealed class InquiryJourneyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly object Registration = new { enquirerName = "刘建国", enquirerPhone = "13907971234", topic = "城乡居民养老保险参保登记需要哪些材料", channel = "Window" };

    private static async Task<(Guid Id, string ETag)> RegisterAsync(HttpClient clerk, object? body = null)
    {
        var response = await clerk.PostAsJsonAsync("/api/window/inquiries", body ?? Registration);
        Assert.Equal(201, (int)response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/window/inquiries/{json.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        return (json.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_clerk_registers_an_inquiry_owns_it_and_answers_it()
    {
        var clerk = api.As("clerk-tw-1");
        var (id, etag) = await RegisterAsync(clerk);
        Assert.Equal("\"1\"", etag);

        var worklist = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/inquiries?status=Open")).GetProperty("items");
        Assert.Contains(worklist.EnumerateArray(), i => i.GetProperty("id").GetGuid() == id && i.GetProperty("ownerId").GetString() == "clerk-tw-1");

        var answered = await clerk.PostAsJsonAsync($"/api/window/inquiries/{id}/answer", new { answer = "需身份证、户口簿原件，当场可办。" });
        Assert.Equal(200, (int)answered.StatusCode);
        Assert.Equal("\"2\"", answered.Headers.ETag!.Tag);
        var view = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/inquiries/{id}");
        Assert.Equal("Answered", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_the_owner_may_answer_and_a_stale_if_match_gets_412()
    {
        var owner = api.As("clerk-tw-1");
        var (id, etag) = await RegisterAsync(owner);

        var colleague = await api.As("clerk-tw-2").PostAsJsonAsync($"/api/window/inquiries/{id}/answer", new { answer = "我来答" });
        await colleague.ProblemAsync(403, "inquiry.not_owner");

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/window/inquiries/{id}/answer") { Content = JsonContent.Create(new { answer = "答复" }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        var problem = await (await owner.SendAsync(stale)).ProblemAsync(412, "concurrency.precondition_failed");
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt64());

        using var fresh = new HttpRequestMessage(HttpMethod.Post, $"/api/window/inquiries/{id}/answer") { Content = JsonContent.Create(new { answer = "答复" }) };
        fresh.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        Assert.Equal(200, (int)(await owner.SendAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_first_answer_and_another_body_gets_422()
    {
        var clerk = api.As("clerk-tw-1");
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/window/inquiries") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await clerk.SendAsync(Request(Registration));
        var again = await clerk.SendAsync(Request(Registration));
        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));

        var other = await clerk.SendAsync(Request(new { enquirerName = "别人", topic = "另一件事", channel = "Window" }));
        await other.ProblemAsync(422, "idempotency.key_reused");
    }

    [Fact]
    public async Task A_referral_must_name_window_and_person_or_is_counted_against_the_owner()
    {
        var clerk = api.As("clerk-tw-2");
        var (id, _) = await RegisterAsync(clerk);

        var refused = await clerk.PostAsJsonAsync($"/api/window/inquiries/{id}/refer", new { reason = "不归我管" });
        await refused.ProblemAsync(422, "inquiry.referral_target_required");

        var overridden = await clerk.PostAsJsonAsync($"/api/window/inquiries/{id}/refer", new { reason = "不归我管", overrideReason = "接办人未确定，先转中心协调" });
        Assert.Equal(200, (int)overridden.StatusCode);

        var (named, _) = await RegisterAsync(clerk);
        Assert.Equal(200, (int)(await clerk.PostAsJsonAsync($"/api/window/inquiries/{named}/refer",
            new { targetWindowId = "window-3", targetPersonId = "clerk-tw-1", targetPersonName = "同事", reason = "社保专窗办理" })).StatusCode);

        await api.Services.GetRequiredService<CaseFlow.Api.Seeding.DemoSeeder>().SeedOrganisationAsync(); // the supervisor sees the staff of their region
        await api.CatchUpProjectionsAsync();
        var ledger = (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/ledger/inquiries?month=2025-09")).GetProperty("items");
        var row = ledger.EnumerateArray().Single(r => r.GetProperty("personId").GetString() == "clerk-tw-2");
        Assert.Equal(2, row.GetProperty("inquiriesReferred").GetInt32());
        Assert.Equal(1, row.GetProperty("referralsWithoutTarget").GetInt32());
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_with_a_code_and_writes_nothing()
    {
        var clerk = api.As("clerk-tw-1");
        var before = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log");

        await (await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "张三", enquirerPhone = "12345", topic = "咨询", channel = "Window" }))
            .ProblemAsync(400, "identity.phone_invalid");
        await (await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "", topic = "咨询", channel = "Window" }))
            .ProblemAsync(400, "inquiry.enquirer_name_required");
        using var broken = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        await (await clerk.PostAsync(new Uri("/api/window/inquiries", UriKind.Relative), broken)).ProblemAsync(400, "request.invalid");
        await (await clerk.PostAsJsonAsync($"/api/window/inquiries/{Guid.NewGuid()}/answer", new { answer = "x" })).ProblemAsync(404, "inquiry.not_found");

        Assert.Equal(before, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log"));
    }

    [Fact]
    public async Task A_named_referral_notifies_the_target_person_through_the_outbox()
    {
        var clerk = api.As("clerk-tw-1");
        var (id, _) = await RegisterAsync(clerk);
        await clerk.PostAsJsonAsync($"/api/window/inquiries/{id}/refer",
            new { targetWindowId = "window-2", targetPersonId = "clerk-tw-2", targetPersonName = "同事", reason = "转社保专窗" });

        // Wolverine delivers it from its durable queue once the referral has committed (issue 15).
        Task<long> SentAsync() => api.Db.ScalarAsync<long>(
            "SELECT count(*) FROM cf_sent_messages WHERE recipient = 'clerk-tw-2' AND template = 'inquiry_referred_to_you' AND payload->>'inquiryId' = $1", id.ToString());
        await CaseFlow.Testing.Eventually.TrueAsync(async () => await SentAsync() > 0, "the referral's message sent");
        Assert.Equal(1L, await SentAsync());
    }
}
