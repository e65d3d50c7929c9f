using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 8: the service reports per centre, department and item, the quarterly summary, CSV, and who sees what.</summary>
public sealed class ReportTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Subsistence = "361130-000401001"; // 最低生活保障审核确认, 民政局, promised 25 WD
    private const string Pension = "361130-000201002";     // 城乡居民基本养老保险待遇申领, 人社局

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> PartAsync(string staff, Guid id, string partId, string action, object body) =>
        api.As(staff).PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{partId}/{action}", body);

    private async Task DecideAsync(string staff, Guid id, string partId, int steps, string decideAt)
    {
        await (await PartAsync(staff, id, partId, "claim", new { })).EventsAsync();
        for (var i = 0; i < steps - 1; i++)
            await (await PartAsync(staff, id, partId, "steps", new { action = "Pass", opinion = "符合条件。" })).EventsAsync();
        api.Clock.Set(Beijing(decideAt));
        await (await PartAsync(staff, id, partId, "decision", new { approved = true, opinion = "准予。" })).EventsAsync();
        await (await PartAsync(staff, id, partId, "result", new { documents = new[] { new { kind = "批复", number = $"宁批〔2026〕{id.ToString()[..6]}号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
    }

    private async Task RatedAsync(Guid id, string level, string? details = null)
    {
        await (await api.PostAsync(id, "handout", new { receiverName = "刘建国", receiverIdNumber = "11010519491231002X" })).EventsAsync();
        await (await api.PostAsync(id, "rating", new { level, channel = "Window", named = true, details })).EventsAsync();
    }

    /// <summary>
    /// The first quarter of 2026 at the township: two subsistence cases decided (one in 2 working days, one after
    /// its 25-day promise), one rejected; one pension case decided. Nothing else happens in this quarter here.
    /// </summary>
    private async Task<(Guid Quick, Guid Late)> QuarterAsync()
    {
        api.Clock.Set(Beijing("2026-01-05T10:00:00"));
        var quick = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(quick, "acceptance", new { })).EventsAsync();
        var late = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(late, "acceptance", new { })).EventsAsync();
        var pension = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(pension, "acceptance", new { })).EventsAsync();
        var rejected = await api.ReceiveAsync("临时救助", "M00", "M01", "M05");
        await (await api.PostAsync(rejected, "rejection", new
        {
            reason = "申请人户籍及经常居住地均不在本镇", legalBasis = "《社会救助暂行办法》第四十八条", notCompetent = true, competentBody = "户籍所在地乡镇人民政府",
            reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
        })).EventsAsync();

        await DecideAsync("approver-mzj-1", quick, Subsistence, 3, "2026-01-07T10:00:00");
        await RatedAsync(quick, "VerySatisfied");
        await DecideAsync("approver-rsj-2", pension, Pension, 3, "2026-01-08T10:00:00");
        await DecideAsync("approver-mzj-1", late, Subsistence, 3, "2026-02-13T10:00:00");
        await RatedAsync(late, "Dissatisfied", "办理时间超过承诺期限");
        await api.CatchUpProjectionsAsync();
        return (quick, late);
    }

    private async Task<int> WorkingDaysUsedAsync(Guid id) =>
        await api.Db.ScalarAsync<int>($"SELECT (data->>'workingDaysUsed')::int FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.decided.v2'");

    [Fact]
    public async Task The_quarterly_report_counts_each_case_once_with_on_time_rate_average_and_p90_days_and_ratings_and_the_csv_matches()
    {
        var (quick, late) = await QuarterAsync();
        var quickDays = await WorkingDaysUsedAsync(quick);
        var lateDays = await WorkingDaysUsedAsync(late);
        Assert.Equal(2, quickDays);
        Assert.True(lateDays > 25, $"the late case took {lateDays} working days");

        var supervisor = api.As("supervisor-cty-1");
        var report = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/reports/quarterly?quarter=2026Q1&by=item&region=361130100000");
        var lines = report.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("key").GetString()!);
        var subsistence = lines[Subsistence];
        Assert.Equal("最低生活保障审核确认", subsistence.GetProperty("name").GetString());
        Assert.Equal(2, subsistence.GetProperty("received").GetInt32());
        Assert.Equal(2, subsistence.GetProperty("accepted").GetInt32());
        Assert.Equal(2, subsistence.GetProperty("decided").GetInt32());
        Assert.Equal(1, subsistence.GetProperty("onTime").GetInt32());
        Assert.Equal(1, subsistence.GetProperty("overdue").GetInt32());
        Assert.Equal(50.0m, subsistence.GetProperty("onTimeRate").GetDecimal());
        Assert.Equal((quickDays + lateDays) / 2.0, subsistence.GetProperty("averageWorkingDays").GetDouble());
        Assert.Equal(lateDays, subsistence.GetProperty("p90WorkingDays").GetInt32());
        Assert.Equal(1, subsistence.GetProperty("satisfaction").GetProperty("verySatisfied").GetInt32());
        Assert.Equal(1, subsistence.GetProperty("satisfaction").GetProperty("dissatisfied").GetInt32());
        Assert.Equal(50.0m, subsistence.GetProperty("satisfactionRate").GetDecimal());
        Assert.Equal(1, lines.Values.Sum(l => l.GetProperty("rejected").GetInt32()));
        var total = report.GetProperty("total");
        Assert.Equal(4, total.GetProperty("received").GetInt32());
        Assert.Equal(3, total.GetProperty("decided").GetInt32());

        // Per department, with the department's name; the same totals.
        var byDepartment = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/reports?from=2026-01&to=2026-03&by=department&region=361130100000");
        var mzj = byDepartment.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("key").GetString() == "dept-361130-mzj");
        Assert.Equal("宁都县民政局", mzj.GetProperty("name").GetString());
        Assert.Equal(4, byDepartment.GetProperty("total").GetProperty("received").GetInt32());
        // A month outside the period counts nothing.
        var december = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/reports?from=2025-12&to=2025-12&by=item&region=361130100000");
        Assert.Equal(0, december.GetProperty("total").GetProperty("received").GetInt32());

        // The CSV has the same lines plus the total, in Chinese, with a BOM.
        var bytes = await (await supervisor.GetAsync("/api/supervision/reports/quarterly?quarter=2026Q1&by=item&region=361130100000&format=csv")).Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("统计对象代码,名称,收件,受理,不予受理,办结", rows[0]);
        Assert.Equal(lines.Count + 2, rows.Length);
        Assert.Contains(rows, r => r.StartsWith($"{Subsistence},最低生活保障审核确认,2,2,0,2,1,1,50.0,", StringComparison.Ordinal));
        Assert.StartsWith(",合计,4,", rows[^1]);

        // Rebuilt from the events, the report tables hold exactly the same rows.
        var before = await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY month, centre_id, department_id, item_code) FROM cf_report_monthly t");
        await api.RebuildAsync("service_reports");
        Assert.Equal(before, await api.Db.ScalarAsync<string>("SELECT string_agg(t::text, '|' ORDER BY month, centre_id, department_id, item_code) FROM cf_report_monthly t"));
    }

    [Fact]
    public async Task A_department_sees_only_its_own_figures_and_a_supervisor_only_their_region()
    {
        api.Clock.Set(Beijing("2026-04-06T10:00:00")); // the second quarter: this test's own
        var subsistence = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(subsistence, "acceptance", new { })).EventsAsync();
        var pension = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(pension, "acceptance", new { })).EventsAsync();
        await api.CatchUpProjectionsAsync();

        var own = await api.As("approver-mzj-1").GetFromJsonAsync<JsonElement>("/api/reports/department?from=2026-04&to=2026-06");
        var keys = own.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("key").GetString()).ToList();
        Assert.Contains(Subsistence, keys);
        Assert.DoesNotContain(Pension, keys);
        Assert.Equal(1, own.GetProperty("total").GetProperty("received").GetInt32());
        await (await api.As("clerk-tw-1").GetAsync("/api/reports/department?from=2026-04&to=2026-06")).ProblemAsync(403, "auth.forbidden");

        await (await api.As("supervisor-rj-1").GetAsync("/api/supervision/reports?from=2026-04&to=2026-06&region=361130000000")).ProblemAsync(403, "supervision.outside_jurisdiction");
        var theirs = await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>("/api/supervision/reports?from=2026-04&to=2026-06");
        Assert.Equal(0, theirs.GetProperty("total").GetProperty("received").GetInt32());
        await (await api.As("supervisor-cty-1").GetAsync("/api/supervision/reports/quarterly?quarter=2026Q5")).ProblemAsync(400, "report.quarter_invalid");
        await (await api.As("supervisor-cty-1").GetAsync("/api/supervision/reports?from=2026-06&to=2026-04")).ProblemAsync(400, "report.period_invalid");
        await (await api.As("supervisor-cty-1").GetAsync("/api/supervision/reports?from=2026-04&to=2026-06&by=window")).ProblemAsync(400, "report.by_invalid");
    }
}
