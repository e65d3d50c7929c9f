using CaseFlow.Api.Seeding;
using CaseFlow.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 7: deadlines, warnings once per level with two sweepers, the board, pickup, ratings, notifications.</summary>
public sealed class DeadlineTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string FamilyPlanning = "361130-000701002"; // 农村部分计划生育家庭奖励扶助金审核: promised 20, 卫健委

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Two hosts' sweepers at once: separate instances over the same database.</summary>
    private Task SweepTwiceAtOnceAsync()
    {
        var first = api.Services.GetRequiredService<CaseSweeper>();
        var second = ActivatorUtilities.CreateInstance<CaseSweeper>(api.Services);
        return Task.WhenAll(Task.Run(() => first.RunOnceAsync()), Task.Run(() => second.RunOnceAsync()));
    }

    private Task<long> CountAsync(Guid id, string type, string scope) =>
        api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE stream_id = '{id}' AND type = '{type}' AND data->>'scope' = '{scope}'");

    private async Task<JsonElement?> BoardRowAsync(Guid id, string scope, string query)
    {
        var board = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/supervision/board?{query}&limit=500");
        return board.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("caseId").GetGuid() == id && r.Value.GetProperty("scope").GetString() == scope);
    }

    private async Task<JsonElement?> InboxRowAsync(Guid id, string path) =>
        (await api.As("approver-wjw-1").GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("caseId").GetGuid() == id);

    [Fact]
    public async Task A_20_day_case_turns_yellow_then_red_exactly_once_each_with_two_sweepers_and_leaves_the_board_when_decided()
    {
        api.Clock.Set(Beijing("2025-09-26T09:30:00"));
        var id = await api.ReceiveAsync("计划生育家庭奖励扶助", "M00", "M01", "M02");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        Assert.Equal(new DateOnly(2025, 10, 30), (await api.CaseAsync(id)).GetProperty("acceptance").Date("promisedDue"));

        await SweepTwiceAtOnceAsync();
        var green = await BoardRowAsync(id, "Case", "departmentId=dept-361130-wjw");
        Assert.Equal("Green", green!.Value.GetProperty("level").GetString());
        Assert.Equal(new DateOnly(2025, 10, 30), green.Value.Date("dueOn"));

        // 80 % of 20 working days used on Friday 2025-10-24 (the 16th working day, counting the make-up days).
        api.Clock.Set(Beijing("2025-10-23T17:00:00"));
        await SweepTwiceAtOnceAsync();
        Assert.Equal(0, await CountAsync(id, "case.deadline_warning_raised.v1", "Case"));
        api.Clock.Set(Beijing("2025-10-24T08:00:00"));
        await SweepTwiceAtOnceAsync();
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await CountAsync(id, "case.deadline_warning_raised.v1", "Case"));
        var yellow = await BoardRowAsync(id, "Case", "departmentId=dept-361130-wjw&level=Yellow");
        Assert.Equal(4, yellow!.Value.GetProperty("remainingWorkingDays").GetInt32()); // 10-27 … 10-30
        // The department's inbox shows the board's light, the worst of the case's and the part's step deadlines under
        // the published rules (issue 16: it showed "None" with 4 days left, its own "≤ 1 day" rule on the case due only).
        var step = await BoardRowAsync(id, "Step", "departmentId=dept-361130-wjw");
        Assert.Equal("Red", step!.Value.GetProperty("level").GetString()); // still unclaimed, past the first step's share
        Assert.Equal("Red", (await InboxRowAsync(id, "/api/backoffice/inbox"))!.Value.GetProperty("warning").GetString());
        Assert.NotNull(await InboxRowAsync(id, "/api/backoffice/inbox?overdue=true"));

        api.Clock.Set(Beijing("2025-10-31T08:00:00"));
        await SweepTwiceAtOnceAsync();
        await SweepTwiceAtOnceAsync();
        Assert.Equal(1, await CountAsync(id, "case.deadline_warning_raised.v1", "Case"));
        Assert.Equal(1, await CountAsync(id, "case.deadline_went_overdue.v1", "Case"));
        var red = await BoardRowAsync(id, "Case", "departmentId=dept-361130-wjw");
        Assert.Equal("Red", red!.Value.GetProperty("level").GetString());
        Assert.True(red.Value.GetProperty("remainingWorkingDays").GetInt32() < 0);
        Assert.Equal("Red", (await InboxRowAsync(id, "/api/backoffice/inbox?overdue=true"))!.Value.GetProperty("warning").GetString());
        // The department's staff were told (outbox).
        Assert.True(await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_outbox WHERE template = 'deadline_red' AND payload->>'caseId' = '{id}'") >= 1);

        await api.DecideAsync("approver-wjw-1", id, FamilyPlanning, 3);
        await SweepTwiceAtOnceAsync();
        Assert.Null(await BoardRowAsync(id, "Case", "departmentId=dept-361130-wjw"));
        Assert.True((await api.CaseAsync(id)).GetProperty("decision").GetProperty("overdue").GetBoolean());
        // Its next deadline is the pickup (10 working days after the decision), on the centre's board.
        Assert.NotNull(await BoardRowAsync(id, "Pickup", "centreId=centre-361130100"));
    }

    [Fact]
    public async Task Pickup_needs_the_applicant_or_an_authorised_person_and_no_missing_deficiency_and_mail_records_the_waybill()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var deficient = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M05");
        await (await api.PostAsync(deficient, "acceptance-with-deficiency", new { deficiencies = new[] { new { code = "M04", dueOn = "2025-11-14" } }, commitment = "本人承诺按期补交。" })).EventsAsync();
        await api.DecideAsync("approver-rsj-2", deficient, "361130-000201002", 3);
        await (await api.PartAsync("approver-rsj-2", deficient, "361130-000201002", "result", new { documents = new[] { new { kind = "待遇核定通知", number = "宁人社待〔2025〕88号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
        await (await api.PostAsync(deficient, "handout", new { receiverName = "刘建国", receiverIdNumber = "11010519491231002X" })).ProblemAsync(422, "pickup.deficiency_outstanding");

        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await api.DecideAsync("approver-rsj-2", id, "361130-000201002", 3);
        await (await api.PartAsync("approver-rsj-2", id, "361130-000201002", "result", new { documents = new[] { new { kind = "待遇核定通知", number = "宁人社待〔2025〕89号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
        var version = await api.CaseVersionAsync(id);
        await (await api.PostAsync(id, "handout", new { receiverName = "王秀英", receiverIdNumber = "360730199001011238" })).ProblemAsync(422, "pickup.receiver_not_authorised");
        Assert.Equal(version, await api.CaseVersionAsync(id));

        await (await api.PostAsync(id, "delivery", new { method = "Mail", address = "宁都县梅江镇城南村 3 组 12 号" })).EventsAsync();
        await (await api.PostAsync(id, "mailing", new { carrier = "中国邮政 EMS", waybillNumber = "1187654321098" })).EventsAsync();
        var mailed = await api.CaseAsync(id);
        Assert.Equal("1187654321098", mailed.GetProperty("handover").GetProperty("waybillNumber").GetString());
        await (await api.PostAsync(id, "mailing/delivered", new { deliveredOn = "2025-11-03" })).EventsAsync();
        Assert.Equal("Closed", (await api.CaseAsync(id)).GetProperty("status").GetString());
    }

    /// <summary>Issue 16: the pickup stream counted 10 working days from the result's registration, the board from the decision.</summary>
    [Fact]
    public async Task The_pickup_deadline_counts_from_the_decision_on_the_board_the_case_and_the_pickup_record_alike()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00")); // Monday: decided today
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await api.DecideAsync("approver-rsj-2", id, "361130-000201002", 3);
        api.Clock.Set(Beijing("2025-11-06T10:00:00")); // Thursday: the certificate registered three working days later
        await (await api.PartAsync("approver-rsj-2", id, "361130-000201002", "result", new { documents = new[] { new { kind = "待遇核定通知", number = "宁人社待〔2025〕97号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();

        var expected = "2025-11-17"; // 10 working days after Monday 11-03 (not 11-20, 10 after the registration)
        Assert.Equal(expected, (await api.CaseAsync(id)).GetProperty("handover").GetProperty("pickupDue").GetString());
        Assert.Equal(expected, (await BoardRowAsync(id, "Pickup", $"centreId={DemoStaff.TownshipCentre}"))!.Value.GetProperty("dueOn").GetString());
        Assert.Equal(expected, await api.Db.ScalarAsync<string>($"SELECT data->>'dueOn' FROM cf_event_log WHERE type = 'pickup.result_delivered_to_window.v1' AND data->>'caseId' = '{id}'"));
    }

    [Fact]
    public async Task A_bad_rating_needs_details_and_opens_a_rectification_task_and_an_unrated_case_gets_the_default_after_7_days()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        async Task<Guid> HandedOutAsync()
        {
            var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
            await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
            await api.DecideAsync("approver-rsj-2", id, "361130-000201002", 3);
            await (await api.PartAsync("approver-rsj-2", id, "361130-000201002", "result", new { documents = new[] { new { kind = "待遇核定通知", number = $"宁人社待〔2025〕{id.ToString()[..6]}号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
            // An authorised person collects it: the authorisation is recorded.
            await (await api.PostAsync(id, "handout", new
            {
                receiverName = "王秀英", receiverIdNumber = "360730199001011238", authorisation = new { reference = "委托书 2025-11-03", grantorName = "刘建国", signedOn = "2025-11-02" },
            })).EventsAsync();
            return id;
        }

        var rated = await HandedOutAsync();
        await (await api.PostAsync(rated, "rating", new { level = "Dissatisfied", channel = "Window", named = true })).ProblemAsync(400, "rating.details_required");
        var events = await (await api.PostAsync(rated, "rating", new { level = "Dissatisfied", channel = "Window", named = true, details = "等候时间过长，窗口只开一个" })).EventsAsync();
        Assert.Equal(["case.rated.v1", "case.rectification_opened.v1"], events);
        var handover = (await api.CaseAsync(rated)).GetProperty("handover");
        Assert.Equal(new DateOnly(2025, 11, 6), handover.Date("returnVisitDue"));
        Assert.Equal(new DateOnly(2025, 11, 24), handover.Date("rectificationDue")); // 15 working days
        await (await api.PostAsync(rated, "rating", new { level = "Satisfied", channel = "Window", named = true })).ProblemAsync(422, "rating.already_rated");
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        Assert.NotNull(await BoardRowAsync(rated, "ReturnVisit", "centreId=centre-361130100"));
        Assert.NotNull(await BoardRowAsync(rated, "Rectification", "centreId=centre-361130100"));

        var unrated = await HandedOutAsync();
        api.Clock.Set(Beijing("2025-11-10T09:59:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        Assert.False((await api.CaseAsync(unrated)).GetProperty("handover").GetProperty("defaultRating").GetBoolean());
        api.Clock.Set(Beijing("2025-11-10T10:01:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        var defaulted = (await api.CaseAsync(unrated)).GetProperty("handover");
        Assert.True(defaulted.GetProperty("defaultRating").GetBoolean());
        Assert.Equal("Basic", defaulted.GetProperty("rating").GetString());
    }

    [Fact]
    public async Task The_applicant_is_told_once_after_the_command_commits_and_a_repeated_delivery_is_dropped()
    {
        api.Clock.Set(Beijing("2025-11-03T10:00:00"));
        var id = await api.ReceiveAsync("临时救助", "M00", "M01", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        // Recorded with the command; delivered by Wolverine from its durable queue (issue 15).
        var messageId = await api.Db.ScalarAsync<Guid>($"SELECT message_id FROM cf_outbox WHERE recipient = 'applicant:{id}' AND template = 'case_accepted'");
        Task<long> SentAsync() => api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_sent_messages WHERE message_id = '{messageId}'");
        // The handler sends, then marks the record: wait for the record.
        await Eventually.TrueAsync(async () => await api.Db.ScalarAsync<string>($"SELECT status FROM cf_outbox WHERE message_id = '{messageId}'") == "sent", "case_accepted sent");
        Assert.Equal(1L, await SentAsync());
        Assert.Equal(1, await api.Db.ScalarAsync<int>($"SELECT attempts FROM cf_outbox WHERE message_id = '{messageId}'"));

        // A node that died after sending but before Wolverine marked the envelope handled delivers it again on
        // recovery: the gateway drops the repeat by message id and the record is not touched.
        var dataSource = api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var payload = await api.Db.ScalarAsync<string>($"SELECT payload::text FROM cf_outbox WHERE message_id = '{messageId}'");
        await NotificationDeliveryHandler.Handle(new OutboxMessage(messageId, "applicant", $"applicant:{id}", "case_accepted",
            JsonSerializer.Deserialize<Dictionary<string, string>>(payload)!, Guid.Empty), new RecordingNotificationSender(dataSource, api.Clock), dataSource, api.Clock, default);
        Assert.Equal(1L, await SentAsync());
        Assert.Equal(1, await api.Db.ScalarAsync<int>($"SELECT attempts FROM cf_outbox WHERE message_id = '{messageId}'"));
    }
}

/// <summary>Warning rules are data an administrator publishes; every open case is re-evaluated under them.</summary>
public sealed class WarningRuleTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task An_administrator_publishes_rules_bad_rules_are_refused_and_cases_are_re_evaluated()
    {
        var admin = api.As("admin-1");
        var current = await admin.GetFromJsonAsync<JsonElement>("/api/warning-rules");
        Assert.Equal(0, current.GetProperty("version").GetInt32());
        Assert.Contains(current.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == "JC-01-Y" && r.GetProperty("remainingWorkingDays").GetInt32() == 1);

        var rules = current.GetProperty("rules").EnumerateArray().Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.GetRawText())!.AsObject()).ToList();
        var withoutRed = rules.Where(r => r["id"]!.GetValue<string>() != "JC-01-R").ToList();
        await (await admin.PutAsJsonAsync("/api/admin/warning-rules", new { rules = withoutRed, note = "x" })).ProblemAsync(400, "warning.red_rule_required");
        await (await api.As("clerk-tw-1").PutAsJsonAsync("/api/admin/warning-rules", new { rules, note = "x" })).ProblemAsync(403, "auth.forbidden");

        // Yellow at 3 working days left instead of 1, for the case deadline.
        rules.Single(r => r["id"]!.GetValue<string>() == "JC-01-Y")["remainingWorkingDays"] = 3;
        Assert.True((await admin.PutAsJsonAsync("/api/admin/warning-rules", new { rules, note = "县电子监察室：提前 3 个工作日黄灯" })).IsSuccessStatusCode);
        Assert.Equal(0L, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_cases WHERE watched_version > 0"));
        var published = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/warning-rules");
        Assert.Equal(1, published.GetProperty("version").GetInt32());
        Assert.Equal(3, published.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "JC-01-Y").GetProperty("remainingWorkingDays").GetInt32());
    }
    /// <summary>
    /// Issue 16: publishing a holiday arrangement only cleared one host's calendar cache; the board kept the
    /// provisional deadlines until each case changed. Now every open case is counted again on the next pass.
    /// </summary>
    [Fact]
    public async Task Publishing_a_holiday_arrangement_re_evaluates_provisional_deadlines_on_the_board()
    {
        api.Clock.Set(DateTimeOffset.Parse("2027-12-27T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)); // Monday
        var id = await api.ReceiveAsync("计划生育家庭奖励扶助", "M00", "M01", "M02");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        var sweeper = api.Services.GetRequiredService<CaseSweeper>();
        await sweeper.RunOnceAsync();
        async Task<JsonElement> RowAsync()
        {
            var board = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/supervision/board?departmentId=dept-361130-wjw&scope=Case&limit=500");
            return board.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("caseId").GetGuid() == id);
        }
        var before = await RowAsync();
        Assert.Equal("2028-01-24", before.GetProperty("dueOn").GetString()); // 20 working days, weekends and 1/1 only
        Assert.True(before.GetProperty("provisional").GetBoolean());

        var admin = api.As("admin-1");
        Assert.True((await admin.PutAsJsonAsync("/api/admin/calendar/2027", new { holidays = new[] { "2027-01-01" }, makeUpWorkdays = Array.Empty<string>(), source = "2027年安排（示例）" })).IsSuccessStatusCode);
        Assert.True((await admin.PutAsJsonAsync("/api/admin/calendar/2028", new { holidays = new[] { "2028-01-01", "2028-01-02", "2028-01-03" }, makeUpWorkdays = Array.Empty<string>(), source = "2028年安排（示例）" })).IsSuccessStatusCode);
        await sweeper.RunOnceAsync();

        var after = await RowAsync();
        Assert.Equal("2028-01-25", after.GetProperty("dueOn").GetString()); // Monday 01-03 is a day off now
        Assert.False(after.GetProperty("provisional").GetBoolean());
    }
}
