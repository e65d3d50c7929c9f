using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>
/// The service modes of issue 17 through the console: the 网上办 pre-review queue, 去向留言 with the window's public
/// screen, the supervisor's 投诉举报 (answer and return visit), and 预约 on a published slot.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServiceModeScreenTests(ConsoleHost host)
{
    private static ILocator Dialog(IPage page) => page.Locator(".el-dialog:visible");

    [Fact]
    public async Task A_clerk_opens_the_waiting_online_submission_from_the_pre_review_queue_on_the_ordinary_case_page()
    {
        var clerk = await host.SignInAsync("clerk-tw-1");
        var listed = await clerk.RunAndWaitForResponseAsync(() => clerk.Locator("[data-test=menu]").GetByText("网上办预审").ClickAsync(),
            r => r.Url.Contains("/api/window/online-submissions", StringComparison.Ordinal));
        Assert.Contains("limit=20", listed.Url, StringComparison.Ordinal); // paged by the list convention
        var row = clerk.Locator("[data-test=online-queue] .el-table__row").Filter(new() { HasText = "GFT-DEMO-0001" });
        await Expect(row).ToContainTextAsync("城乡居民基本养老保险待遇申领");
        await Expect(row).ToContainTextAsync("已收件");
        await Expect(row).ToContainTextAsync("（周"); // the notice period's last day
        var caseNumber = (await row.Locator("td").First.TextContentAsync())!.Trim();
        await Expect(clerk.Locator("[data-test=online-queue] .el-table__row").Filter(new() { HasText = "GFT-DEMO-0002" })).ToHaveCountAsync(0); // accepted: no longer waiting

        await row.ClickAsync();
        await Expect(clerk.Locator("[data-test=case-number]")).ToHaveTextAsync(caseNumber);
        await Expect(clerk.Locator("[data-test=case-status]")).ToHaveTextAsync("已收件");
        await Expect(clerk.Locator("[data-test=actions]")).ToBeVisibleAsync(); // the window's acceptance actions decide it
        Assert.Contains("/window/cases/", clerk.Url, StringComparison.Ordinal);
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task A_clerk_is_refused_leaving_without_a_contact_leaves_with_one_the_public_screen_shows_it_and_the_return()
    {
        host.SetClock(ConsoleHost.Start);
        var clerk = await host.SignInAsync("clerk-tw-1");
        await clerk.Locator("[data-test=menu]").GetByText("去向留言").ClickAsync();
        await clerk.Locator("[data-test=leave-window-id]").FillAsync("window-tw-1");
        await clerk.Locator("[data-test=leave-reason]").FillAsync("到二楼档案室调取档案");
        await clerk.Locator("[data-test=leave-return] input").FillAsync("2025-11-03 10:30");
        await clerk.Locator("[data-test=leave-return] input").PressAsync("Enter");
        var refusal = await clerk.RunAndWaitForResponseAsync(() => clerk.Locator("[data-test=leave-submit]").ClickAsync(),
            r => r.Url.EndsWith("/api/window/whereabouts", StringComparison.Ordinal));
        var problem = (await refusal.JsonAsync())!.Value;
        Assert.Equal("whereabouts.contact_required", problem.GetProperty("code").GetString());
        await Expect(clerk.Locator("[data-test=problem]")).ToContainTextAsync(problem.GetProperty("detail").GetString()!);

        await clerk.Locator("[data-test=leave-contact]").FillAsync("0797-6821234（1 号窗口分机）");
        await clerk.Locator("[data-test=leave-submit]").ClickAsync();
        await Expect(clerk.Locator("[data-test=window-status]")).ToContainTextAsync("暂时离开");
        await Expect(clerk.Locator("[data-test=window-status]")).ToContainTextAsync("2025-11-03 10:30");

        // The hall's display screen: no sign-in, no menu.
        var screen = await host.NewPageAsync();
        await screen.GotoAsync("/screen/windows/window-tw-1");
        await Expect(screen.Locator("[data-test=screen-window]")).ToContainTextAsync("1 号窗口");
        await Expect(screen.Locator("[data-test=screen-away]")).ToContainTextAsync("到二楼档案室调取档案");
        await Expect(screen.Locator("[data-test=screen-away]")).ToContainTextAsync("0797-6821234（1 号窗口分机）");
        await Expect(screen.Locator("[data-test=menu]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("/login", screen.Url, StringComparison.Ordinal);
        await ConsoleHost.ScreenshotAsync(screen, "window-screen");

        await clerk.Locator("[data-test=return]").ClickAsync();
        await Expect(clerk.Locator("[data-test=window-status]")).ToContainTextAsync("在岗");
        await screen.ReloadAsync();
        await Expect(screen.Locator("[data-test=screen-open]")).ToContainTextAsync("在岗服务");
        await Expect(screen.Locator("[data-test=screen-away]")).ToHaveCountAsync(0);
        await screen.Context.CloseAsync();
        await clerk.Context.CloseAsync();
    }

    [Fact]
    public async Task A_supervisor_answers_a_complaint_from_the_list_and_records_the_return_visit()
    {
        host.SetClock(ConsoleHost.Start);
        using (var api = await host.ApiAsAsync("clerk-tw-1"))
        {
            var registered = await api.PostAsJsonAsync("/api/complaints", new
            {
                source = "Window", against = "Window", targetId = "window-tw-1", facts = "1 号窗口办理低保申请时让我回家复印户口簿，窗口明明有复印机。",
                anonymous = false, complainantName = "刘春花", complainantPhone = "13907970001",
            });
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        }

        var supervisor = await host.SignInAsync("supervisor-cty-1");
        var listed = await supervisor.RunAndWaitForResponseAsync(() => supervisor.Locator("[data-test=menu]").GetByText("投诉举报").ClickAsync(),
            r => r.Url.Contains("/api/supervision/complaints", StringComparison.Ordinal));
        Assert.Contains("limit=20", listed.Url, StringComparison.Ordinal);
        var page = (await listed.JsonAsync())!.Value;
        var id = page.GetProperty("items").EnumerateArray().First(r => r.GetProperty("targetName").GetString()!.Contains("1 号窗口", StringComparison.Ordinal)).GetProperty("id").GetString();
        var rows = supervisor.Locator("[data-test=complaints] .el-table__row");
        await Expect(rows.Filter(new() { HasText = "2 号窗口" }).First).ToContainTextAsync("待答复"); // the demo's open complaint

        var row = rows.Filter(new() { HasText = "1 号窗口" }).Filter(new() { HasText = "待答复" });
        await Expect(row).ToContainTextAsync("（周"); // the answer's due day
        await row.ClickAsync();
        var drawer = supervisor.Locator("[data-test=complaint]");
        await Expect(drawer.Locator("[data-test=complaint-facts]")).ToContainTextAsync("刘春花");
        await drawer.Locator("[data-test=finding] .el-radio").Filter(new() { HasText = "查实" }).ClickAsync();
        await drawer.Locator("[data-test=complaint-measure]").ClickAsync();
        await supervisor.Locator(".el-select-dropdown__item:visible").Filter(new() { HasText = "责令整改" }).ClickAsync();
        await drawer.Locator("[data-test=complaint-answer-text]").FillAsync("经核实情况属实，已责令窗口整改，窗口复印机免费为群众复印。");
        // Against a window, a substantiated complaint must name who is held to account: refused, the detail shown.
        var refusal = await supervisor.RunAndWaitForResponseAsync(() => drawer.Locator("[data-test=complaint-answer-submit]").ClickAsync(),
            r => r.Url.EndsWith($"/api/supervision/complaints/{id}/answer", StringComparison.Ordinal));
        var problem = (await refusal.JsonAsync())!.Value;
        Assert.Equal("complaint.accountable_required", problem.GetProperty("code").GetString());
        await Expect(drawer.Locator("[data-test=problem]")).ToContainTextAsync(problem.GetProperty("detail").GetString()!);
        await drawer.Locator("[data-test=accountable-id]").FillAsync("clerk-tw-1");
        var answered = await supervisor.RunAndWaitForResponseAsync(() => drawer.Locator("[data-test=complaint-answer-submit]").ClickAsync(),
            r => r.Url.EndsWith($"/api/supervision/complaints/{id}/answer", StringComparison.Ordinal));
        Assert.True(answered.Ok, await answered.TextAsync());
        await Expect(drawer.Locator("[data-test=complaint-answer]")).ToContainTextAsync("查实：经核实情况属实");
        await Expect(drawer.Locator("[data-test=complaint-answer]")).ToContainTextAsync("问责：责令整改");

        await drawer.Locator("[data-test=visit-satisfaction]").ClickAsync();
        await supervisor.Locator(".el-select-dropdown__item:visible").Filter(new() { HasText = "基本满意" }).ClickAsync();
        await drawer.Locator("[data-test=visit-note]").FillAsync("电话回访，投诉人认可整改措施。");
        await drawer.Locator("[data-test=visit-submit]").ClickAsync();
        await Expect(drawer.Locator("[data-test=complaint-visit]")).ToContainTextAsync("基本满意");
        await Expect(drawer.Locator("[data-test=visit-form]")).ToHaveCountAsync(0);
        await supervisor.Context.CloseAsync();
    }

    [Fact]
    public async Task A_county_clerk_books_an_applicant_on_a_published_slot_and_sees_the_booking_and_the_place_taken()
    {
        host.SetClock(ConsoleHost.Start);
        var clerk = await host.SignInAsync("clerk-cty-1");
        await clerk.Locator("[data-test=menu]").GetByText("预约").ClickAsync();
        // The demo's slots are published from the host's day (Monday 2025-11-03): look from there.
        var listed = await clerk.RunAndWaitForResponseAsync(async () =>
        {
            await clerk.Locator("[data-test=slots-from] input").FillAsync("2025-11-03");
            await clerk.Locator("[data-test=slots-from] input").PressAsync("Enter");
        }, r => r.Url.Contains("/api/window/appointments/slots", StringComparison.Ordinal) && r.Url.Contains("from=2025-11-03", StringComparison.Ordinal));
        Assert.Contains("limit=20", listed.Url, StringComparison.Ordinal);
        var slot = clerk.Locator("[data-test=slots] .el-table__row").Filter(new() { HasText = "延时" }).First;
        await Expect(slot).ToBeVisibleAsync();
        var before = int.Parse((await slot.Locator("[data-test=slot-available]").TextContentAsync())!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await slot.Locator("[data-test=book]").ClickAsync();
        await Dialog(clerk).Locator("[data-test=booking-name]").FillAsync("黄桂英");
        await Dialog(clerk).Locator("[data-test=booking-id]").FillAsync("11010519491231002X");
        await Dialog(clerk).Locator("[data-test=booking-phone]").FillAsync("13907975599");
        await Dialog(clerk).Locator("[data-test=booking-submit]").ClickAsync();
        await Expect(Dialog(clerk)).ToHaveCountAsync(0);
        await Expect(slot.Locator("[data-test=slot-available]")).ToHaveTextAsync((before - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var booked = clerk.Locator("[data-test=appointments] .el-table__row").Filter(new() { HasText = "黄桂英" });
        await Expect(booked).ToContainTextAsync("已预约");
        await Expect(booked).ToContainTextAsync("城乡居民基本养老保险待遇申领");
        await clerk.Context.CloseAsync();
    }
}
