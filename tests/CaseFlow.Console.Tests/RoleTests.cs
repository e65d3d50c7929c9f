using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>Issue 18, done-means 3: each role sees only its menu and its header; another role's page is refused, not shown.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RoleTests(ConsoleHost host)
{
    [Theory]
    [InlineData("clerk-tw-1", "综合窗口受理人员", "综合窗口", "/supervision/board")]
    [InlineData("agent-cn-1", "代办员", "帮代办", "/window/receive")]
    [InlineData("approver-rsj-1", "部门审批人员", "部门审批", "/window/cases")]
    [InlineData("head-rsj-1", "部门负责人", "部门审批", "/admin/calendar")]
    [InlineData("supervisor-cty-1", "电子监察人员", "电子监察", "/backoffice/inbox")]
    [InlineData("admin-1", "系统管理员", "管理", "/window/cases")]
    public async Task Each_role_sees_who_it_is_only_its_menu_and_a_refusal_on_another_roles_page(string staffId, string roleName, string menuGroup, string otherPage)
    {
        var page = await host.SignInAsync(staffId);
        var unit = (await host.StaffAsync()).First(s => s.GetProperty("id").GetString() == staffId).GetProperty("unitName").GetString()!;
        await Expect(page.Locator("[data-test=who-role]")).ToHaveTextAsync(roleName);
        await Expect(page.Locator("[data-test=who-unit]")).ToHaveTextAsync(unit);

        var groups = page.Locator("[data-test=menu] .el-sub-menu__title");
        await Expect(groups).ToHaveTextAsync([menuGroup]);

        // A direct URL to another role's page: the refusal, and none of that page's data was asked for.
        var apiCalls = new List<string>();
        page.Request += (_, r) => { if (new Uri(r.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) apiCalls.Add(r.Url); };
        await page.GotoAsync(otherPage);
        await Expect(page.Locator("[data-test=forbidden]")).ToContainTextAsync("无权访问");
        await Expect(page.Locator("[data-test=forbidden]")).ToContainTextAsync(roleName);
        Assert.Empty(apiCalls);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_token_the_host_no_longer_accepts_signs_the_user_out_to_the_login_page()
    {
        var page = await host.SignInAsync("clerk-tw-1");
        await Expect(page.Locator("[data-test=worklist]")).ToBeVisibleAsync();
        // The same claims with a signature the host refuses (as after a key rotation): the API answers 401.
        await page.EvaluateAsync("() => { const t = sessionStorage.getItem('caseflow.token'); sessionStorage.setItem('caseflow.token', t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA')) }");
        await page.ReloadAsync();
        await Expect(page.Locator("[data-test=staff-picker]")).ToBeVisibleAsync();
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-test=who-name]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_host_serves_the_console_at_its_routes_and_keeps_the_apis_problem_details_for_unknown_api_routes()
    {
        using var http = new HttpClient { BaseAddress = host.Url };
        var deep = await http.GetAsync("/window/cases/00000000-0000-0000-0000-000000000001");
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        Assert.Contains("<div id=\"app\"></div>", await deep.Content.ReadAsStringAsync());
        var unknown = await http.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/health/nothing")).StatusCode);
        var swagger = await http.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.StartsWith("{", (await swagger.Content.ReadAsStringAsync()).TrimStart());
    }
}
