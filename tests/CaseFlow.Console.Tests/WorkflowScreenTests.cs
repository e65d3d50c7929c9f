using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>
/// The actions around the main journey, through the console: 容缺受理 refused and then allowed, the clock stopped for a
/// lawful special procedure and resumed, the head's extension, 督办 and 问责 on the supervised case.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class WorkflowScreenTests(ConsoleHost host)
{
    private static ILocator Dialog(IPage page) => page.Locator(".el-dialog:visible");

    private async Task<Guid> ReceivePensionAsync(params string[] present)
    {
        using var api = await host.ApiAsAsync("clerk-tw-1");
        var items = await api.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=养老保险待遇申领");
        var received = await api.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId = items.GetProperty("items")[0].GetProperty("id").GetGuid(),
            applicant = new { kind = "Person", name = "孙玉兰", residentIdNumber = "11010519491231002X" },
            materials = present.Select(code => new { code, state = "Present" }).ToArray(),
        });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
        return (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Deficiency_acceptance_is_refused_while_a_key_material_is_missing_and_granted_once_only_a_minor_one_is()
    {
        host.SetClock(ConsoleHost.Start);
        var id = await ReceivePensionAsync("M00", "M01"); // M04 (社保卡复印件) and the key M05 missing
        var clerk = await host.SignInAsync("clerk-tw-1");
        await clerk.GotoAsync($"/window/cases/{id}");
        await clerk.Locator("[data-test=deficiency]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=due-M04] input").FillAsync("2025-11-07");
        await Dialog(clerk).Locator("[data-test=due-M04] input").PressAsync("Enter");
        await Dialog(clerk).Locator("[data-test=commitment]").FillAsync("本人承诺于2025年11月7日前补交社保卡复印件。");
        var refusal = await clerk.RunAndWaitForResponseAsync(() => Dialog(clerk).Locator("[data-test=deficiency-submit]").ClickAsync(),
            r => r.Url.EndsWith("/acceptance-with-deficiency", StringComparison.Ordinal));
        var problem = (await refusal.JsonAsync())!.Value;
        Assert.Equal("case.key_material_missing", problem.GetProperty("code").GetString());
        await Expect(Dialog(clerk).Locator("[data-test=problem]")).ToContainTextAsync(problem.GetProperty("detail").GetString()!);
        await Dialog(clerk).Locator(".el-dialog__headerbtn").ClickAsync();

        // The key material arrives; now 容缺 for the minor one is allowed.
        await clerk.Locator("[data-test=supplement]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=supplement-codes] .el-checkbox").Filter(new() { HasText = "M04" }).ClickAsync(); // only M05 comes in
        await Dialog(clerk).Locator("[data-test=supplement-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=material-state-M05]")).ToHaveTextAsync("已提交");
        await Expect(clerk.Locator("[data-test=material-state-M04]")).ToHaveTextAsync("缺少");
        await clerk.Locator("[data-test=deficiency]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=due-M04] input").FillAsync("2025-11-07");
        await Dialog(clerk).Locator("[data-test=due-M04] input").PressAsync("Enter");
        await Dialog(clerk).Locator("[data-test=commitment]").FillAsync("本人承诺于2025年11月7日前补交社保卡复印件，逾期同意终止办理。");
        await Dialog(clerk).Locator("[data-test=deficiency-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("容缺受理（待补齐）");
        await Expect(clerk.Locator("[data-test=documents]")).ToContainTextAsync("容缺受理通知书");
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task An_approver_stops_the_clock_for_an_expert_review_and_resumes_it_the_head_extends_and_the_supervisor_orders_and_holds_to_account()
    {
        host.SetClock(ConsoleHost.Start);
        var id = await ReceivePensionAsync("M00", "M01", "M04", "M05");
        using (var api = await host.ApiAsAsync("clerk-tw-1"))
            Assert.True((await api.PostAsJsonAsync($"/api/window/cases/{id}/acceptance", new { })).IsSuccessStatusCode);

        var approver = await host.SignInAsync("approver-rsj-2");
        await approver.GotoAsync($"/backoffice/cases/{id}");
        await approver.Locator("[data-test=claim]").ClickAsync();
        await Expect(approver.Locator("[data-test=part-step]")).ToHaveTextAsync("承办");
        var due = (await approver.Locator("[data-test=promised-due]").TextContentAsync())!.Trim();

        await approver.Locator("[data-test=suspend]").ClickAsync();
        await Dialog(approver).Locator("[data-test=procedure]").ClickAsync();
        await approver.Locator(".el-select-dropdown__item:visible").Filter(new() { HasText = "专家评审" }).ClickAsync();
        await Dialog(approver).Locator("[data-test=suspension-reason]").FillAsync("待遇核定涉及工龄认定，需组织专家评审。");
        await Dialog(approver).Locator("[data-test=suspension-submit]").ClickAsync();
        await Expect(approver.Locator("[data-test=promised-due]")).ToContainTextAsync("计时暂停");
        host.SetClock(ConsoleHost.Start.AddDays(2)); // Wednesday: the review is done
        await approver.Locator("[data-test=resume]").ClickAsync();
        await Expect(approver.Locator("[data-test=promised-due]")).Not.ToContainTextAsync("计时暂停");
        await Expect(approver.Locator("[data-test=promised-due]")).Not.ToHaveTextAsync(due); // the stopped days are added back

        // The head extends by 5 working days.
        var head = await host.SignInAsync("head-rsj-1");
        await head.GotoAsync($"/backoffice/cases/{id}");
        await head.Locator("[data-test=extend]").ClickAsync();
        await Dialog(head).Locator("[data-test=extension-days] input").FillAsync("5");
        await Dialog(head).Locator("[data-test=extension-reason]").FillAsync("需向市社保局核实视同缴费年限。");
        await Dialog(head).Locator("[data-test=extension-submit]").ClickAsync();
        await Expect(head.Locator("[data-test=promised-due]")).ToContainTextAsync("已延期 5 个工作日");

        // The supervisor orders it (督办) and records a reminder (问责) against the approver; both are on its timeline.
        var approverName = (await host.StaffAsync()).First(s => s.GetProperty("id").GetString() == "approver-rsj-2").GetProperty("name").GetString()!;
        var supervisor = await host.SignInAsync("supervisor-cty-1");
        await supervisor.GotoAsync($"/supervision/cases/{id}");
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync("中止计时（专家评审）");
        await supervisor.Locator("[data-test=order]").ClickAsync();
        await Dialog(supervisor).Locator("[data-test=order-instruction]").FillAsync("请说明延期原因及办理进度");
        await Dialog(supervisor).Locator("[data-test=order-due] input").FillAsync("2025-11-12");
        await Dialog(supervisor).Locator("[data-test=order-due] input").PressAsync("Enter");
        await Dialog(supervisor).Locator("[data-test=order-submit]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync("请说明延期原因及办理进度");
        await supervisor.Locator("[data-test=accountability]").ClickAsync();
        await Dialog(supervisor).Locator("[data-test=target-id]").FillAsync("approver-rsj-2");
        await Dialog(supervisor).Locator("[data-test=target-name]").FillAsync(approverName);
        await Dialog(supervisor).Locator("[data-test=measure]").ClickAsync();
        await supervisor.Locator(".el-select-dropdown__item:visible").Filter(new() { HasText = "提醒" }).ClickAsync();
        await Dialog(supervisor).Locator("[data-test=facts]").FillAsync("承办环节中止计时前未及时告知申请人。");
        await Dialog(supervisor).Locator("[data-test=accountability-submit]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync($"问责（提醒）对象 {approverName}");
        foreach (var p in new[] { approver, head, supervisor })
            await p.Context.CloseAsync();
    }
}
