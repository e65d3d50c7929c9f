using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>The console's other screens, each action asserted by what its user then sees (issue 18, priority 6).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScreenTests(ConsoleHost host)
{
    private static ILocator Dialog(IPage page) => page.Locator(".el-dialog:visible");

    [Fact]
    public async Task A_village_agent_submits_with_the_authorisation_and_sees_the_applicants_identity_masked()
    {
        var agent = await host.SignInAsync("agent-cn-1");
        await Expect(agent.Locator("[data-test=worklist]")).ToBeVisibleAsync();
        await agent.Locator("[data-test=menu]").GetByText("代办提交").ClickAsync();
        await agent.Locator("[data-test=item-search]").FillAsync("临时救助");
        await agent.Locator("[data-test=search]").ClickAsync();
        await agent.Locator("[data-test=catalogue] .el-table__row").Filter(new() { HasText = "临时救助" }).First.ClickAsync();
        await agent.Locator("[data-test=applicant-name]").FillAsync("王秀英");
        await agent.Locator("[data-test=applicant-id]").FillAsync("11010519491231002X");
        await Expect(agent.Locator("[data-test=receive]")).ToBeDisabledAsync(); // the 委托书 is still missing
        await agent.Locator("[data-test=auth-reference]").FillAsync("城南村委托〔2025〕101号");
        await agent.Locator("[data-test=auth-grantor]").FillAsync("王秀英");
        await agent.Locator("[data-test=auth-signed] input").FillAsync("2025-11-03");
        await agent.Locator("[data-test=auth-signed] input").PressAsync("Enter");
        await agent.Locator("[data-test=receive]").ClickAsync();
        await Expect(agent.Locator("[data-test=case-status]")).ToHaveTextAsync("已收件");
        var facts = agent.Locator("[data-test=case-facts]");
        await Expect(facts).ToContainTextAsync("王秀英");
        await Expect(facts).Not.ToContainTextAsync("11010519491231002X");
        await Expect(facts).ToContainTextAsync("*");
        await Expect(agent.Locator("[data-test=actions]")).ToHaveCountAsync(0); // the agent submits; the window acts
        var caseNumber = (await agent.Locator("[data-test=case-number]").TextContentAsync())!.Trim();

        // The township window sees it on its worklist with the date it must act by (3 working days).
        var clerk = await host.SignInAsync("clerk-tw-1");
        var row = clerk.Locator("[data-test=worklist] .el-table__row").Filter(new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("王秀英");
        await Expect(row).ToContainTextAsync("（周");
        await agent.Context.CloseAsync();
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task A_clerk_registers_a_first_inquiry_and_answers_it()
    {
        var clerk = await host.SignInAsync("clerk-tw-2");
        await clerk.Locator("[data-test=menu]").GetByText("首问登记").ClickAsync();
        await clerk.Locator("[data-test=enquirer-name]").FillAsync("陈桂兰");
        await clerk.Locator("[data-test=inquiry-topic]").FillAsync("咨询高龄津贴申领条件");
        await clerk.Locator("[data-test=register-inquiry]").ClickAsync();
        var row = clerk.Locator("[data-test=inquiries] .el-table__row").Filter(new() { HasText = "咨询高龄津贴申领条件" });
        await Expect(row).ToContainTextAsync("陈桂兰");
        await row.GetByText("答复").ClickAsync();
        await Dialog(clerk).Locator("textarea").FillAsync("年满80周岁的本县户籍老人可申领，请携带身份证和户口簿到民生窗口办理。");
        await Dialog(clerk).GetByText("答复并办结").ClickAsync();
        await Expect(row).ToHaveCountAsync(0); // the list shows open inquiries: answered, it has left it
        await clerk.Locator("[data-test=open-only]").ClickAsync();
        await Expect(clerk.Locator("[data-test=inquiries] .el-table__row").Filter(new() { HasText = "咨询高龄津贴申领条件" })).ToContainTextAsync("已答复");
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task A_clerk_rejects_a_case_with_reason_legal_basis_and_remedies_and_the_decision_is_among_its_documents()
    {
        using var api = await host.ApiAsAsync("clerk-tw-1");
        var items = await api.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=临时救助");
        var received = await api.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId = items.GetProperty("items")[0].GetProperty("id").GetGuid(),
            applicant = new { kind = "Person", name = "赵德明", residentIdNumber = "11010519491231002X" },
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" } },
        });
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var clerk = await host.SignInAsync("clerk-tw-1");
        await clerk.GotoAsync($"/window/cases/{id}");
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已收件");
        await clerk.Locator("[data-test=reject]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=reject-reason]").FillAsync("申请人户籍及经常居住地均不在本镇");
        await Dialog(clerk).Locator("[data-test=reject-basis]").FillAsync("《社会救助暂行办法》第四十八条");
        await Dialog(clerk).Locator("[data-test=reject-reconsideration]").FillAsync("宁都县人民政府");
        await Dialog(clerk).Locator("[data-test=reject-court]").FillAsync("宁都县人民法院");
        await Dialog(clerk).Locator("[data-test=reject-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("不予受理");
        await Expect(clerk.Locator("[data-test=documents]")).ToContainTextAsync("不予受理决定书");
        var print = await clerk.RunAndWaitForPopupAsync(() => clerk.Locator("[data-test=print-NonAcceptanceDecision]").ClickAsync());
        await Expect(print.Locator("body")).ToContainTextAsync("宁都县人民法院");
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task The_administrator_rebuilds_a_projection_and_watches_its_progress()
    {
        var admin = await host.SignInAsync("admin-1");
        await admin.Locator("[data-test=menu]").GetByText("投影状态").ClickAsync();
        var first = admin.Locator("[data-test=projections] .el-table__row").First;
        await Expect(first).ToBeVisibleAsync();
        await first.GetByText("重建").ClickAsync();
        await Expect(admin.Locator("[data-test=rebuild-progress]")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-test=rebuild-progress]")).ToContainTextAsync("100%", new() { Timeout = 30_000 });
        await Expect(admin.Locator("[data-test=rebuild-state]")).ToContainTextAsync("已完成");
        await admin.Context.CloseAsync();
    }
}
