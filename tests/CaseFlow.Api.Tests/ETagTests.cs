using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 16: entity tags per RFC 9110 — strong comparison for If-Match, <c>*</c>, If-None-Match → 304 on the case
/// view — and the version users see: a light the sweeper raises does not invalidate the If-Match of a version read a
/// moment ago; every stream a client writes to exposes its version (the one-time notice letter).
/// </summary>
public sealed class ETagTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string FamilyPlanning = "361130-000701002"; // promised 20 working days, 卫健委

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static HttpRequestMessage Post(string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task If_match_compares_strongly_accepts_a_star_and_refuses_what_is_not_an_entity_tag()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        var clerk = api.As("clerk-tw-1");
        var read = await clerk.GetAsync($"/api/window/cases/{id}");
        var etag = read.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var version = await api.CaseVersionAsync(id);

        // A weak tag never matches under If-Match's strong comparison; an unquoted number is not an entity tag.
        await (await clerk.SendAsync(Post($"/api/window/cases/{id}/acceptance", new { }, $"W/{etag.Tag}"))).ProblemAsync(412, "concurrency.precondition_failed");
        await (await clerk.SendAsync(Post($"/api/window/cases/{id}/acceptance", new { }, etag.Tag.Trim('"')))).ProblemAsync(400, "request.if_match_invalid");
        Assert.Equal(version, await api.CaseVersionAsync(id));

        // "*": any current version of a record that exists; one of several tags is enough.
        await (await clerk.SendAsync(Post($"/api/window/cases/{id}/acceptance", new { }, $"\"999\", {etag.Tag}"))).EventsAsync();
        await (await clerk.SendAsync(Post($"/api/window/inquiries/{Guid.NewGuid()}/answer", new { answer = "x" }, "*"))).ProblemAsync(412, "concurrency.precondition_failed");
        var escalation = await clerk.SendAsync(Post($"/api/window/cases/{id}/escalation", new { reason = "跨部门事项需协调", coordinatorId = "clerk-tw-2", coordinatorName = "李娜", dueOn = "2025-11-07" }, "*"));
        Assert.NotEqual(412, (int)escalation.StatusCode); // past the precondition (the rules may still refuse)
    }

    [Fact]
    public async Task The_case_view_answers_304_to_its_own_etag_and_200_once_the_case_changed()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        var clerk = api.As("clerk-tw-1");
        var first = await clerk.GetAsync($"/api/window/cases/{id}");
        var etag = first.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/window/cases/{id}");
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await clerk.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/window/cases/{id}");
        changed.Headers.IfNoneMatch.Add(etag);
        var fresh = await clerk.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
        Assert.Equal("Accepted", (await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_light_raised_by_the_sweeper_does_not_invalidate_the_approvers_if_match()
    {
        api.Clock.Set(Beijing("2025-09-26T09:30:00"));
        var id = await api.ReceiveAsync("计划生育家庭奖励扶助", "M00", "M01", "M02");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        var approver = api.As("approver-wjw-1");
        var read = await approver.GetAsync($"/api/backoffice/cases/{id}");
        var etag = read.Headers.ETag!.Tag;
        var before = await api.CaseVersionAsync(id);

        // Friday 10-24: 80 % of the case's time used (yellow) and the first step past its share (red), raised by the system.
        api.Clock.Set(Beijing("2025-10-24T09:00:00"));
        Assert.True((await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync()).Warned >= 1);
        Assert.True(await api.CaseVersionAsync(id) > before); // the lights are on the case's record...
        var reread = await approver.GetAsync($"/api/backoffice/cases/{id}");
        Assert.Equal(etag, reread.Headers.ETag!.Tag); // ...but not in the version users see

        await (await approver.SendAsync(Post($"/api/backoffice/cases/{id}/parts/{FamilyPlanning}/claim", new { }, etag))).EventsAsync();
        // The supervisor's timeline has the lights, under a weak tag that no If-Match can use.
        var timeline = await api.As("supervisor-cty-1").GetAsync($"/api/cases/{id}/timeline");
        Assert.True(timeline.Headers.ETag!.IsWeak);
    }

    [Fact]
    public async Task The_notice_letter_exposes_its_version_and_its_stub_is_signed_under_if_match()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04");
        await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05", reason = "未提交户口簿首页及本人页" } } })).EventsAsync();
        var notice = (await api.CaseAsync(id)).GetProperty("notices")[0].GetProperty("noticeId").GetGuid();
        var clerk = api.As("clerk-tw-1");

        var letter = await clerk.GetAsync($"/api/window/cases/{id}/notices/{notice}");
        Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
        var view = await letter.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Issued", view.GetProperty("status").GetString());
        Assert.Equal($"\"{view.GetProperty("version").GetInt64()}\"", letter.Headers.ETag!.Tag);

        var etag = letter.Headers.ETag!.Tag;
        await (await clerk.SendAsync(Post($"/api/window/cases/{id}/notices/{notice}/stub", new { signedBy = "刘建国" }, etag))).EventsAsync();
        await (await clerk.SendAsync(Post($"/api/window/cases/{id}/notices/{notice}/stub", new { signedBy = "刘建国" }, etag))).ProblemAsync(412, "concurrency.precondition_failed");
        Assert.Equal("StubSigned", (await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}/notices/{notice}")).GetProperty("status").GetString());
        await (await clerk.GetAsync($"/api/window/cases/{id}/notices/{Guid.NewGuid()}")).ProblemAsync(404, "notice.not_found");
        await (await api.As("clerk-cty-1").GetAsync($"/api/window/cases/{id}/notices/{notice}")).ProblemAsync(403, "case.other_centre");
    }
}
