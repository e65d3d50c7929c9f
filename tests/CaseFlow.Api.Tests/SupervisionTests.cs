using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 8: attribution of overdue time, jurisdiction, the overdue list and its CSV, 督办 and 问责.</summary>
public sealed class SupervisionTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Subsistence = "361130-000401001"; // 民政局: 承办 12 / 审核 6 / 决定 7

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> StepAsync(Guid id, string action, object body) =>
        api.As("approver-mzj-1").PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{Subsistence}/{action}", body);

    /// <summary>Accepted Monday 2025-11-03, claimed at once; 承办 done on 2025-11-24 — 15 working days against a share of 12.</summary>
    private async Task<Guid> LateHandlingAsync()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await (await StepAsync(id, "claim", new { })).EventsAsync();
        api.Clock.Set(Beijing("2025-11-24T10:00:00"));
        await (await StepAsync(id, "steps", new { action = "Pass", opinion = "入户核查完毕。" })).EventsAsync();
        return id;
    }

    /// <summary>Claimed Monday 2025-11-03 and still in 承办 on Friday 11-21: past its 12-day share (due 11-19), red on the list.</summary>
    private async Task<Guid> OverdueHandlingAsync()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await (await StepAsync(id, "claim", new { })).EventsAsync();
        api.Clock.Set(Beijing("2025-11-21T10:00:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        return id;
    }

    [Fact]
    public async Task A_step_that_overran_its_share_by_3_days_charges_exactly_3_days_to_its_handler_and_department()
    {
        var id = await LateHandlingAsync();
        api.Clock.Set(Beijing("2025-11-26T10:00:00"));
        await (await StepAsync(id, "steps", new { action = "Pass", opinion = "审核同意。" })).EventsAsync(); // 2 of 6: on time

        var audit = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/supervision/cases/{id}");
        var attribution = audit.GetProperty("attribution");
        var steps = attribution.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(3, steps[0].GetProperty("overWorkingDays").GetInt32());
        Assert.Equal(15, steps[0].GetProperty("usedWorkingDays").GetInt32());
        Assert.Equal(0, steps[1].GetProperty("overWorkingDays").GetInt32());
        var person = Assert.Single(attribution.GetProperty("byPerson").EnumerateArray());
        Assert.Equal("approver-mzj-1", person.GetProperty("personId").GetString());
        Assert.Equal("dept-361130-mzj", person.GetProperty("departmentId").GetString());
        Assert.Equal(3, person.GetProperty("workingDays").GetInt32());
        // The department's total is readable too (issue 16: it was [{}], a C# tuple), in the audit and the timeline.
        var department = Assert.Single(attribution.GetProperty("byDepartment").EnumerateArray());
        Assert.Equal("dept-361130-mzj", department.GetProperty("departmentId").GetString());
        Assert.Equal(3, department.GetProperty("workingDays").GetInt32());
        var timeline = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline");
        Assert.Equal(3, Assert.Single(timeline.GetProperty("attribution").GetProperty("byDepartment").EnumerateArray()).GetProperty("workingDays").GetInt32());
        // Identity numbers are masked for supervisors.
        Assert.Contains("*", audit.GetProperty("case").GetProperty("applicant").GetProperty("residentIdNumber").GetString());
    }

    [Fact]
    public async Task The_timeline_tells_who_did_what_when_with_the_deadlines_and_who_held_the_case_and_only_to_those_involved()
    {
        var id = await LateHandlingAsync();
        api.Clock.Set(Beijing("2025-11-26T10:00:00"));
        await (await StepAsync(id, "steps", new { action = "Pass", opinion = "审核同意。" })).EventsAsync();

        var timeline = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline");
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.GetProperty("version").GetInt64()));
        var received = events.First(e => e.GetProperty("type").GetString() == "case.received.v1");
        Assert.Equal("综合窗口受理人员", received.GetProperty("roleName").GetString());
        Assert.Equal(JsonValueKind.Null, received.GetProperty("promisedDue").ValueKind); // no clock before acceptance
        var accepted = events.First(e => e.GetProperty("type").GetString() == "case.accepted.v1");
        var promised = accepted.GetProperty("promisedDue").GetString();
        Assert.NotNull(promised);
        var handling = events.First(e => e.GetProperty("type").GetString() == "case.step_completed.v1");
        Assert.Equal(DemoStaff.Find("approver-mzj-1").Name, handling.GetProperty("byName").GetString());
        Assert.Equal("部门审批人员", handling.GetProperty("roleName").GetString());
        Assert.Equal("宁都县民政局", handling.GetProperty("unitName").GetString());
        Assert.Contains("用时 15 个工作日，环节时限 12 个工作日，超出 3 个工作日", handling.GetProperty("what").GetString());
        Assert.Equal(promised, handling.GetProperty("promisedDue").GetString());

        // Who held it: the clerk for acceptance (same day), the approver for 承办 (15 WD) and 审核 (2 WD); 3 WD over share.
        var stages = timeline.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(0, stages.Single(s => s.GetProperty("stage").GetString() == "Acceptance").GetProperty("workingDays").GetInt32());
        Assert.Equal(15, stages.Single(s => s.GetProperty("stageName").GetString() == "承办").GetProperty("workingDays").GetInt32());
        Assert.Equal(2, stages.Single(s => s.GetProperty("stageName").GetString() == "审核").GetProperty("workingDays").GetInt32());
        var approver = timeline.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("personId").GetString() == "approver-mzj-1");
        Assert.Equal(17, approver.GetProperty("workingDays").GetInt32());
        Assert.Equal(3, approver.GetProperty("overShareWorkingDays").GetInt32());

        // The department involved and the approver who acted may read it; others may not.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.As("approver-mzj-1").GetAsync($"/api/cases/{id}/timeline")).StatusCode);
        await (await api.As("approver-rsj-1").GetAsync($"/api/cases/{id}/timeline")).ProblemAsync(403, "timeline.not_involved");
        await (await api.As("clerk-tw-2").GetAsync($"/api/cases/{id}/timeline")).ProblemAsync(403, "timeline.not_involved");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.As("clerk-tw-1").GetAsync($"/api/cases/{id}/timeline")).StatusCode); // received and accepted it
        await (await api.As("supervisor-rj-1").GetAsync($"/api/cases/{id}/timeline")).ProblemAsync(403, "supervision.outside_jurisdiction");
    }

    [Fact]
    public async Task A_supervisor_of_another_county_can_neither_open_nor_list_the_case()
    {
        var id = await OverdueHandlingAsync();
        await (await api.As("supervisor-rj-1").GetAsync($"/api/supervision/cases/{id}")).ProblemAsync(403, "supervision.outside_jurisdiction");
        await (await api.As("supervisor-rj-1").GetAsync("/api/supervision/overdue?region=361130000000")).ProblemAsync(403, "supervision.outside_jurisdiction");
        var theirs = await api.As("supervisor-rj-1").GetFromJsonAsync<JsonElement>("/api/supervision/overdue");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id);
        var ours = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/overdue");
        Assert.Contains(ours.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id);
    }

    [Fact]
    public async Task The_csv_export_of_the_overdue_list_has_the_same_rows_in_readable_chinese()
    {
        await OverdueHandlingAsync();
        var json = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/overdue?limit=500");
        var response = await api.As("supervisor-cty-1").GetAsync("/api/supervision/overdue?format=csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // UTF-8 BOM: spreadsheet programs read the Chinese correctly
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("办件编号,事项,监察对象", lines[0]);
        var rows = json.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, lines.Length - 1);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.StartsWith(rows[i].GetProperty("caseNumber").GetString() + ",", lines[i + 1]);
            Assert.Contains(rows[i].GetProperty("level").GetString() == "Red" ? "红灯" : "黄灯", lines[i + 1]);
        }
        Assert.Contains(lines, l => l.Contains("最低生活保障审核确认", StringComparison.Ordinal) && l.Contains("审批环节", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_supervision_order_missed_escalates_and_an_accountability_record_cites_the_cases_events()
    {
        var id = await LateHandlingAsync();
        var supervisor = api.As("supervisor-cty-1");
        await (await supervisor.PostAsJsonAsync($"/api/supervision/cases/{id}/orders", new { instruction = "请于 11 月 26 日前办结并说明超期原因", dueOn = "2025-11-26" })).EventsAsync();
        api.Clock.Set(Beijing("2025-11-27T09:00:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        var timeline = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/supervision/cases/{id}")).GetProperty("case").GetProperty("timeline");
        Assert.Contains(timeline.EnumerateArray(), t => t.GetProperty("event").GetString() == "case.supervision_escalated.v1");

        var stepEvent = await api.Db.ScalarAsync<Guid>($"SELECT id FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.step_completed.v1' ORDER BY seq LIMIT 1");
        await (await supervisor.PostAsJsonAsync($"/api/supervision/cases/{id}/accountability", new
        {
            targetKind = "Person", targetId = "approver-mzj-1", targetName = DemoStaff.Find("approver-mzj-1").Name, measure = "Interview",
            facts = "承办环节超出时限 3 个工作日", evidenceEventIds = new[] { Guid.NewGuid() },
        })).ProblemAsync(400, "accountability.evidence_invalid");
        await (await supervisor.PostAsJsonAsync($"/api/supervision/cases/{id}/accountability", new
        {
            targetKind = "Person", targetId = "approver-mzj-1", targetName = DemoStaff.Find("approver-mzj-1").Name, measure = "Interview",
            facts = "承办环节超出时限 3 个工作日", evidenceEventIds = new[] { stepEvent },
        })).EventsAsync();
        Assert.Equal("Interview", await api.Db.ScalarAsync<string>($"SELECT measure FROM cf_accountability_records WHERE case_id = '{id}'"));
        await (await api.As("clerk-tw-1").PostAsJsonAsync($"/api/supervision/cases/{id}/orders", new { instruction = "x", dueOn = "2025-12-01" })).ProblemAsync(403, "auth.forbidden");
    }
}
