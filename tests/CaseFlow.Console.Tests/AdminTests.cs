using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace CaseFlow.Console.Tests;

/// <summary>Issue 18, done-means 1 (last step): the administrator publishes a calendar year on the month grid.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminTests(ConsoleHost host)
{
    [Fact]
    public async Task The_administrator_marks_holidays_and_a_make_up_day_on_the_month_grid_and_publishes_the_year()
    {
        var admin = await host.SignInAsync("admin-1");
        await admin.Locator("[data-test=menu]").GetByText("工作日历").ClickAsync();
        await admin.Locator("[data-test=year] input").FillAsync("2027");
        await admin.Locator("[data-test=year] input").PressAsync("Enter");
        await Expect(admin.Locator("[data-test=calendar-state]")).ToContainTextAsync("2027 年尚未发布");

        // 元旦 2027-01-01 (Friday) a holiday; Saturday 2027-01-02 off too; Sunday 2026-… no: Saturday 2027-02-06 a make-up working day.
        await admin.Locator("[data-date='2027-01-01']").ClickAsync();
        await Expect(admin.Locator("[data-date='2027-01-01']")).ToHaveClassAsync("holiday");
        await admin.Locator("[data-date='2027-02-06']").ClickAsync();   // holiday …
        await admin.Locator("[data-date='2027-02-06']").ClickAsync();   // … then a weekend day turns into a make-up working day
        await Expect(admin.Locator("[data-date='2027-02-06']")).ToHaveClassAsync("makeup");
        await admin.Locator("[data-test=calendar-source]").FillAsync("国务院办公厅关于2027年部分节假日安排的通知");
        await ConsoleHost.ScreenshotAsync(admin, "admin-calendar");
        await admin.Locator("[data-test=publish]").ClickAsync();
        await Expect(admin.Locator("[data-test=calendar-state]")).ToContainTextAsync("已发布 · 国务院办公厅关于2027年部分节假日安排的通知");
        await Expect(admin.Locator("[data-date='2027-01-01']")).ToHaveClassAsync("holiday");
        await Expect(admin.Locator("[data-date='2027-02-06']")).ToHaveClassAsync("makeup");

        // What the grid shows is what the host now computes deadlines with.
        using var clerk = await host.ApiAsAsync("clerk-tw-1");
        var year = await clerk.GetFromJsonAsync<JsonElement>("/api/calendar/2027");
        Assert.Contains("2027-01-01", year.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("2027-02-06", year.GetProperty("makeUpWorkdays").EnumerateArray().Select(d => d.GetString()));
        await admin.Context.CloseAsync();
    }
}
