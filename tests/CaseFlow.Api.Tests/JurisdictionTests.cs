using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Each refusal seen from outside (issue 13, "What was seen") with its new answer, on the demo: 瑞金's supervisor
/// can no longer read or move 宁都's cases, staff outside a case cannot answer its 督办 or follow up its rating,
/// ledgers and the staff list stop at the region, tokens missing their unit are refused, odd input is a clear 400,
/// and back-office commands are recorded as such.
/// </summary>
public sealed class JurisdictionTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private async Task<(Guid CaseId, string PartId)> ClaimedMzjPartAsync() =>
        (await api.Db.ScalarAsync<Guid>("SELECT case_id FROM cf_case_parts WHERE department_id = 'dept-361130-mzj' AND holder_id IS NOT NULL LIMIT 1"),
         await api.Db.ScalarAsync<string>("SELECT part_id FROM cf_case_parts WHERE department_id = 'dept-361130-mzj' AND holder_id IS NOT NULL LIMIT 1"));

    private Task<long> VersionAsync(Guid id) => api.Db.ScalarAsync<long>("SELECT version FROM cf_stream_log WHERE id = $1", id);

    [Fact]
    public async Task Another_countys_supervisor_can_neither_read_nor_reassign_a_case_and_a_reassignment_must_name_a_member_of_the_department()
    {
        var (id, part) = await ClaimedMzjPartAsync();
        var before = await VersionAsync(id);
        await (await api.As("supervisor-rj-1").GetAsync($"/api/backoffice/cases/{id}")).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As("supervisor-rj-1").PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{part}/reassignment",
            new { toId = "approver-mzj-1", toName = "x", reason = "越权改派" })).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As("supervisor-cty-1").PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{part}/reassignment",
            new { toId = "ghost-999", toName = "无此人", reason = "改派" })).ProblemAsync(422, "case.reassign_target_not_in_department");
        await (await api.As("supervisor-cty-1").PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{part}/reassignment",
            new { toId = "approver-rsj-1", toName = "人社局的人", reason = "改派" })).ProblemAsync(422, "case.reassign_target_not_in_department");
        Assert.Equal(before, await VersionAsync(id));
        Assert.Equal(200, (int)(await api.As("supervisor-cty-1").GetAsync($"/api/backoffice/cases/{id}")).StatusCode);
    }

    [Fact]
    public async Task Only_the_window_or_a_department_of_the_case_answers_its_supervision_order()
    {
        // The demo's first order (a case outside clerk-tw-1's centre and approver-wjw-1's department), order and case
        // from the same event: another test of this class orders on a case
        // that clerk-tw-1 may answer for.
        var orderId = Guid.Parse(await api.Db.ScalarAsync<string>("SELECT data->>'orderId' FROM cf_event_log WHERE type = 'case.supervision_ordered.v1' ORDER BY seq LIMIT 1"));
        var id = await api.Db.ScalarAsync<Guid>("SELECT stream_id FROM cf_event_log WHERE type = 'case.supervision_ordered.v1' ORDER BY seq LIMIT 1");
        var before = await VersionAsync(id);
        await (await api.As("approver-wjw-1").PostAsJsonAsync($"/api/cases/{id}/supervision-orders/{orderId}/answer", new { answer = "已办" }))
            .ProblemAsync(403, "case.other_department");
        await (await api.As("clerk-tw-1").PostAsJsonAsync($"/api/cases/{id}/supervision-orders/{orderId}/answer", new { answer = "已办" }))
            .ProblemAsync(403, "case.other_centre");
        Assert.Equal(before, await VersionAsync(id));
    }

    [Fact]
    public async Task Rating_follow_ups_stay_within_the_centre_and_the_region()
    {
        var id = await api.Db.ScalarAsync<Guid>("SELECT stream_id FROM cf_event_log WHERE type = 'case.rated.v1' LIMIT 1");
        var before = await VersionAsync(id);
        var centre = await api.Db.ScalarAsync<string>("SELECT centre_id FROM cf_cases WHERE case_id = $1", id);
        var otherClerk = centre == DemoStaff.TownshipCentre ? "clerk-cty-1" : "clerk-tw-1";
        await (await api.As("supervisor-rj-1").PostAsJsonAsync($"/api/supervision/ratings/{id}/return-visit", new { text = "回访" })).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As("supervisor-rj-1").PostAsJsonAsync($"/api/supervision/ratings/{id}/void", new { text = "作废" })).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As(otherClerk).PostAsJsonAsync($"/api/supervision/ratings/{id}/rectification", new { text = "整改" })).ProblemAsync(403, "case.other_centre");
        Assert.Equal(before, await VersionAsync(id));
    }

    [Fact]
    public async Task Ledgers_and_the_staff_list_stop_at_the_supervisors_region_and_an_agent_reads_only_their_own_inquiries()
    {
        await api.CatchUpProjectionsAsync();
        var month = await api.Db.ScalarAsync<string>("SELECT to_char(max(month), 'YYYY-MM') FROM cf_ledger_accountability");
        var ours = (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/supervision/ledger/accountability?month={month}")).GetProperty("items");
        var theirs = (await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>($"/api/supervision/ledger/accountability?month={month}")).GetProperty("items");
        Assert.NotEmpty(ours.EnumerateArray());
        Assert.Empty(theirs.EnumerateArray());
        var inquiryMonth = await api.Db.ScalarAsync<string>("SELECT to_char(max(month), 'YYYY-MM') FROM cf_ledger_inquiries");
        Assert.NotEmpty(((await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/supervision/ledger/inquiries?month={inquiryMonth}")).GetProperty("items")).EnumerateArray());
        Assert.Empty(((await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>($"/api/supervision/ledger/inquiries?month={inquiryMonth}")).GetProperty("items")).EnumerateArray());

        var staff = (await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>("/api/organisation/staff")).GetProperty("items");
        Assert.DoesNotContain(staff.EnumerateArray(), s => s.GetProperty("centreId").GetString() is DemoStaff.CountyCentre or DemoStaff.TownshipCentre);
        Assert.Contains(((await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/organisation/staff")).GetProperty("items")).EnumerateArray(),
            s => s.GetProperty("staffId").GetString() == "clerk-tw-1");

        var clerksInquiry = await api.Db.ScalarAsync<Guid>("SELECT inquiry_id FROM cf_inquiry_worklist WHERE owner_id = 'clerk-tw-1' LIMIT 1");
        await (await api.As("agent-cn-1").GetAsync($"/api/window/inquiries/{clerksInquiry}")).ProblemAsync(403, "inquiry.not_yours");
        // Another centre's inquiry answers as another centre's case does: 403, not 404 (issue 16).
        await (await api.As("clerk-cty-1").GetAsync($"/api/window/inquiries/{clerksInquiry}")).ProblemAsync(403, "inquiry.not_yours");
        await (await api.As("clerk-cty-1").GetAsync($"/api/window/inquiries/{Guid.NewGuid()}")).ProblemAsync(404, "inquiry.not_found");
    }

    [Theory]
    [InlineData("Supervisor", "region_id")]
    [InlineData("Clerk", "centre_id")]
    [InlineData("Approver", "department_id")]
    public async Task A_token_without_the_unit_its_role_needs_is_refused_not_widened(string role, string missing)
    {
        var staff = DemoStaff.All.First(s => s.Role.ToString() == role);
        var claims = staff.Claims().Where(c => c.Type != missing).ToList();
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Security.IssueToken(api.Services.GetRequiredService<JwtOptions>(), claims, TimeProvider.System.GetUtcNow()));
        var path = role switch { "Supervisor" => "/api/supervision/board", "Clerk" => "/api/window/cases", _ => "/api/backoffice/inbox" };
        await (await client.GetAsync(path)).ProblemAsync(403, "auth.claim_missing");
    }

    [Fact]
    public async Task A_token_claiming_the_system_role_is_refused()
    {
        var claims = new[] { new Claim(CaseFlowClaims.StaffId, "intruder"), new Claim(CaseFlowClaims.Role, "System") };
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Security.IssueToken(api.Services.GetRequiredService<JwtOptions>(), claims, TimeProvider.System.GetUtcNow()));
        await (await client.GetAsync("/api/calendar/2025")).ProblemAsync(401, "auth.token_incomplete");
    }

    [Fact]
    public async Task Odd_input_is_a_400_naming_the_field_and_writes_nothing()
    {
        var events = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log");
        var numbers = await api.Db.ScalarAsync<long>("SELECT coalesce(sum(last), 0) FROM cf_case_numbers");
        var clerk = api.As("clerk-tw-1");
        var admin = api.As("admin-1");

        var nul = await clerk.PostAsync("/api/window/inquiries", new StringContent("{\"enquirerName\":\"张\\u0000三\",\"topic\":\"咨询\"}", Encoding.UTF8, "application/json"));
        Assert.True((await nul.ProblemAsync(400, "request.invalid_characters")).GetProperty("errors").TryGetProperty("enquirerName", out _));
        await (await clerk.GetAsync("/api/catalogue/items?q=%00")).ProblemAsync(400, "request.invalid_characters");
        var item = await api.ItemAsync("养老");
        await (await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId = item, applicant = Window.Person, materials = new object?[] { null } }))
            .ProblemAsync(400, "request.null_item");
        await (await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId = item, applicant = Window.Person, materials = Array.Empty<object>(), channel = "System" }))
            .ProblemAsync(400, "case.channel_not_allowed");
        var integerEnum = await clerk.PostAsync("/api/window/cases", new StringContent(
            $"{{\"windowId\":\"window-tw-1\",\"itemId\":\"{item}\",\"applicant\":{{\"kind\":7,\"name\":\"刘建国\"}},\"materials\":[]}}", Encoding.UTF8, "application/json"));
        Assert.True((await integerEnum.ProblemAsync(400, "request.invalid")).GetProperty("errors").TryGetProperty("applicant.kind", out _));
        await (await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = new string('张', 1_000_000), topic = "咨询" })).ProblemAsync(400, "request.text_too_long");
        await (await admin.PostAsJsonAsync("/api/admin/organisation/staff", new { staffId = "张三", name = "张三", role = "Clerk", unitId = DemoStaff.TownshipCentre, unitName = "窗口", centreId = DemoStaff.TownshipCentre }))
            .ProblemAsync(400, "request.id_invalid");
        await (await admin.PutAsJsonAsync($"/api/admin/catalogue/items/{item}", new { })).ProblemAsync(400, "request.required_missing");
        await (await admin.PostAsJsonAsync("/api/admin/organisation/centres", new { centreCode = DemoStaff.TownshipCentre, name = "重复编码的中心", region = new { code = "361130999000", name = "某镇", level = "Township", parentCode = DemoStaff.CountyRegion } }))
            .ProblemAsync(409, "organisation.centre_code_taken");
        await (await admin.PostAsJsonAsync($"/api/admin/organisation/centres/{CaseFlow.Domain.Organisation.ServiceCentre.StreamIdFor(DemoStaff.TownshipRegion)}/departments", new { }))
            .ProblemAsync(400, "organisation.department_required");

        Assert.Equal(events, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log"));
        Assert.Equal(numbers, await api.Db.ScalarAsync<long>("SELECT coalesce(sum(last), 0) FROM cf_case_numbers"));
    }

    [Fact]
    public async Task Back_office_and_supervision_commands_are_recorded_with_their_own_channel()
    {
        var (id, part) = await ClaimedMzjPartAsync();
        Assert.Equal(200, (int)(await api.As("supervisor-cty-1").PostAsJsonAsync($"/api/supervision/cases/{id}/orders", new { instruction = "请尽快办结", dueOn = "2026-12-31" })).StatusCode);
        Assert.Equal("Supervision", await api.Db.ScalarAsync<string>("SELECT metadata->>'channel' FROM cf_event_log WHERE stream_id = $1 AND type = 'case.supervision_ordered.v1' ORDER BY seq DESC LIMIT 1", id));
        var claimChannel = await api.Db.ScalarAsync<string>("SELECT metadata->>'channel' FROM cf_event_log WHERE stream_id = $1 AND type = 'case.claimed.v1' LIMIT 1", id);
        Assert.Equal("BackOffice", claimChannel);
        Assert.NotNull(part);
    }
}
