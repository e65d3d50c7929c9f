using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;

namespace CaseFlow.Api.Tests;

/// <summary>Shared steps of the acceptance journeys, as a clerk performs them over HTTP.</summary>
public static class Window
{
    public static readonly object Person = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X", phone = "13907971234" };

    public static async Task<Guid> ItemAsync(this ApiFactory api, string keyword, string window = "window-tw-1")
    {
        var items = (await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/windows/{window}/catalogue?q={keyword}")).GetProperty("items");
        return items.EnumerateArray().First().GetProperty("id").GetGuid();
    }

    /// <summary>Receives a case at window-tw-1 with the given checklist codes present; the rest are missing.</summary>
    public static async Task<Guid> ReceiveAsync(this ApiFactory api, string keyword, params string[] present)
    {
        var response = await api.As("clerk-tw-1").PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId = await api.ItemAsync(keyword), applicant = Person,
            materials = present.Select(code => new { code, state = "Present" }).ToArray(),
        });
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<JsonElement> CaseAsync(this ApiFactory api, Guid id, string staff = "clerk-tw-1") =>
        api.As(staff).GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}");

    public static Task<HttpResponseMessage> PostAsync(this ApiFactory api, Guid id, string action, object body, string staff = "clerk-tw-1") =>
        api.As(staff).PostAsJsonAsync($"/api/window/cases/{id}/{action}", body);

    public static async Task<string[]> EventsAsync(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>An action on one department part of a case, by a member of that department.</summary>
    public static Task<HttpResponseMessage> PartAsync(this ApiFactory api, string staff, Guid id, string partId, string action, object? body = null) =>
        api.As(staff).PostAsJsonAsync($"/api/backoffice/cases/{id}/parts/{partId}/{action}", body ?? new { });

    /// <summary>Claims a part, passes its first <paramref name="steps"/> − 1 steps and approves it.</summary>
    public static async Task DecideAsync(this ApiFactory api, string staff, Guid id, string partId, int steps)
    {
        await (await api.PartAsync(staff, id, partId, "claim")).EventsAsync();
        for (var i = 0; i < steps - 1; i++)
            await (await api.PartAsync(staff, id, partId, "steps", new { action = "Pass", opinion = "符合条件。" })).EventsAsync();
        await (await api.PartAsync(staff, id, partId, "decision", new { approved = true, opinion = "准予。" })).EventsAsync();
    }

    public static Task<long> CaseVersionAsync(this ApiFactory api, Guid id) =>
        api.Db.ScalarAsync<long>($"SELECT version FROM cf_stream_log WHERE id = '{id}'");

    public static DateOnly Date(this JsonElement e, string property) => DateOnly.Parse(e.GetProperty(property).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The clerk's acceptance journeys of issue 5, over HTTP against the seeded demo.</summary>
public sealed class AcceptanceTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static readonly DateTimeOffset FridayMorning = DateTimeOffset.Parse("2025-09-26T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Missing_key_material_gets_a_one_time_notice_and_the_case_is_accepted_the_day_the_correction_arrives()
    {
        api.Clock.Set(FridayMorning);
        // 最低生活保障审核确认: M05 (家庭收入和财产状况申报及授权核对书) is a key material; the applicant forgot it.
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02");
        var received = await api.CaseAsync(id);
        Assert.Equal("Received", received.GetProperty("status").GetString());
        Assert.Matches(@"^361130100-20250926-\d{4}$", received.GetProperty("caseNumber").GetString());
        Assert.Equal(new DateOnly(2025, 10, 10), received.Date("noticePeriodEndsOn")); // 5 working days across 国庆

        var notice = await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05" } } });
        Assert.Contains("case.one_time_notice_issued.v1", await notice.EventsAsync());
        var noticed = await api.CaseAsync(id);
        Assert.Equal("AwaitingCorrections", noticed.GetProperty("status").GetString());
        var letter = noticed.GetProperty("notices")[0];
        var noticeId = letter.GetProperty("noticeId").GetGuid();

        // The printed notice names every listed material, the applicant and the clerk, on the centre's letterhead.
        var print = await api.As("clerk-tw-1").GetAsync($"/api/window/cases/{id}/documents/{letter.GetProperty("documentNumber").GetString()}/print");
        Assert.Equal("text/html", print.Content.Headers.ContentType?.MediaType);
        var html = await print.Content.ReadAsStringAsync();
        Assert.Contains("一次性告知书", html);
        Assert.Contains("家庭收入和财产状况申报及授权核对书", html);
        Assert.Contains("刘建国", html);
        Assert.Contains(DemoStaff.Find("clerk-tw-1").Name, html);
        Assert.Contains("梅江镇便民服务中心审批服务专用章", html);
        Assert.Contains(noticed.GetProperty("caseNumber").GetString()!, html);
        Assert.Contains("size: A4", html);

        Assert.Equal(200, (int)(await api.As("clerk-tw-1").PostAsJsonAsync($"/api/window/cases/{id}/notices/{noticeId}/stub", new { signedBy = "刘建国" })).StatusCode);

        // Monday: the applicant brings the form. Accepted that day; 25 working days from 2025-09-29 across 国庆 is 2025-11-10.
        api.Clock.Set(FridayMorning.AddDays(3));
        var supplement = await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M05", state = "Present" } } });
        Assert.Contains("case.accepted.v1", await supplement.EventsAsync());
        var accepted = await api.CaseAsync(id);
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        var acceptance = accepted.GetProperty("acceptance");
        Assert.Equal("AfterCorrections", acceptance.GetProperty("route").GetString());
        Assert.Equal(new DateOnly(2025, 9, 29), acceptance.Date("acceptedOn"));
        Assert.Equal(new DateOnly(2025, 11, 10), acceptance.Date("promisedDue"));
        Assert.Contains(accepted.GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "AcceptanceNotice");
        Assert.False(accepted.GetProperty("notices")[0].GetProperty("open").GetBoolean());

        // The letter's own stream went issued → stub signed → corrections received → closed.
        var letterLife = await api.Db.ScalarAsync<string>($"SELECT string_agg(type, ',' ORDER BY version) FROM cf_event_log WHERE stream_id = '{noticeId}'");
        Assert.Equal("notice.issued.v1,notice.stub_signed.v1,notice.corrections_received.v1,notice.closed.v1", letterLife);
    }

    [Fact]
    public async Task Accept_is_refused_while_a_required_material_is_missing_and_deficiency_acceptance_while_a_key_one_is()
    {
        api.Clock.Set(FridayMorning);
        // 城乡居民基本养老保险待遇申领: M05 key, M04 (社保卡复印件) non-key; both missing.
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01");
        var version = await api.CaseVersionAsync(id);
        await (await api.PostAsync(id, "acceptance", new { })).ProblemAsync(422, "case.required_material_missing");
        await (await api.PostAsync(id, "acceptance-with-deficiency", new { deficiencies = new[] { new { code = "M04", dueOn = "2025-10-10" } }, commitment = "本人承诺按期补交" }))
            .ProblemAsync(422, "case.key_material_missing");
        Assert.Equal(version, await api.CaseVersionAsync(id));

        // With the key material in, only the non-key one is missing: plain acceptance still refused, 容缺 allowed,
        // but not with a due date after the promised completion date (10 working days → 2025-10-16, counting the make-up Sunday 09-28 and Saturday 10-11).
        Assert.Equal(200, (int)(await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M05", state = "Present" } } })).StatusCode);
        await (await api.PostAsync(id, "acceptance", new { })).ProblemAsync(422, "case.required_material_missing");
        await (await api.PostAsync(id, "acceptance-with-deficiency", new { deficiencies = new[] { new { code = "M04", dueOn = "2025-10-20" } }, commitment = "本人承诺按期补交" }))
            .ProblemAsync(400, "case.deficiency_due_invalid");
        Assert.Contains("case.accepted_with_deficiency.v1", await (await api.PostAsync(id, "acceptance-with-deficiency", new
        {
            deficiencies = new[] { new { code = "M04", dueOn = "2025-10-10" } }, commitment = "本人承诺于2025年10月10日前补交社保卡复印件，逾期同意终止办理。",
        })).EventsAsync());

        var view = await api.CaseAsync(id);
        Assert.Equal("AcceptedWithDeficiency", view.GetProperty("status").GetString());
        Assert.Equal(new DateOnly(2025, 10, 16), view.GetProperty("acceptance").Date("promisedDue"));
        var number = view.GetProperty("documents").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "DeficiencyAcceptanceNotice").GetProperty("number").GetString();
        var html = await api.As("clerk-tw-1").GetStringAsync($"/api/window/cases/{id}/documents/{number}/print");
        Assert.Contains("本人承诺于2025年10月10日前补交社保卡复印件", html);
        Assert.Contains("2025年10月10日", html);

        // Bringing the material clears the deficiency.
        Assert.Contains("case.deficiency_cleared.v1", await (await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M04", state = "Present" } } })).EventsAsync());
        Assert.Equal("Accepted", (await api.CaseAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_notice_about_a_material_that_was_there_at_the_first_is_refused_and_recorded_as_a_violation_when_overridden()
    {
        api.Clock.Set(FridayMorning);
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02");
        await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05" } } })).EventsAsync();
        // The applicant returns with M05, but it is unsigned: a notice about what was submitted after the first is fine.
        await (await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M05", state = "NonConforming", reason = "申报书缺少申请人签字" } } })).EventsAsync();
        var second = await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05", reason = "申报书缺少申请人签字" } } })).EventsAsync();
        Assert.DoesNotContain("case.repeat_notice_recorded.v1", second);

        // Now the clerk notices the 户口簿 (present at the first notice) is out of date: that is 二次告知.
        var version = await api.CaseVersionAsync(id);
        var refused = await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M02", reason = "户口簿信息未更新" } } })).ProblemAsync(422, "case.repeat_notice");
        Assert.Contains("户口簿", refused.GetProperty("detail").GetString());
        Assert.Equal(version, await api.CaseVersionAsync(id));

        var overridden = await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M02", reason = "户口簿信息未更新" } }, overrideReason = "首次审查疏漏，已向申请人致歉" })).EventsAsync();
        Assert.Contains("case.repeat_notice_recorded.v1", overridden);
        var view = await api.CaseAsync(id);
        Assert.Equal(1, view.GetProperty("repeatNotices").GetInt32());
        Assert.Equal(3, view.GetProperty("notices").GetArrayLength());
        var violation = await api.Db.ScalarAsync<string>($"SELECT data->>'clerkId' FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.repeat_notice_recorded.v1'");
        Assert.Equal("clerk-tw-1", violation);
    }

    [Fact]
    public async Task The_first_notice_must_list_everything_that_is_missing()
    {
        api.Clock.Set(FridayMorning);
        var id = await api.ReceiveAsync("最低生活保障", "M00", "M01");
        var refused = await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05" } } })).ProblemAsync(422, "case.notice_incomplete");
        Assert.Contains("户口簿", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_rejection_states_reason_basis_and_remedies_and_names_the_competent_body()
    {
        api.Clock.Set(FridayMorning);
        var id = await api.ReceiveAsync("临时救助", "M00", "M01", "M05");
        await (await api.PostAsync(id, "rejection", new { reason = "申请人户籍不在本镇", legalBasis = "《社会救助暂行办法》第四十八条", notCompetent = true, competentBody = "户籍所在地乡镇人民政府" }))
            .ProblemAsync(400, "case.remedies_required");
        await (await api.PostAsync(id, "rejection", new
        {
            reason = "申请人户籍及经常居住地均不在本镇", legalBasis = "《社会救助暂行办法》第四十八条", notCompetent = true, competentBody = "户籍所在地乡镇人民政府",
            reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
        })).EventsAsync();
        var view = await api.CaseAsync(id);
        Assert.Equal("Rejected", view.GetProperty("status").GetString());
        var number = view.GetProperty("documents")[0].GetProperty("number").GetString();
        var document = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}/documents/{number}");
        Assert.Equal("不予受理决定书", document.GetProperty("title").GetString());
        var body = string.Join("", document.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("户籍所在地乡镇人民政府", body);
        Assert.Contains("向宁都县人民政府申请行政复议", body);
        Assert.Contains("向宁都县人民法院提起行政诉讼", body);
        // A decided case takes no further decision.
        await (await api.PostAsync(id, "acceptance", new { })).ProblemAsync(422, "case.not_awaiting_decision");
    }

    [Fact]
    public async Task An_immediate_item_is_accepted_and_completed_in_the_same_visit()
    {
        api.Clock.Set(FridayMorning);
        var id = await api.ReceiveAsync("城乡居民基本养老保险参保登记", "M00", "M01", "M04");
        var events = await (await api.PostAsync(id, "acceptance", new { result = "已完成参保登记" })).EventsAsync();
        Assert.Equal(["case.accepted.v1", "case.completed_on_the_spot.v1"], events);
        var view = await api.CaseAsync(id);
        Assert.Equal("Completed", view.GetProperty("status").GetString());
        Assert.Equal(new DateOnly(2025, 9, 26), view.GetProperty("acceptance").Date("promisedDue"));
    }

    [Fact]
    public async Task A_clerk_of_another_centre_can_neither_see_nor_act_on_the_case_and_nothing_is_written()
    {
        api.Clock.Set(FridayMorning);
        var id = await api.ReceiveAsync("临时救助", "M00", "M01", "M05");
        var version = await api.CaseVersionAsync(id);
        await (await api.PostAsync(id, "acceptance", new { }, staff: "clerk-cty-1")).ProblemAsync(403, "case.other_centre");
        await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05" } } }, staff: "clerk-cty-1")).ProblemAsync(403, "case.other_centre");
        await (await api.As("clerk-cty-1").GetAsync($"/api/window/cases/{id}")).ProblemAsync(403, "case.other_centre");
        await (await api.As("agent-cn-1").GetAsync($"/api/window/cases/{id}")).ProblemAsync(403, "case.not_own_submission");
        Assert.Equal(version, await api.CaseVersionAsync(id));
        Assert.DoesNotContain((await api.As("clerk-cty-1").GetFromJsonAsync<JsonElement>("/api/window/cases")).GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Receiving_a_case_from_a_first_inquiry_closes_the_inquiry_for_its_owner_only()
    {
        api.Clock.Set(FridayMorning);
        var inquiry = await api.As("clerk-tw-1").PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = "临时救助怎么申请" });
        var inquiryId = (await inquiry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var itemId = await api.ItemAsync("临时救助");
        object Receipt() => new { windowId = "window-tw-1", itemId, applicant = Window.Person, inquiryId, materials = new[] { new { code = "M00", state = "Present" } } };

        // Only the owner of the inquiry (首问负责) may take it in; nothing is written otherwise.
        var before = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'");
        await (await api.As("clerk-tw-2").PostAsJsonAsync("/api/window/cases", Receipt())).ProblemAsync(403, "inquiry.not_owner");
        Assert.Equal(before, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'"));

        var received = await api.As("clerk-tw-1").PostAsJsonAsync("/api/window/cases", Receipt());
        Assert.Equal(201, (int)received.StatusCode);
        var caseId = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var closed = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/inquiries/{inquiryId}");
        Assert.Equal("TakenIn", closed.GetProperty("status").GetString());
        Assert.Equal(caseId.ToString(), await api.Db.ScalarAsync<string>($"SELECT data->>'caseId' FROM cf_event_log WHERE stream_id = '{inquiryId}' AND type = 'inquiry.taken_in_as_case.v1'"));
    }

    [Fact]
    public async Task The_demo_seed_leaves_a_worklist_with_every_outcome_and_its_documents()
    {
        var list = (await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/cases?limit=500")).GetProperty("items");
        var statuses = list.EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToHashSet();
        foreach (var expected in new[] { "Received", "AwaitingCorrections", "Accepted", "AcceptedWithDeficiency", "Completed", "Rejected" })
            Assert.Contains(expected, statuses);
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("channel").GetString() == "VillageAgent" && c.GetProperty("actBy").ValueKind == JsonValueKind.String);
    }
}
