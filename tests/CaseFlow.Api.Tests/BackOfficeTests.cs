using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>The back-office journeys of issue 6 over HTTP: departments claim, step, stop the clock, extend, decide.</summary>
public sealed class BackOfficeTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Subsistence = "361130-000401001"; // 最低生活保障审核确认: 民政局, 承办 12 / 审核 6 / 决定 7, promised 25
    private const string Pension = "361130-000201002";     // 城乡居民基本养老保险待遇申领: 人社局, promised 10

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Guid> AcceptedAsync(string keyword, params string[] materials)
    {
        var id = await api.ReceiveAsync(keyword, materials);
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        return id;
    }

    private Task<HttpResponseMessage> PartAsync(string staff, Guid id, string partId, string action, object? body = null) =>
        api.As(staff).PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{partId}/{action}", body ?? new { });

    private Task<JsonElement> BackOfficeCaseAsync(string staff, Guid id) => api.As(staff).GetFromJsonAsync<JsonElement>($"/api/backoffice/cases/{id}");

    private static JsonElement PartOf(JsonElement view, string partId) => view.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("partId").GetString() == partId);

    /// <summary>Claims the part and passes every step up to the decision, then decides.</summary>
    private async Task<string[]> WorkThroughAsync(string staff, Guid id, string partId, bool approved = true)
    {
        await (await PartAsync(staff, id, partId, "claim")).EventsAsync();
        while (true)
        {
            var part = PartOf(await BackOfficeCaseAsync(staff, id), partId);
            if (part.GetProperty("stepIndex").GetInt32() >= part.GetProperty("steps").GetArrayLength() - 1)
                break;
            await (await PartAsync(staff, id, partId, "steps", new { action = "Pass", opinion = $"{part.GetProperty("stepName").GetString()}：材料齐全，符合条件。" })).EventsAsync();
        }
        return await (await PartAsync(staff, id, partId, "decision", new { approved, opinion = "符合法定条件，准予办理。" })).EventsAsync();
    }

    [Fact]
    public async Task An_accepted_case_goes_through_the_department_inbox_claim_steps_decision_and_result_with_every_step_on_record()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("最低生活保障", "M00", "M01", "M02", "M05");
        var approver = "approver-mzj-1";
        var inbox = (await api.As(approver).GetFromJsonAsync<JsonElement>("/api/backoffice/inbox?stage=Waiting")).GetProperty("items");
        var row = inbox.EnumerateArray().Single(r => r.GetProperty("caseId").GetGuid() == id);
        Assert.Equal("宁都县政务服务中心", (await BackOfficeCaseAsync(approver, id)).GetProperty("parts")[0].GetProperty("decidingCentre").GetString());
        Assert.Equal("centre-361130100", row.GetProperty("acceptingCentre").GetString()); // 县乡联办: accepted at the township, decided at the county
        Assert.Equal(new DateOnly(2025, 12, 8), row.Date("promisedDue"));

        await (await PartAsync(approver, id, Subsistence, "claim")).EventsAsync();
        api.Clock.Set(Beijing("2025-11-10T10:00:00"));
        await (await PartAsync(approver, id, Subsistence, "steps", new { action = "Pass", opinion = "入户核查属实，家庭人均收入低于低保标准。" })).EventsAsync();
        api.Clock.Set(Beijing("2025-11-12T10:00:00"));
        await (await PartAsync(approver, id, Subsistence, "steps", new { action = "Pass", opinion = "审核同意。" })).EventsAsync();
        await (await PartAsync(approver, id, Subsistence, "decision", new { approved = false, opinion = "x" })).ProblemAsync(400, "case.denial_incomplete");
        var decided = await (await PartAsync(approver, id, Subsistence, "decision", new { approved = true, opinion = "准予纳入最低生活保障。" })).EventsAsync();
        Assert.Contains("case.decided.v2", decided);
        var registered = await (await PartAsync(approver, id, Subsistence, "result", new
        {
            documents = new[] { new { kind = "最低生活保障证", number = "宁民低保〔2025〕0312号", validFrom = "2025-12-01", validUntil = "2026-11-30" } }, sealId = "seal-361130-spj-01",
        })).EventsAsync();
        Assert.Equal(["case.result_registered.v1", "case.result_sent_to_window.v1"], registered);

        var view = await BackOfficeCaseAsync(approver, id);
        Assert.Equal("ResultReady", view.GetProperty("status").GetString());
        Assert.False(view.GetProperty("decision").GetProperty("overdue").GetBoolean());
        var name = DemoStaff.Find(approver).Name;
        var steps = view.GetProperty("timeline").EnumerateArray().Where(t => t.GetProperty("event").GetString() == "case.step_completed.v1").ToList();
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.Equal(name, s.GetProperty("by").GetString()));
        Assert.Equal(["case.claimed.v1", "case.step_completed.v1", "case.step_completed.v1", "case.step_completed.v1", "case.part_decided.v1", "case.decided.v2",
            "case.result_registered.v1", "case.result_sent_to_window.v1"],
            view.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("event").GetString()!).SkipWhile(e => e != "case.claimed.v1").ToArray());
        // The 承办 step took 5 working days of its 12: on record for 限时办结.
        Assert.Equal(5, await api.Db.ScalarAsync<int>($"SELECT (data->>'usedWorkingDays')::int FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.step_completed.v1' ORDER BY seq LIMIT 1"));
        // The window sees the result waiting for pickup, with the decision document.
        var atWindow = await api.CaseAsync(id);
        Assert.Equal("ResultReady", atWindow.GetProperty("status").GetString());
        Assert.Contains(atWindow.GetProperty("documents").EnumerateArray(), d => d.GetProperty("title").GetString() == "准予许可决定书");
    }

    [Fact]
    public async Task A_bundle_of_three_departments_is_decided_only_when_all_three_have_decided_and_the_lead_sees_each_part()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var bundleId = StableId.For("bundle", "YJS-361130-002");
        var received = await api.As("clerk-cty-1").PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-cty-2", bundleId, applicant = Window.Person,
            materials = new[] { "M00", "M01", "M05", "000901004/M05", "M06", "M07" }.Select(code => new { code, state = "Present" }).ToArray(),
        });
        Assert.Equal(201, (int)received.StatusCode);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await api.PostAsync(id, "acceptance", new { }, staff: "clerk-cty-1")).EventsAsync();
        var view = await api.CaseAsync(id, "clerk-cty-1");
        Assert.Equal(3, view.GetProperty("parts").GetArrayLength());
        Assert.Equal(new DateOnly(2025, 11, 6), view.GetProperty("acceptance").Date("promisedDue")); // the bundle's combined 3 working days

        Assert.DoesNotContain("case.decided.v2", await WorkThroughAsync("approver-zjj-1", id, "361130-000901003"));
        Assert.DoesNotContain("case.decided.v2", await WorkThroughAsync("approver-sw-1", id, "361130-000901004"));

        var asLead = await BackOfficeCaseAsync("approver-bdc-1", id);
        Assert.True(PartOf(asLead, "361130-000901002").GetProperty("lead").GetBoolean());
        Assert.Equal("Waiting", PartOf(asLead, "361130-000901002").GetProperty("stage").GetString());
        Assert.Equal("Decided", PartOf(asLead, "361130-000901003").GetProperty("stage").GetString());
        Assert.Equal("Decided", PartOf(asLead, "361130-000901004").GetProperty("stage").GetString());
        Assert.Equal("Accepted", asLead.GetProperty("status").GetString());

        Assert.Contains("case.decided.v2", await WorkThroughAsync("approver-bdc-1", id, "361130-000901002"));
        Assert.Equal("Decided", (await BackOfficeCaseAsync("approver-bdc-1", id)).GetProperty("status").GetString());
    }

    /// <summary>Issue 16: the seeds' flagship bundle, 企业开办 (1 working day), received at a county window and decided by its four staffed departments.</summary>
    [Fact]
    public async Task The_enterprise_start_up_bundle_is_received_at_the_county_window_and_decided_by_its_four_departments()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var bundle = ((await api.As("clerk-cty-1").GetFromJsonAsync<JsonElement>("/api/catalogue/bundles")).GetProperty("items")).EnumerateArray()
            .Single(b => b.GetProperty("code").GetString() == "YJS-361130-001");
        Assert.Equal("dept-361130-scjgj", bundle.GetProperty("leadDepartmentId").GetString());
        async Task<HttpResponseMessage> ReceiveAsync(IEnumerable<string> present) => await api.As("clerk-cty-1").PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-cty-2", bundleId = bundle.GetProperty("id").GetGuid(), applicant = Window.Person,
            materials = present.Select(code => new { code, state = "Present" }).ToArray(),
        });
        // The merged checklist as the window sees it, then a receipt with every material present.
        var first = await ReceiveAsync(["M00", "M01"]);
        Assert.Equal(201, (int)first.StatusCode);
        var checklist = (await api.CaseAsync((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), "clerk-cty-1"))
            .GetProperty("checklist").EnumerateArray().Select(m => m.GetProperty("code").GetString()!).ToList();
        var received = await ReceiveAsync(checklist);
        Assert.Equal(201, (int)received.StatusCode);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await api.PostAsync(id, "acceptance", new { }, staff: "clerk-cty-1")).EventsAsync();
        Assert.Equal(4, (await api.CaseAsync(id, "clerk-cty-1")).GetProperty("parts").GetArrayLength());

        Assert.DoesNotContain("case.decided.v2", await WorkThroughAsync("approver-gaj-1", id, "361130-001001004"));
        Assert.DoesNotContain("case.decided.v2", await WorkThroughAsync("approver-sw-1", id, "361130-001001005"));
        Assert.DoesNotContain("case.decided.v2", await WorkThroughAsync("approver-rsj-2", id, "361130-000201007"));
        Assert.Contains("case.decided.v2", await WorkThroughAsync("approver-scjgj-1", id, "361130-001001003"));
        Assert.Equal("Decided", (await BackOfficeCaseAsync("approver-scjgj-1", id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expert_review_of_4_working_days_moves_every_deadline_by_4_and_an_unlawful_reason_is_refused()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("最低生活保障", "M00", "M01", "M02", "M05");
        var approver = "approver-mzj-1";
        await (await PartAsync(approver, id, Subsistence, "claim")).EventsAsync();
        var before = (await BackOfficeCaseAsync(approver, id)).GetProperty("due");
        Assert.Equal(new DateOnly(2025, 12, 8), before.Date("promisedDue"));
        Assert.Equal(new DateOnly(2025, 12, 15), before.Date("statutoryDue"));

        api.Clock.Set(Beijing("2025-11-10T10:00:00"));
        var version = await api.CaseVersionAsync(id);
        await (await PartAsync(approver, id, Subsistence, "suspension", new { procedure = "领导出差", reason = "分管领导外出学习" })).ProblemAsync(422, "case.suspension_not_lawful");
        Assert.Equal(version, await api.CaseVersionAsync(id));
        await (await PartAsync(approver, id, Subsistence, "suspension", new { procedure = "专家评审", reason = "家庭财产状况需组织专家评审" })).EventsAsync();
        Assert.True((await BackOfficeCaseAsync(approver, id)).GetProperty("due").GetProperty("clockStopped").GetBoolean());
        await (await PartAsync(approver, id, Subsistence, "steps", new { action = "Pass", opinion = "x" })).ProblemAsync(422, "case.clock_stopped");

        api.Clock.Set(Beijing("2025-11-14T10:00:00")); // Tuesday to Friday: 4 working days stood still
        await (await PartAsync(approver, id, Subsistence, "resumption")).EventsAsync();
        var after = (await BackOfficeCaseAsync(approver, id)).GetProperty("due");
        Assert.Equal(new DateOnly(2025, 12, 12), after.Date("promisedDue"));
        Assert.Equal(new DateOnly(2025, 12, 19), after.Date("statutoryDue"));
        Assert.Equal(4, await api.Db.ScalarAsync<int>($"SELECT (data->>'workingDaysStopped')::int FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.clock_resumed.v1'"));
        var inboxRow = ((await api.As(approver).GetFromJsonAsync<JsonElement>("/api/backoffice/inbox")).GetProperty("items")).EnumerateArray().Single(r => r.GetProperty("caseId").GetGuid() == id);
        Assert.Equal(new DateOnly(2025, 12, 12), inboxRow.Date("promisedDue"));
        // The applicant got a written notice of the suspension.
        Assert.Contains((await api.CaseAsync(id)).GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "SuspensionNotice");
    }

    [Fact]
    public async Task An_extension_needs_the_department_head_at_most_10_working_days_and_only_once()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        Task<HttpResponseMessage> Extend(string staff, int days) =>
            api.As(staff).PostAsJsonAsync($"/api/backoffice/cases/{id}/extension", new { workingDays = days, reason = "需向外省核实参保缴费记录" });

        await (await Extend("approver-rsj-1", 5)).ProblemAsync(403, "case.extension_head_only");
        await (await Extend("head-rsj-1", 11)).ProblemAsync(422, "case.extension_too_long");
        var before = (await BackOfficeCaseAsync("head-rsj-1", id)).GetProperty("due").Date("promisedDue");
        Assert.Equal(new DateOnly(2025, 11, 17), before);
        await (await Extend("head-rsj-1", 5)).EventsAsync();
        Assert.Equal(new DateOnly(2025, 11, 24), (await BackOfficeCaseAsync("head-rsj-1", id)).GetProperty("due").Date("promisedDue"));
        await (await Extend("head-rsj-1", 2)).ProblemAsync(422, "case.extension_already_granted");
        Assert.Contains((await api.CaseAsync(id)).GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "ExtensionNotice");
    }

    [Fact]
    public async Task When_the_A_holder_is_away_their_claimed_case_moves_to_B_and_A_cannot_act_until_back()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await PartAsync("approver-rsj-1", id, Pension, "claim")).EventsAsync();

        // The post's id as a user finds it (issue 16): the AB posts of the approver's centre, with their holders.
        var posts = (await api.As("approver-rsj-1").GetFromJsonAsync<JsonElement>("/api/organisation/posts")).GetProperty("items");
        var rsj = Assert.Single(posts.EnumerateArray(), p => p.GetProperty("aHolderId").GetString() == "approver-rsj-1");
        Assert.Equal("approver-rsj-2", rsj.GetProperty("bHolderId").GetString());
        Assert.DoesNotContain(posts.EnumerateArray(), p => p.GetProperty("name").GetString() == "梅江镇综合窗口民生岗"); // another centre's post
        var post = rsj.GetProperty("postId").GetGuid();
        var absence = await api.As("approver-rsj-1").PostAsJsonAsync($"/api/organisation/posts/{post}/absences", new
        {
            holderId = "approver-rsj-1", whereabouts = "Leave", from = Beijing("2025-11-04T08:00:00"), to = Beijing("2025-11-07T17:30:00"), note = "病假",
        });
        Assert.Equal(200, (int)absence.StatusCode);
        var declared = (await api.As("head-rsj-1").GetFromJsonAsync<JsonElement>("/api/organisation/posts")).GetProperty("items").EnumerateArray().Single(p => p.GetProperty("postId").GetGuid() == post);
        Assert.Equal("病假", Assert.Single(declared.GetProperty("absences").EnumerateArray()).GetProperty("note").GetString());

        api.Clock.Set(Beijing("2025-11-04T09:00:00"));
        Assert.True((await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync()).Reassigned >= 1);
        var part = PartOf(await BackOfficeCaseAsync("approver-rsj-2", id), Pension);
        Assert.Equal("approver-rsj-2", part.GetProperty("holderId").GetString());
        Assert.Contains("AB岗", await api.Db.ScalarAsync<string>($"SELECT data->>'reason' FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.part_reassigned.v1'"));

        await (await PartAsync("approver-rsj-1", id, Pension, "steps", new { action = "Pass", opinion = "承办完毕" })).ProblemAsync(403, "case.actor_absent");
        await (await PartAsync("approver-rsj-2", id, Pension, "steps", new { action = "Pass", opinion = "承办完毕，材料齐全。" })).EventsAsync();

        // Back from leave, A can act again (审核 is anyone's of the department).
        api.Clock.Set(Beijing("2025-11-10T09:00:00"));
        await (await PartAsync("approver-rsj-1", id, Pension, "steps", new { action = "Pass", opinion = "审核同意。" })).EventsAsync();
    }

    [Fact]
    public async Task An_approver_of_another_department_is_refused_and_a_stale_if_match_fails()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await PartAsync("approver-mzj-1", id, Pension, "claim")).ProblemAsync(403, "case.other_department");
        await (await api.As("approver-mzj-1").GetAsync($"/api/backoffice/cases/{id}")).ProblemAsync(403, "case.other_department");
        Assert.DoesNotContain(((await api.As("approver-mzj-1").GetFromJsonAsync<JsonElement>("/api/backoffice/inbox")).GetProperty("items")).EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id);

        var current = await api.CaseVersionAsync(id);
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/backoffice/cases/{id}/parts/{Pension}/claim") { Content = JsonContent.Create(new { }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{current - 1}\""));
        await (await api.As("approver-rsj-1").SendAsync(stale)).ProblemAsync(412, "concurrency.precondition_failed");
        Assert.Equal(current, await api.CaseVersionAsync(id));
    }

    [Fact]
    public async Task A_back_office_correction_stops_the_clock_until_the_applicant_supplements_at_the_window()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("最低生活保障", "M00", "M01", "M02", "M05");
        var approver = "approver-mzj-1";
        await (await PartAsync(approver, id, Subsistence, "claim")).EventsAsync();
        api.Clock.Set(Beijing("2025-11-05T10:00:00"));
        await (await PartAsync(approver, id, Subsistence, "correction", new { items = new[] { new { code = "M05", reason = "缺少共同生活家庭成员签字" } } })).EventsAsync();
        Assert.Contains("补正", (await (await PartAsync(approver, id, Subsistence, "steps", new { action = "Pass", opinion = "x" })).ProblemAsync(422, "case.clock_stopped"))
            .GetProperty("detail").GetString());

        // Three working days later the applicant brings the signed form to the window: the clock runs again, 3 days added back.
        api.Clock.Set(Beijing("2025-11-10T10:00:00"));
        var supplemented = await (await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M05", state = "Present" } } })).EventsAsync();
        Assert.Contains("case.clock_resumed.v1", supplemented);
        var due = (await BackOfficeCaseAsync(approver, id)).GetProperty("due");
        Assert.False(due.GetProperty("clockStopped").GetBoolean());
        Assert.Equal(new DateOnly(2025, 12, 11), due.Date("promisedDue")); // 2025-12-08 + 3 working days
        await (await PartAsync(approver, id, Subsistence, "steps", new { action = "Pass", opinion = "承办完毕。" })).EventsAsync();
    }

    [Fact]
    public async Task A_part_returned_to_the_window_can_be_resubmitted_and_a_stuck_case_escalated_to_the_cant_get_it_done_window()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await AcceptedAsync("最低生活保障", "M00", "M01", "M02", "M05");
        await (await PartAsync("approver-mzj-1", id, Subsistence, "claim")).EventsAsync();
        await (await PartAsync("approver-mzj-1", id, Subsistence, "steps", new { action = "ReturnToWindow", opinion = "申请人户籍信息与申报不符，请窗口核实" })).EventsAsync();
        Assert.Equal("ReturnedToWindow", PartOf(await api.CaseAsync(id), Subsistence).GetProperty("stage").GetString());
        await (await api.PostAsync(id, $"parts/{Subsistence}/resubmission", new { note = "已核实户籍信息，系录入错误，已更正" })).EventsAsync();
        Assert.Equal("Claimed", PartOf(await api.CaseAsync(id), Subsistence).GetProperty("stage").GetString());

        await (await api.PostAsync(id, "escalation", new { reason = "申请人对核查结果有异议", coordinatorId = "clerk-tw-2", coordinatorName = "黎晓东", dueOn = "2025-11-02" }))
            .ProblemAsync(400, "case.escalation_due_invalid");
        await (await api.PostAsync(id, "escalation", new { reason = "申请人对核查结果有异议", coordinatorId = "clerk-tw-2", coordinatorName = "黎晓东", dueOn = "2025-11-10" })).EventsAsync();
        await (await api.PostAsync(id, "escalation/resolution", new { resolution = "经协调民政局重新入户核查，申请人认可。" })).EventsAsync();
        var escalation = (await api.CaseAsync(id)).GetProperty("escalation");
        Assert.Equal("window-tw-9", escalation.GetProperty("windowId").GetString());
        Assert.Equal("经协调民政局重新入户核查，申请人认可。", escalation.GetProperty("resolution").GetString());
    }
}
