using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>
/// Issue 18, done-means 1 and 2: one case walked through the console by the people who handle it — the clerk receives
/// it with a key material missing (accepting is refused with the problem's Chinese detail), issues the one-time
/// notice, records the supplement and prints the 受理通知书; the approver claims it and passes 承办 and 审核; the
/// supervisor sees its light turn when the clock passes the warning threshold, opens its timeline and downloads the
/// overdue CSV; the approver decides and records the result; the clerk hands it out and records the rating.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class JourneyTests(ConsoleHost host)
{
    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", CultureInfo.InvariantCulture);

    private static ILocator Option(IPage page, string text) => page.Locator(".el-select-dropdown__item:visible").Filter(new LocatorFilterOptions { HasText = text }).First;

    private static ILocator Dialog(IPage page) => page.Locator(".el-dialog:visible");

    [Fact]
    public async Task A_case_goes_from_the_window_through_the_back_office_to_hand_out_while_the_supervisor_watches_its_light()
    {
        host.SetClock(ConsoleHost.Start);

        // —— 综合窗口: 收件 with the key material M05 missing.
        var clerk = await host.SignInAsync("clerk-tw-1");
        await Expect(clerk.Locator("[data-test=worklist]")).ToBeVisibleAsync();
        await clerk.Locator("[data-test=menu]").GetByText("收件", new() { Exact = true }).ClickAsync();
        await clerk.Locator("[data-test=window-id]").FillAsync("window-tw-1");
        await clerk.Locator("[data-test=item-search]").FillAsync("养老保险待遇申领");
        await clerk.Locator("[data-test=search]").ClickAsync();
        await clerk.Locator("[data-test=catalogue] .el-table__row").Filter(new() { HasText = "城乡居民基本养老保险待遇申领" }).First.ClickAsync();
        await Expect(clerk.Locator("[data-test=checklist]")).ToContainTextAsync("M05");
        await clerk.Locator("[data-test=material-M05]").GetByText("缺少").ClickAsync();
        await clerk.Locator("[data-test=applicant-name]").FillAsync("刘建国");
        // The identity number is checked as typed (GB 11643 check digit) before anything is sent.
        await clerk.Locator("[data-test=applicant-id]").FillAsync("110105194912310021");
        await Expect(clerk.GetByText("身份证号码校验位不正确")).ToBeVisibleAsync();
        await Expect(clerk.Locator("[data-test=receive]")).ToBeDisabledAsync();
        await clerk.Locator("[data-test=applicant-id]").FillAsync("11010519491231002X");
        await clerk.Locator("[data-test=applicant-phone]").FillAsync("13907971234");
        await clerk.Locator("[data-test=receive]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已收件");
        var caseNumber = (await clerk.Locator("[data-test=case-number]").TextContentAsync())!.Trim();
        Assert.Matches(@"^361130100-20251103-\d{4}$", caseNumber);
        var caseId = clerk.Url.Split('/').Last();
        await Expect(clerk.Locator("[data-test=material-state-M05]")).ToHaveTextAsync("缺少");
        // Beijing time, whatever the browser's zone (the test's browser runs in Europe/London): received 09:30, and the
        // window's 5 working days to notify or decide end on Monday 2025-11-10.
        await Expect(clerk.Locator("[data-test=case-facts]")).ToContainTextAsync("2025-11-03 09:30");
        await Expect(clerk.Locator("[data-test=case-facts]")).ToContainTextAsync("2025-11-10（周一）");
        await ConsoleHost.ScreenshotAsync(clerk, "clerk-case");

        // Accepting is refused: the user reads the problem's own Chinese detail.
        var refusal = await clerk.RunAndWaitForResponseAsync(() => clerk.Locator("[data-test=accept]").ClickAsync(),
            r => r.Url.EndsWith("/acceptance", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(422, refusal.Status);
        var problem = await refusal.JsonAsync();
        Assert.Equal("case.required_material_missing", problem!.Value.GetProperty("code").GetString());
        var detail = problem.Value.GetProperty("detail").GetString()!;
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", detail);
        await Expect(clerk.Locator("[data-test=problem]")).ToContainTextAsync(detail);
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已收件");

        // 一次性告知: the missing material is proposed; the letter appears among the documents.
        await clerk.Locator("[data-test=notice]").ClickAsync();
        await Expect(Dialog(clerk).Locator(".el-checkbox.is-checked")).ToHaveCountAsync(1);
        await Expect(Dialog(clerk).Locator(".el-checkbox.is-checked")).ToContainTextAsync("M05");
        await Dialog(clerk).Locator("[data-test=notice-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("待补正");
        await Expect(clerk.Locator("[data-test=documents]")).ToContainTextAsync("一次性告知书");

        // The next morning the applicant brings it: the supplement completes the case, accepted that day.
        host.SetClock(Beijing("2025-11-04T09:00:00"));
        await clerk.Locator("[data-test=supplement]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=supplement-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已受理");
        await Expect(clerk.Locator("[data-test=material-state-M05]")).ToHaveTextAsync("已提交");
        await Expect(clerk.Locator("[data-test=case-facts]")).ToContainTextAsync("2025-11-04（周二）");
        await Expect(clerk.Locator("[data-test=documents]")).ToContainTextAsync("受理通知书");

        // The 受理通知书 in its print view (the host's A4 page), in a tab of its own.
        var print = await clerk.RunAndWaitForPopupAsync(() => clerk.Locator("[data-test=print-AcceptanceNotice]").ClickAsync());
        await print.WaitForLoadStateAsync();
        await Expect(print.Locator("body")).ToContainTextAsync("受理通知书");
        await Expect(print.Locator("body")).ToContainTextAsync(caseNumber);
        await Expect(print.Locator("body")).ToContainTextAsync("刘建国");
        await Expect(print.Locator("body")).ToContainTextAsync("审批服务专用章");
        await print.CloseAsync();

        // —— 部门审批: the 人社局 approver finds it in the inbox (green), claims it and passes 承办 and 审核.
        var approver = await host.SignInAsync("approver-rsj-2");
        var row = approver.Locator("[data-test=inbox] .el-table__row").Filter(new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("待签收");
        await Expect(row.Locator("[data-test=inbox-light]")).ToHaveTextAsync("正常");
        await ConsoleHost.ScreenshotAsync(approver, "approver-inbox");
        await row.Locator($"[data-test='claim-{caseNumber}']").ClickAsync();
        await Expect(approver.Locator("[data-test=part-holder]")).ToHaveTextAsync((await NameAsync("approver-rsj-2")));
        var firstStep = (await approver.Locator("[data-test=part-step]").TextContentAsync())!.Trim();
        Assert.Equal("承办", firstStep);
        await approver.Locator("[data-test=opinion]").FillAsync("材料齐全，符合领取条件。");
        await approver.Locator("[data-test=pass]").ClickAsync();
        await Expect(approver.Locator("[data-test=part-step]")).ToHaveTextAsync("审核");

        // —— 电子监察: the board shows the case green; the clock passes the threshold and the light turns.
        var supervisor = await host.SignInAsync("supervisor-cty-1");
        await Expect(supervisor.Locator("[data-test=counts-chart] canvas")).ToBeVisibleAsync();
        // Only the cases' promised completion (监察对象 承诺办结), as the supervisor filters it.
        await supervisor.Locator("[data-test=scope-filter]").ClickAsync();
        await Option(supervisor, "承诺办结").ClickAsync();
        await supervisor.Locator("[data-test=board-search]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=board-rows] .el-table__row").First).ToContainTextAsync("承诺办结");
        var light = supervisor.Locator($"[data-test='light-{caseNumber}-Case']");
        await Expect(light).ToHaveTextAsync("绿灯");
        await ConsoleHost.ScreenshotAsync(supervisor, "supervisor-board");
        // Promised: 10 working days from Tuesday 2025-11-04 → 2025-11-17. On Friday 11-14 one working day is left: yellow.
        host.SetClock(Beijing("2025-11-14T10:00:00"));
        // The board is read as of the host's clock: asked again (查询) until the moved clock has been read (≤ 50 ms).
        await CaseFlow.Testing.Eventually.TrueAsync(async () =>
        {
            await supervisor.Locator("[data-test=board-search]").ClickAsync();
            await Expect(supervisor.Locator("[data-test=board-rows] .el-loading-mask")).ToHaveCountAsync(0);
            return (await light.TextContentAsync())?.Trim() == "黄灯";
        }, "the case's light on the board turned yellow", TimeSpan.FromSeconds(15));
        await Expect(supervisor.Locator("[data-test=count-yellow]")).Not.ToHaveTextAsync("0");

        // The 审核 step's share is long gone: the timeline charges those days to the approver and the department.
        await supervisor.Locator($"[data-test=board-rows] .el-table__row").Filter(new() { HasText = caseNumber }).First.GetByText(caseNumber).ClickAsync();
        await Expect(supervisor.Locator("[data-test=case-number]")).ToHaveTextAsync(caseNumber);
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync(await NameAsync("clerk-tw-1"));
        await Expect(supervisor.Locator("[data-test=attribution]")).ToContainTextAsync("承办");
        await Expect(supervisor.Locator("[data-test=by-person]")).ToContainTextAsync(await NameAsync("approver-rsj-2"));

        // The overdue audit as CSV (UTF-8 with a BOM) names the case.
        await supervisor.Locator("[data-test=menu]").GetByText("超期审计").ClickAsync();
        await Expect(supervisor.Locator("[data-test=overdue-rows]")).ToContainTextAsync(caseNumber);
        var download = await supervisor.RunAndWaitForDownloadAsync(() => supervisor.Locator("[data-test=csv]").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csvPath = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(csvPath!);
        Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "the CSV starts with a UTF-8 BOM");
        Assert.Contains(caseNumber, Encoding.UTF8.GetString(bytes));
        await Expect(supervisor.Locator("[data-test=csv-progress]")).ToContainTextAsync("100%");

        // —— 部门审批 again: 审核 passed, 决定 准予, the result document registered and sent to the window.
        await approver.ReloadAsync();
        await Expect(approver.Locator("[data-test=part-step]")).ToHaveTextAsync("审核");
        await approver.Locator("[data-test=opinion]").FillAsync("审核通过。");
        await approver.Locator("[data-test=pass]").ClickAsync();
        await Expect(approver.Locator("[data-test=part-step]")).ToHaveTextAsync("决定");
        await approver.Locator("[data-test=opinion]").FillAsync("符合领取条件，准予按月领取养老金。");
        await approver.Locator("[data-test=decide]").ClickAsync();
        await Expect(approver.Locator("[data-test=part-step]")).ToHaveTextAsync("已决定");
        await approver.Locator("[data-test=result-kind]").FillAsync("待遇核定通知");
        await approver.Locator("[data-test=result-number]").FillAsync("宁人社待〔2025〕0901号");
        await approver.Locator("[data-test=seal-id]").FillAsync("seal-361130-spj-01");
        await approver.Locator("[data-test=register-result]").ClickAsync();
        await Expect(approver.Locator("[data-test=part-done]")).ToContainTextAsync("宁人社待〔2025〕0901号");

        // —— 综合窗口: the result is ready; handed out after the identity check; the applicant rates the service.
        await clerk.ReloadAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("待取件");
        await clerk.Locator("[data-test=handout]").ClickAsync();
        await Expect(Dialog(clerk).Locator("[data-test=receiver-name]")).ToHaveValueAsync("刘建国");
        await Dialog(clerk).Locator("[data-test=receiver-id]").FillAsync("11010519491231002");
        await Expect(Dialog(clerk).Locator("[data-test=handout-submit]")).ToBeDisabledAsync();
        await Dialog(clerk).Locator("[data-test=receiver-id]").FillAsync("11010519491231002X");
        await Dialog(clerk).Locator("[data-test=handout-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已出件");
        await clerk.Locator("[data-test=rate]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=rating-level]").GetByText("非常满意").ClickAsync();
        await Dialog(clerk).Locator("[data-test=rating-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=rating]")).ToHaveTextAsync("非常满意");
        await Expect(clerk.Locator("[data-test=rate]")).ToHaveCountAsync(0);

        // The worklist shows the case as the clerk left it.
        await clerk.Locator("[data-test=menu]").GetByText("办件工作台").ClickAsync();
        await Expect(clerk.Locator("[data-test=worklist] .el-table__row").Filter(new() { HasText = caseNumber })).ToContainTextAsync("已出件");
        await ConsoleHost.ScreenshotAsync(clerk, "clerk-worklist");
        Assert.NotEqual(Guid.Empty, Guid.Parse(caseId));
        foreach (var p in new[] { clerk, approver, supervisor })
            await p.Context.CloseAsync();
    }

    private async Task<string> NameAsync(string staffId) =>
        (await host.StaffAsync()).First(s => s.GetProperty("id").GetString() == staffId).GetProperty("name").GetString()!;
}
