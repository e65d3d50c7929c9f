using System.Net.Http.Json;
using System.Text.Json;

namespace CaseFlow.Api.Tests;

public sealed class CalendarTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly object Year2027 = new
    {
        holidays = new[] { "2027-01-01", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-02-13" },
        makeUpWorkdays = new[] { "2027-02-14" },
        source = "国务院办公厅关于2027年部分节假日安排的通知（示例）",
    };

    [Fact]
    public async Task Staff_compute_a_deadline_in_working_days()
    {
        var due = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/calendar/deadline?from=2025-09-26T10:00:00%2B08:00&workingDays=20");
        Assert.Equal("2025-10-30", due.GetProperty("dueDay").GetString());
        Assert.Equal(DateTimeOffset.Parse("2025-10-31T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), due.GetProperty("endsAt").GetDateTimeOffset());

        var year = await api.As("approver-rsj-1").GetFromJsonAsync<JsonElement>("/api/calendar/2025");
        Assert.Equal(248, year.GetProperty("workingDays").GetInt32());
    }

    /// <summary>Issue 16: a start late in a published year is answered when the count stays in that year.</summary>
    [Fact]
    public async Task A_deadline_near_the_end_of_a_published_year_is_answered()
    {
        var due = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/calendar/deadline?from=2026-12-01T12:00:00%2B08:00&workingDays=1");
        Assert.Equal("2026-12-02", due.GetProperty("dueDay").GetString());
        var late = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/calendar/deadline?from=2026-12-21T12:00:00%2B08:00&workingDays=8");
        Assert.Equal("2026-12-31", late.GetProperty("dueDay").GetString());
    }

    [Fact]
    public async Task A_year_nobody_published_is_a_clear_error()
    {
        await (await api.As("clerk-tw-1").GetAsync(new Uri("/api/calendar/2031", UriKind.Relative))).ProblemAsync(422, "calendar.year_not_published");
        await (await api.As("clerk-tw-1").GetAsync(new Uri("/api/calendar/deadline?from=2030-12-20T10:00:00%2B08:00&workingDays=5", UriKind.Relative)))
            .ProblemAsync(422, "calendar.year_not_published");
    }

    [Fact]
    public async Task An_administrator_publishes_a_new_year_and_the_publication_is_audited()
    {
        var admin = api.As("admin-1");
        var published = await admin.PutAsJsonAsync("/api/admin/calendar/2027", Year2027);
        Assert.Equal(201, (int)published.StatusCode);

        var year = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/calendar/2027");
        Assert.Contains(year.GetProperty("makeUpWorkdays").EnumerateArray(), d => d.GetString() == "2027-02-14");
        var due = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/calendar/deadline?from=2027-02-05T10:00:00%2B08:00&workingDays=1");
        Assert.Equal("2027-02-14", due.GetProperty("dueDay").GetString()); // the Sunday make-up day

        var audit = await api.Db.ScalarAsync<string>(
            "SELECT metadata->>'actorId' || '|' || (data->>'publishedAt') FROM cf_event_log WHERE type = 'calendar.holiday_arrangement_published.v1' AND (data->>'year')::int = 2027");
        Assert.StartsWith("admin-1|", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correcting_a_shipped_year_records_what_it_was_before()
    {
        var correction = new { holidays = new[] { "2026-01-01", "2026-01-02" }, makeUpWorkdays = Array.Empty<string>(), source = "更正（示例）" };
        Assert.Equal(201, (int)(await api.As("admin-1").PutAsJsonAsync("/api/admin/calendar/2026", correction)).StatusCode); // first publication of the year's stream
        var before = await api.Db.ScalarAsync<int>(
            "SELECT jsonb_array_length(data->'previousHolidays') FROM cf_event_log WHERE type = 'calendar.holiday_arrangement_published.v1' AND (data->>'year')::int = 2026");
        Assert.Equal(33, before); // the official 2026 arrangement's days off
    }

    [Theory]
    [InlineData("2028-10-01", "2028-10-01", "calendar.date_both_holiday_and_workday")]
    [InlineData("2029-01-01", "2028-10-08", "calendar.date_outside_year")]
    [InlineData("2028-10-02", "2028-10-03", "calendar.makeup_day_not_weekend")]
    public async Task A_malformed_year_is_refused_with_a_code_naming_the_rule_and_nothing_is_written(string holiday, string makeUp, string code)
    {
        var response = await api.As("admin-1").PutAsJsonAsync("/api/admin/calendar/2028", new { holidays = new[] { holiday }, makeUpWorkdays = new[] { makeUp }, source = "测试" });
        await response.ProblemAsync(400, code);
        Assert.Equal(0L, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_calendar_years WHERE year = 2028"));
    }

    [Fact]
    public async Task Only_administrators_publish()
    {
        await (await api.As("supervisor-cty-1").PutAsJsonAsync("/api/admin/calendar/2027", Year2027)).ProblemAsync(403, "auth.forbidden");
    }
}
