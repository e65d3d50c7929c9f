using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Api.Seeding;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 13, "done means" 2: a seeded, bounded fuzz of every write operation in contracts/openapi.json. Each request
/// starts from a valid request for its endpoint — real demo ids in the path, a caller of the role that may make it, a
/// body that would be accepted as the case stands — and makes exactly one thing malformed: a member of the body (control
/// characters, null in a list, wrong JSON type, 1 MB string, undefined enum, bad id, out-of-range number, extreme date),
/// a path segment, or the body as a whole (media type, none, not JSON). One in five also carries junk in the query
/// string (no write operation binds a query value, so it never is the only thing wrong).
/// <para>
/// Every candidate is sent once, in an order, with salts and query junk drawn from <c>new Random(20261201)</c>. Since
/// every request is malformed, none may be accepted, crash the host (5xx) or be refused without problem details and a
/// <c>code</c>, and none may write an event or take a case number; events are traced to the request that wrote them by
/// the <c>X-Causation-Id</c> each request carries. Set <c>CASEFLOW_FUZZ_DUMP</c> to a file name to get every request
/// and its answer.
/// </para>
/// </summary>
public sealed class FuzzTests(DemoApiFactory api, ITestOutputHelper output) : IClassFixture<DemoApiFactory>
{
    private const int Seed = 20261201;
    private const int RequestsToSend = 2400;
    private const string ReliefPart = "361130-000401003";  // 临时救助: the part of the county 民政局
    private const string PensionPart = "361130-000201002"; // 城乡居民基本养老保险待遇申领: the part of the county 人社局
    private const string ProblemJson = "application/problem+json";

    /// <summary>1 MB of text; of id characters only, so that for an id its length alone is wrong.</summary>
    private static readonly string Megabyte = new('a', 1 << 20);

    /// <summary>The longest path segment a <see cref="Uri"/> can carry (a URI is at most 65,519 characters).</summary>
    private static readonly string LongSegment = new('a', 60_000);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly object Applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X", phone = "13907971234" };

    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    [Fact]
    public async Task Thousands_of_malformed_writes_to_every_endpoint_are_refused_with_problem_details_and_write_nothing()
    {
        var contract = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "contracts", "openapi.json")))!;
        var operations = WriteOperations(contract).ToList();
        var targets = await TargetsAsync();
        var untargeted = operations.Where(o => !targets.ContainsKey(o.Key)).Select(o => o.Key).ToList();
        Assert.True(untargeted.Count == 0, "write operations without a fuzz target (add one to TargetsAsync): " + string.Join(", ", untargeted));

        var random = new Random(Seed);
        var candidates = operations.SelectMany(o => Candidates(o, targets[o.Key], contract)).ToList();
        var plan = Plan(candidates, random);

        var eventsBefore = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log");
        var numbersBefore = await NumbersTakenAsync();
        var clock = Stopwatch.StartNew();
        var results = new Result[plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => results[i] = await SendAsync(i, plan[i], ct));
        clock.Stop();

        // Events and case numbers, traced to the requests that wrote them.
        var eventsByRequest = new Dictionary<int, long>();
        await using (var cmd = api.Db.DataSource.CreateCommand(
            "SELECT metadata->>'causationId', count(*) FROM cf_event_log WHERE metadata->>'causationId' LIKE 'fuzz-%' GROUP BY 1"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                eventsByRequest[int.Parse(reader.GetString(0)["fuzz-".Length..], CultureInfo.InvariantCulture)] = reader.GetInt64(1);
        }
        var eventsAfter = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log");
        var numbersAfter = await NumbersTakenAsync();

        // Every request is malformed by design, so every one must be refused: a 2xx is the product accepting what it must not.
        var accepted = results.Where(r => r.Status is >= 200 and < 300).ToList();
        var violations = new List<string>();
        foreach (var r in results)
        {
            var written = eventsByRequest.GetValueOrDefault(r.Index);
            if (r.Status is 0 or >= 500)
                violations.Add($"[1: {(r.Status == 0 ? "no answer" : "5xx")}] {Describe(r)}");
            else if (r.Status is >= 400 and < 500 && (r.MediaType != ProblemJson || string.IsNullOrEmpty(r.Code)))
                violations.Add($"[2: 4xx without problem details and code] {Describe(r)}");
            else if (r.Status is >= 200 and < 300)
                violations.Add($"[3: a malformed request was accepted and wrote {written} event(s)] {Describe(r)}");
            else if (r.Status is < 200 or (>= 300 and < 400))
                violations.Add($"[unexpected status] {Describe(r)}");
            if (r.Status is not (>= 200 and < 300) && written > 0)
                violations.Add($"[3: a refused request wrote {written} event(s)] {Describe(r)}");
        }
        if (eventsAfter != eventsBefore)
        {
            violations.Add($"[3] cf_event_log went from {eventsBefore} to {eventsAfter}: {eventsByRequest.Values.Sum()} written by fuzz requests " +
                $"({accepted.Sum(r => eventsByRequest.GetValueOrDefault(r.Index))} by the {accepted.Count} accepted ones), {eventsAfter - eventsBefore - eventsByRequest.Values.Sum()} by nobody known");
        }
        if (numbersAfter != numbersBefore)
        {
            violations.Add($"[4] case numbers taken went from {numbersBefore} to {numbersAfter}; " +
                $"{accepted.Count(r => r.Request.Operation == "POST /api/window/cases")} receipt(s) were accepted");
        }

        var summary = Summary(results, candidates.Count, clock.Elapsed, accepted);
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("CASEFLOW_FUZZ_DUMP") is { Length: > 0 } dump)
            await File.WriteAllLinesAsync(dump, results.Select(Describe)); // every request and its answer, to read at leisure
        Assert.True(results.Length >= 2000, $"only {results.Length} malformed requests were sent");
        if (violations.Count > 0)
            Assert.Fail($"{violations.Count} violation(s) in {results.Length} malformed requests:\n\n{string.Join("\n\n", violations)}\n\n{summary}");
    }

    [Fact]
    public async Task Twenty_parallel_copies_of_one_receipt_with_one_Idempotency_Key_create_one_case_and_take_one_case_number()
    {
        var itemId = await WindowItemAsync("最低生活保障");
        var body = JsonSerializer.Serialize(new
        {
            windowId = "window-tw-1", itemId, applicant = Applicant,
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" } },
        });
        var clerk = Client("clerk-tw-1");
        async Task<(int Status, string? Replayed, string? Code, string Body)> ReceiveAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/window/cases", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "fuzz-receipt-20261201");
            using var response = await clerk.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var code = response.Content.Headers.ContentType?.MediaType == ProblemJson ? JsonDocument.Parse(text).RootElement.GetProperty("code").GetString() : null;
            return ((int)response.StatusCode, response.Headers.TryGetValues("Idempotent-Replayed", out var v) ? string.Join(",", v) : null, code, text);
        }

        var numbersBefore = await NumbersTakenAsync();
        var receivedBefore = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReceiveAsync()));

        var first = Assert.Single(answers, a => a.Status == 201 && a.Replayed is null);
        var others = answers.Where(a => a != first).ToList();
        Assert.All(others, a => Assert.True(
            (a.Status == 201 && a.Replayed == "true" && a.Body == first.Body) || (a.Status == 409 && a.Code == "idempotency.in_progress"),
            $"a concurrent copy was answered {a.Status} (Idempotent-Replayed: {a.Replayed ?? "-"}, code {a.Code ?? "-"}): {a.Body}"));
        Assert.Equal(19, others.Count);
        Assert.Equal(numbersBefore + 1, await NumbersTakenAsync());
        Assert.Equal(receivedBefore + 1, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'"));

        for (var i = 0; i < 5; i++)
        {
            var replay = await ReceiveAsync();
            Assert.Equal(201, replay.Status);
            Assert.Equal("true", replay.Replayed);
            Assert.Equal(first.Body, replay.Body);
        }
        Assert.Equal(numbersBefore + 1, await NumbersTakenAsync());
        Assert.Equal(receivedBefore + 1, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'"));
    }

    // ───────────────────────────── the targets: a valid request for every write operation ─────────────────────────────

    /// <summary>Who calls an operation, the real ids in its path and a body the endpoint would accept.</summary>
    private sealed record Target(string? Actor, IReadOnlyDictionary<string, string> Path, JsonNode? Body, bool BodyOptional = false);

    /// <summary>
    /// The demo's ids (found through SQL and the API), a few cases brought to the states some endpoints need, and
    /// for each write operation a request that would succeed as it stands.
    /// </summary>
    private async Task<Dictionary<string, Target>> TargetsAsync()
    {
        // Cases of the demo by what happened to them (DemoSeeder.SeedCasesAsync), and the ids that go with them.
        var received = await CaseWithEventsAsync("received", "number_assigned");
        var noticed = await CaseWithEventsAsync("received", "number_assigned", "one_time_notice_issued");
        var claimed = await CaseWithEventsAsync("received", "number_assigned", "accepted", "dispatched", "claimed", "step_completed");
        var deficient = await CaseWithEventsAsync("received", "number_assigned", "accepted_with_deficiency", "dispatched");
        var rated = await StreamAsync("SELECT stream_id FROM cf_event_log WHERE type = 'case.rectification_opened.v1' ORDER BY seq LIMIT 1");
        var bundle = await StreamAsync("SELECT stream_id FROM cf_event_log WHERE type = 'case.supervision_ordered.v1' ORDER BY seq LIMIT 1");
        var order = await StreamAsync("SELECT (data->>'orderId')::uuid FROM cf_event_log WHERE stream_id = $1 AND type = 'case.supervision_ordered.v1' ORDER BY seq LIMIT 1", bundle);
        var evidence = await StreamAsync("SELECT id FROM cf_event_log WHERE stream_id = $1 ORDER BY version LIMIT 1", bundle);
        var notice = await StreamAsync("SELECT stream_id FROM cf_event_log WHERE type = 'notice.issued.v1' ORDER BY seq LIMIT 1");
        var inquiry = await StreamAsync(
            "SELECT stream_id FROM cf_event_log GROUP BY stream_id HAVING string_agg(type, ',') = 'inquiry.registered.v1' AND min(metadata->>'actorId') = 'clerk-tw-1' ORDER BY min(seq) LIMIT 1");
        var post = await StreamAsync("SELECT post_id FROM cf_posts WHERE a_holder_id = 'clerk-tw-1' AND b_holder_id = 'clerk-tw-2' LIMIT 1");
        var township = await StreamAsync("SELECT centre_id FROM cf_centres WHERE centre_code = $1", DemoStaff.TownshipCentre);
        var receiptItem = await WindowItemAsync("最低生活保障");
        var reliefItem = await WindowItemAsync("临时救助");
        var pensionItem = await WindowItemAsync("城乡居民基本养老保险待遇申领");
        var revised = ((await Client("admin-1").GetFromJsonAsync<JsonElement>("/api/catalogue/items?q=社会保障卡补换领")).GetProperty("items")).EnumerateArray().First();
        var calendar = await Client("admin-1").GetFromJsonAsync<JsonElement>("/api/calendar/2025");

        // States the demo lacks, so that every valid request would succeed as the case stands.
        var clerk = Client("clerk-tw-1");
        var incomplete = (await Expect(await clerk.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId = pensionItem, applicant = Applicant,
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" }, new { code = "M05", state = "Present" } }, // M04 (non-key) missing
        }))).GetProperty("id").GetGuid();
        var suspendable = await ReliefCaseClaimedAsync(reliefItem);
        var suspended = await ReliefCaseClaimedAsync(reliefItem);
        await Work(suspended, "suspension", new { procedure = "专家评审", reason = "家庭财产状况需组织专家评审" });
        var returned = await ReliefCaseClaimedAsync(reliefItem);
        await Work(returned, "steps", new { action = "ReturnToWindow", opinion = "困难情况说明未写明致困原因，请窗口补正" });
        var decided = await ReliefCaseDecidedAsync(reliefItem);
        var ready = await ReliefResultAtTheWindowAsync(reliefItem);
        var mailed = await ReliefResultAtTheWindowAsync(reliefItem);
        await Expect(await clerk.PostAsJsonAsync($"/api/window/cases/{mailed}/mailing", new { carrier = "中国邮政 EMS", waybillNumber = "1187654321098", address = "宁都县梅江镇城南村 3 组 12 号" }));
        var handedOut = await ReliefResultAtTheWindowAsync(reliefItem);
        await Expect(await clerk.PostAsJsonAsync($"/api/window/cases/{handedOut}/handout", new { receiverName = "刘建国", receiverIdNumber = "11010519491231002X" }));
        await Expect(await Client("supervisor-cty-1").PostAsJsonAsync($"/api/supervision/cases/{bundle}/accountability", new
        {
            targetKind = "Department", targetId = "dept-361130-bdc", targetName = "宁都县不动产登记中心", measure = "Reminder", facts = "转移登记环节超出时限", evidenceEventIds = new[] { evidence },
        }));
        var record = (await Client("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/supervision/cases/{bundle}")).GetProperty("accountabilityRecords")[0].GetProperty("recordId").GetGuid();

        // 预约 (issue 17): the township's items and a slot, and a booking to change or cancel.
        var admin = Client("admin-1");
        await Expect(await admin.PutAsJsonAsync($"/api/admin/appointments/centres/{DemoStaff.TownshipCentre}/items", new { itemCodes = new[] { PensionPart } }));
        await Expect(await admin.PostAsJsonAsync($"/api/admin/appointments/centres/{DemoStaff.TownshipCentre}/slots", new
        {
            slots = new[]
            {
                new { windowId = "window-tw-1", day = "2025-10-23", from = "09:00:00", to = "12:00:00", kind = "Regular", capacity = 50 },
                new { windowId = "window-tw-1", day = "2025-10-23", from = "18:00:00", to = "20:00:00", kind = "Extended", capacity = 50 },
            },
        }));
        var morning = CaseFlow.Domain.Appointments.SlotDefinition.IdFor("window-tw-1", new DateOnly(2025, 10, 23), new TimeOnly(9, 0));
        var evening = CaseFlow.Domain.Appointments.SlotDefinition.IdFor("window-tw-1", new DateOnly(2025, 10, 23), new TimeOnly(18, 0));
        object Booker(string idNumber) => new { name = "刘建国", residentIdNumber = idNumber, phone = "13907971234" };
        var booking = (await Expect(await clerk.PostAsJsonAsync("/api/window/appointments", new { slotId = morning, itemCode = PensionPart, applicant = Booker("11010519491231002X") })))
            .GetProperty("id").GetGuid();
        var online = (await Expect(await Client(null).PostAsJsonAsync("/api/public/appointments", new { slotId = morning, itemCode = PensionPart, applicant = Booker("360730199001011238") })))
            .GetProperty("id").GetGuid();
        // 投诉举报 (issue 17): one open complaint to answer, one answered to call back.
        object complaintBody = new
        {
            source = "Phone", against = "Person", targetId = "clerk-tw-2", facts = "窗口人员未一次性告知所需材料。", anonymous = false, complainantName = "刘建国", complainantPhone = "13907971234",
        };
        var openComplaint = (await Expect(await clerk.PostAsJsonAsync("/api/complaints", complaintBody))).GetProperty("id").GetGuid();
        var answeredComplaint = (await Expect(await clerk.PostAsJsonAsync("/api/complaints", complaintBody))).GetProperty("id").GetGuid();
        await Expect(await Client("supervisor-cty-1").PostAsJsonAsync($"/api/supervision/complaints/{answeredComplaint}/answer", new { finding = "NotSubstantiated", answer = "经核实不属实。" }));

        string Id(Guid g) => g.ToString();
        Dictionary<string, string> P(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        JsonNode J(object body) => JsonSerializer.SerializeToNode(body)!;
        var none = P();
        var clerk2 = DemoStaff.Find("clerk-tw-2");
        var item = new
        {
            basicCode = "00020100605", implementationCode = "361130-000201006", name = "被征地农民养老保险待遇申领", itemType = "05", category = "社会保障",
            acceptanceLevel = "Township", decisionLevel = "County", agentMaySubmit = true, caseKind = "Promised", statutoryLimitWorkingDays = 20, promisedLimitWorkingDays = 10,
            materials = new[]
            {
                new { code = "M00", name = "申请表", required = true, key = true, original = true, copies = 1, commitmentAllowed = false },
                new { code = "M02", name = "征地批复文件", required = true, key = false, original = false, copies = 1, commitmentAllowed = true },
            },
            handlingDepartments = new[] { "dept-361130-rsj" },
            steps = new[]
            {
                new { name = "承办", departmentId = "dept-361130-rsj", shareWorkingDays = 5 },
                new { name = "审核", departmentId = "dept-361130-rsj", shareWorkingDays = 3 },
                new { name = "决定", departmentId = "dept-361130-rsj", shareWorkingDays = 2 },
            },
            feeYuan = 0, legalBasis = "《中华人民共和国社会保险法》",
        };
        var rules = new JsonArray();
        foreach (var scope in new[] { "Case", "Step", "Pickup", "NoticePeriod", "AgentForwarding", "ReturnVisit", "Rectification", "Complaint" })
        {
            var n = rules.Count / 2 + 1;
            rules.Add(new JsonObject { ["id"] = $"JC-0{n}-Y", ["scope"] = scope, ["level"] = "Yellow", ["remainingWorkingDays"] = 2, ["usedPercent"] = 80 });
            rules.Add(new JsonObject { ["id"] = $"JC-0{n}-R", ["scope"] = scope, ["level"] = "Red" });
        }

        return new Dictionary<string, Target>(StringComparer.Ordinal)
        {
            ["POST /api/admin/catalogue/bundles"] = new("admin-1", none, J(new
            {
                code = "YJS-361130-004", name = "新生儿出生“一件事”", itemCodes = new[] { "361130-000501002", "361130-000301002" },
                leadDepartmentId = "dept-361130-gaj", coDepartmentIds = new[] { "dept-361130-ybj" }, combinedPromisedLimitWorkingDays = 5, jointStatutoryLimitWorkingDays = 20,
            })),
            ["POST /api/admin/catalogue/items"] = new("admin-1", none, J(item)),
            ["PUT /api/admin/catalogue/items/{id}"] = new("admin-1", P(("id", revised.GetProperty("id").GetString()!)),
                new JsonObject { ["definition"] = JsonNode.Parse(revised.GetProperty("definition").GetRawText()), ["changeNote"] = "补充近期免冠照片的份数要求" }),
            ["PUT /api/admin/calendar/{year}"] = new("admin-1", P(("year", "2025")), new JsonObject
            {
                ["holidays"] = JsonNode.Parse(calendar.GetProperty("holidays").GetRawText()),
                ["makeUpWorkdays"] = JsonNode.Parse(calendar.GetProperty("makeUpWorkdays").GetRawText()),
                ["source"] = calendar.GetProperty("source").GetString(),
            }),
            ["POST /api/admin/projections/{name}/rebuild"] = new("admin-1", P(("name", "ledger_inquiries")), null),
            ["POST /api/admin/dead-letters/{id}/replay"] = new("admin-1", P(("id", Guid.NewGuid().ToString())), null),
            ["POST /api/admin/organisation/centres"] = new("admin-1", none, J(new
            {
                centreCode = "station-361130100202", name = "城北村便民服务站",
                region = new { code = "361130100202", name = "城北村", level = "Village", parentCode = DemoStaff.TownshipRegion },
            })),
            ["POST /api/admin/organisation/centres/{id}/departments"] = new("admin-1", P(("id", Id(township))), J(new { departmentId = "dept-361130100-nyb", name = "梅江镇农业农村办" })),
            ["POST /api/admin/organisation/centres/{id}/windows"] = new("admin-1", P(("id", Id(township))), J(new
            {
                windowId = "window-tw-5", number = "5", kind = "Specialised", category = "民生", acceptedCategories = new[] { "民政" }, acceptedItemCodes = new[] { ReliefPart },
            })),
            ["POST /api/admin/organisation/staff"] = new("admin-1", none, J(new
            {
                staffId = "clerk-tw-9", name = "王芳", role = "Clerk", unitId = DemoStaff.TownshipCentre, unitName = DemoStaff.TownshipCentreName + "综合窗口", centreId = DemoStaff.TownshipCentre,
            })),
            ["POST /api/admin/organisation/posts"] = new("admin-1", none, J(new
            {
                centreId = township, name = "梅江镇综合窗口建设岗", aHolderId = "clerk-tw-1", aHolderName = DemoStaff.Find("clerk-tw-1").Name, bHolderId = clerk2.Id, bHolderName = clerk2.Name,
            })),
            ["PUT /api/admin/warning-rules"] = new("admin-1", none, new JsonObject { ["rules"] = rules, ["note"] = "县电子监察室：承诺件提前 2 个工作日黄灯" }),
            ["POST /api/backoffice/cases/{id}/extension"] = new("head-rsj-1", P(("id", Id(deficient))), J(new { workingDays = 5, reason = "需向外省核实参保缴费记录" })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/claim"] = new("approver-rsj-1", P(("id", Id(deficient)), ("partId", PensionPart)), null),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/steps"] = new("approver-mzj-1", P(("id", Id(claimed)), ("partId", ReliefPart)), J(new { action = "Pass", opinion = "审核同意。" })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/decision"] = new("approver-mzj-1", P(("id", Id(claimed)), ("partId", ReliefPart)),
                J(new { approved = false, opinion = "申请人家庭收入高于救助标准。", legalBasis = "《社会救助暂行办法》第四十七条", reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院" })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/result"] = new("approver-mzj-1", P(("id", Id(decided)), ("partId", ReliefPart)), J(new
            {
                documents = new[] { new { kind = "临时救助金发放通知", number = "宁民救〔2025〕0101号", validFrom = "2025-09-26", validUntil = "2026-09-25" } }, sealId = "seal-361130-spj-01",
            })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/suspension"] = new("approver-mzj-1", P(("id", Id(suspendable)), ("partId", ReliefPart)), J(new { procedure = "专家评审", reason = "家庭财产状况需组织专家评审" })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/resumption"] = new("approver-mzj-1", P(("id", Id(suspended)), ("partId", ReliefPart)), null),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/correction"] = new("approver-mzj-1", P(("id", Id(claimed)), ("partId", ReliefPart)),
                J(new { items = new[] { new { code = "M05", reason = "困难情况说明未写明致困原因", legalBasis = "《社会救助暂行办法》第四十八条" } } })),
            ["POST /api/backoffice/cases/{id}/parts/{partId}/reassignment"] = new("head-rsj-1", P(("id", Id(deficient)), ("partId", PensionPart)),
                J(new { toId = "approver-rsj-2", toName = DemoStaff.Find("approver-rsj-2").Name, reason = "A岗请假，改由B岗承办" })),
            ["POST /dev/tokens"] = new(null, none, J(new { staffId = "clerk-tw-1" })),
            ["PUT /api/admin/appointments/centres/{centreId}/items"] = new("admin-1", P(("centreId", DemoStaff.TownshipCentre)), J(new { itemCodes = new[] { PensionPart, ReliefPart } })),
            ["POST /api/admin/appointments/centres/{centreId}/slots"] = new("admin-1", P(("centreId", DemoStaff.TownshipCentre)), J(new
            {
                slots = new[] { new { windowId = "window-tw-1", day = "2025-10-24", from = "09:00:00", to = "10:00:00", kind = "Regular", capacity = 5 } },
            })),
            ["POST /api/window/appointments"] = new("clerk-tw-1", none, J(new { slotId = morning, itemCode = PensionPart, applicant = Booker("361130195503120776") })),
            ["POST /api/window/appointments/{id}/reschedule"] = new("clerk-tw-1", P(("id", Id(booking))), J(new { slotId = evening })),
            ["POST /api/window/appointments/{id}/cancellation"] = new("clerk-tw-1", P(("id", Id(booking))), J(new { reason = "申请人来电取消" })),
            ["POST /api/public/appointments"] = new(null, none, J(new { centreId = DemoStaff.TownshipCentre, startsAt = "2025-10-23T18:00:00+08:00", itemCode = PensionPart, applicant = Booker("11010519491231002X") })),
            ["POST /api/public/appointments/{id}/reschedule"] = new(null, P(("id", Id(online))), J(new { slotId = evening, idNumber = "360730199001011238" })),
            ["POST /api/public/appointments/{id}/cancellation"] = new(null, P(("id", Id(online))), J(new { reason = "行程有变", idNumber = "360730199001011238" })),
            ["POST /api/organisation/posts/{id}/absences"] = new("clerk-tw-1", P(("id", Id(post))),
                J(new { holderId = "clerk-tw-1", whereabouts = "Leave", from = "2025-09-29T08:30:00+08:00", to = "2025-09-30T17:30:00+08:00", note = "病假" })),
            ["POST /api/cases/{id}/supervision-orders/{orderId}/answer"] = new("clerk-cty-1", P(("id", Id(bundle)), ("orderId", Id(order))), J(new { answer = "不动产转移登记已审核完毕，今日登簿。" })),
            ["POST /api/supervision/ratings/{id}/return-visit"] = new("supervisor-cty-1", P(("id", Id(rated))), J(new { text = "已电话回访申请人，说明窗口增开情况。" })),
            ["POST /api/supervision/ratings/{id}/rectification"] = new("supervisor-cty-1", P(("id", Id(rated))), J(new { text = "已增开一个民生窗口，高峰期弹性排班。" })),
            ["POST /api/supervision/ratings/{id}/void"] = new("supervisor-cty-1", P(("id", Id(rated))), J(new { text = "经核实系误评，申请人已书面说明。" })),
            ["POST /api/supervision/cases/{id}/orders"] = new("supervisor-cty-1", P(("id", Id(bundle))), J(new { instruction = "请于三个工作日内办结并说明超期原因", dueOn = "2025-10-10" })),
            ["POST /api/supervision/cases/{id}/accountability"] = new("supervisor-cty-1", P(("id", Id(bundle))), J(new
            {
                targetKind = "Person", targetId = "approver-bdc-1", targetName = DemoStaff.Find("approver-bdc-1").Name, measure = "Interview", facts = "转移登记环节超出时限", evidenceEventIds = new[] { evidence },
            })),
            ["POST /api/supervision/cases/{id}/accountability/{recordId}/conclusion"] = new("supervisor-cty-1", P(("id", Id(bundle)), ("recordId", Id(record))),
                J(new { outcome = "已约谈部门负责人，责令限期整改。" })),
            ["POST /api/window/cases/{id}/delivery"] = new("clerk-tw-1", P(("id", Id(ready))), J(new { method = "Mail", address = "宁都县梅江镇城南村 3 组 12 号" })),
            ["POST /api/window/cases/{id}/handout"] = new("clerk-tw-1", P(("id", Id(ready))), J(new
            {
                receiverName = "王秀英", receiverIdNumber = "360730199001011238", authorisation = new { reference = "委托书〔2025〕09号", grantorName = "刘建国", signedOn = "2025-09-25" },
            })),
            ["POST /api/window/cases/{id}/mailing"] = new("clerk-tw-1", P(("id", Id(ready))), J(new { carrier = "中国邮政 EMS", waybillNumber = "1187654321098", address = "宁都县梅江镇城南村 3 组 12 号" })),
            ["POST /api/window/cases/{id}/mailing/delivered"] = new("clerk-tw-1", P(("id", Id(mailed))), J(new { deliveredOn = "2025-09-26" })),
            ["POST /api/window/cases/{id}/rating"] = new("clerk-tw-1", P(("id", Id(handedOut))), J(new { level = "Dissatisfied", channel = "Window", details = "等候时间过长", named = true })),
            // 网上办 (issue 17): unsigned, every malformed body is refused before it is read (401 platform.*); the signed
            // body's validation is OnlineSubmissionTests.Electronic_materials_and_the_target_are_validated_….
            ["POST /api/platform/online-submissions"] = new(null, none, J(new
            {
                submissionId = "GFT-FUZZ-0001", centreCode = DemoStaff.TownshipCentre, itemCode = "361130-000201002", applicant = Applicant, submittedAt = "2025-09-26T09:12:00+08:00",
                materials = new[] { new { code = "M00", fileName = "申请表.pdf", mediaType = "application/pdf", sizeBytes = 1024, sha256 = new string('a', 64), fileReference = "jxzwfw://files/M00" } },
            })),
            ["POST /api/window/cases"] = new("clerk-tw-1", none, J(new
            {
                windowId = "window-tw-1", itemId = receiptItem, applicant = Applicant, channel = "Window",
                materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" } },
            })),
            ["POST /api/window/cases/{id}/acceptance"] = new("clerk-tw-1", P(("id", Id(received))), J(new { result = "材料齐全，予以受理" }), BodyOptional: true),
            ["POST /api/window/cases/{id}/acceptance-with-deficiency"] = new("clerk-tw-1", P(("id", Id(incomplete))),
                J(new { deficiencies = new[] { new { code = "M04", dueOn = "2025-10-09" } }, commitment = "本人承诺在期限内补交社保卡复印件，逾期未补交的同意终止办理。" })),
            ["POST /api/window/cases/{id}/notices"] = new("clerk-tw-1", P(("id", Id(incomplete))),
                J(new { items = new[] { new { code = "M04", reason = "未提交本人银行账户（社保卡）复印件", legalBasis = "《中华人民共和国社会保险法》第二十二条" } } })),
            ["POST /api/window/cases/{id}/notices/{noticeId}/stub"] = new("clerk-tw-1", P(("id", Id(noticed)), ("noticeId", Id(notice))), J(new { signedBy = "申请人本人" })),
            ["POST /api/window/cases/{id}/supplements"] = new("clerk-tw-1", P(("id", Id(noticed))), J(new { materials = new[] { new { code = "M05", state = "Present" } } })),
            ["POST /api/window/cases/{id}/rejection"] = new("clerk-tw-1", P(("id", Id(received))), J(new
            {
                reason = "申请人户籍不在本镇", legalBasis = "《社会救助暂行办法》第四十八条", notCompetent = true, competentBody = "户籍所在地乡镇人民政府",
                reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
            })),
            ["POST /api/window/cases/{id}/parts/{partId}/resubmission"] = new("clerk-tw-1", P(("id", Id(returned)), ("partId", ReliefPart)), J(new { note = "已补正困难情况说明" })),
            ["POST /api/window/cases/{id}/escalation"] = new("clerk-tw-1", P(("id", Id(received))),
                J(new { reason = "申请人反映多次办理未果", coordinatorId = clerk2.Id, coordinatorName = clerk2.Name, dueOn = "2025-10-10" })),
            ["POST /api/window/cases/{id}/escalation/resolution"] = new("clerk-tw-1", P(("id", Id(received))), J(new { resolution = "已协调民政所当场答复" })),
            ["POST /api/complaints"] = new("clerk-tw-1", none, J(complaintBody)),
            ["POST /api/supervision/complaints/{id}/answer"] = new("supervisor-cty-1", P(("id", Id(openComplaint))), J(new
            {
                finding = "Substantiated", answer = "经调阅录像核实属实，已提醒当事人。", measure = "Reminder", accountableKind = "Person", accountableId = "clerk-tw-2",
            })),
            ["POST /api/supervision/complaints/{id}/return-visit"] = new("supervisor-cty-1", P(("id", Id(answeredComplaint))), J(new { satisfaction = "Satisfied", note = "电话回访，投诉人认可答复。" })),
            ["POST /api/window/whereabouts"] = new("clerk-tw-1", none, J(new
            {
                windowId = "window-tw-1", reason = "到档案室调取档案", expectedReturnAt = api.Clock.GetUtcNow().AddMinutes(30), contact = "0797-6821234",
            })),
            ["POST /api/window/whereabouts/return"] = new("clerk-tw-1", none, null),
            ["POST /api/window/inquiries"] = new("clerk-tw-1", none, J(new
            {
                enquirerName = "刘建国", enquirerPhone = "13907971234", topic = "城乡居民养老保险参保登记需要哪些材料", serviceItemCode = "361130-000201001", channel = "Window",
            })),
            ["POST /api/window/inquiries/{id}/answer"] = new("clerk-tw-1", P(("id", Id(inquiry))), J(new { answer = "已一次性告知所需材料清单并提供样表。" })),
            ["POST /api/window/inquiries/{id}/refer"] = new("clerk-tw-1", P(("id", Id(inquiry))),
                J(new { targetWindowId = "window-tw-1", targetPersonId = clerk2.Id, targetPersonName = clerk2.Name, reason = "涉及社保业务，转社保专窗" })),
        };
    }

    /// <summary>A 临时救助 case received and accepted at the township window, claimed by the county 民政局.</summary>
    private async Task<Guid> ReliefCaseClaimedAsync(Guid itemId)
    {
        var clerk = Client("clerk-tw-1");
        var received = await Expect(await clerk.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId, applicant = Applicant,
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" }, new { code = "M05", state = "Present" } },
        }));
        var id = received.GetProperty("id").GetGuid();
        await Expect(await clerk.PostAsJsonAsync($"/api/window/cases/{id}/acceptance", new { }));
        await Expect(await Client("approver-mzj-1").PostAsync(new Uri($"/api/backoffice/cases/{id}/parts/{ReliefPart}/claim", UriKind.Relative), null));
        return id;
    }

    /// <summary>… and approved after 承办 and 审核.</summary>
    private async Task<Guid> ReliefCaseDecidedAsync(Guid itemId)
    {
        var id = await ReliefCaseClaimedAsync(itemId);
        await Work(id, "steps", new { action = "Pass", opinion = "经入户核查，情况属实。" });
        await Work(id, "steps", new { action = "Pass", opinion = "审核同意。" });
        await Work(id, "decision", new { approved = true, opinion = "符合条件，准予临时救助。" });
        return id;
    }

    /// <summary>… with its result registered and sent to the window for pickup.</summary>
    private async Task<Guid> ReliefResultAtTheWindowAsync(Guid itemId)
    {
        var id = await ReliefCaseDecidedAsync(itemId);
        await Work(id, "result", new { documents = new[] { new { kind = "临时救助金发放通知", number = $"宁民救〔2025〕{id.ToString()[..4]}号" } }, sealId = "seal-361130-spj-01" });
        return id;
    }

    private async Task Work(Guid reliefCase, string action, object body) =>
        await Expect(await Client("approver-mzj-1").PostAsJsonAsync($"/api/backoffice/cases/{reliefCase}/parts/{ReliefPart}/{action}", body));

    // ───────────────────────────── the contract ─────────────────────────────

    private sealed record Operation(string Method, string Template, IReadOnlyList<(string Name, JsonObject Schema)> PathParameters, JsonObject? BodySchema)
    {
        public string Key => $"{Method} {Template}";
    }

    private static IEnumerable<Operation> WriteOperations(JsonNode contract)
    {
        foreach (var (template, methods) in contract["paths"]!.AsObject())
        {
            foreach (var (method, op) in methods!.AsObject())
            {
                if (method is not ("post" or "put" or "patch" or "delete"))
                    continue;
                var parameters = (op!["parameters"]?.AsArray() ?? [])
                    .Where(p => (string?)p!["in"] == "path")
                    .Select(p => ((string)p!["name"]!, p["schema"]!.AsObject()))
                    .ToList();
                var body = op["requestBody"]?["content"]?["application/json"]?["schema"];
                yield return new Operation(method.ToUpperInvariant(), template, parameters, body is null ? null : Resolve(contract, body.AsObject()));
            }
        }
    }

    private static JsonObject Resolve(JsonNode contract, JsonObject schema) =>
        schema["$ref"] is { } reference ? contract["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!.AsObject() : schema;

    // ───────────────────────────── the mutations ─────────────────────────────

    private enum Shape { Text, Guid, Date, DateTime, Enum, Int, Decimal, Bool, List, Object }

    /// <summary>One place in a body: its path, the member's name (a list item's is its list's), its shape and its valid value.</summary>
    private sealed record Leaf(IReadOnlyList<object> Path, string Name, Shape Shape, JsonNode Value)
    {
        public string Field => string.Concat(Path.Select((p, i) => p is int n ? $"[{n}]" : i == 0 ? (string)p : "." + p));
    }

    private sealed record Built(string Path, string? ContentType, string? Body);

    /// <summary>One way to malform one operation's request; it is built from a seeded salt (where a character goes, …).</summary>
    private sealed record Candidate(string Operation, string Method, string? Actor, string Kind, string What, Func<int, Built> Build);

    private sealed record Planned(Candidate Candidate, int Salt, string? Query);

    private sealed record Request(string Operation, string Method, string Path, string? Actor, string Kind, string What, string? ContentType, string? BodyPreview, int BodyLength);

    private sealed record Result(int Index, Request Request, int Status, string? MediaType, string? Code, string Response);

    /// <summary>Control characters as they are written inside a JSON string: escaped, and raw (raw ones are not JSON).</summary>
    private static readonly (string Json, string Name)[] Controls =
    [
        ("\\u0000", "escaped U+0000"), ("\0", "raw U+0000"), ("\\u0001", "escaped U+0001"), ("\u0001", "raw U+0001"), ("\\u001f", "escaped U+001F"),
        ("\\u007f", "escaped U+007F"), ("\u007f", "raw U+007F"), ("\\ud800", "lone high surrogate"), ("\\udc00", "lone low surrogate"), ("\\ud800A", "high surrogate then a letter"),
    ];

    /// <summary>
    /// Ids no id member may hold. Not <c>../x</c>: the input rules allow <c>.</c> and <c>/</c> in ids (a bundle's
    /// checklist codes are <c>item/material</c>), so in a body it is a valid id; it is sent in paths instead.
    /// </summary>
    private static readonly (string Json, string Name)[] BadIds =
    [
        ("\"张三\"", "non-ASCII id"), ("\"a b\"", "id with a space"), ("\"..\\\\x\"", "id ..\\x"), ("\"../x\"", "id ../x"), ("\"/x\"", "id /x"), ("\"\"", "empty id"), ("\"a\\u0000b\"", "id with U+0000"),
    ];

    private static readonly (string Json, string Name)[] WrongTypesForText = [("12345", "number for a string"), ("{}", "object for a string"), ("[]", "list for a string"), ("true", "true for a string")];

    private static readonly (string Json, string Name)[] WrongTypesForNumber = [("\"五\"", "string for a number"), ("\"12abc\"", "string for a number"), ("{}", "object for a number"), ("true", "true for a number"), ("[]", "list for a number")];

    private static readonly (string Json, string Name)[] WrongTypesForBool = [("\"yes\"", "string for a boolean"), ("\"true\"", "string for a boolean"), ("1", "number for a boolean"), ("{}", "object for a boolean")];

    private static readonly (string Json, string Name)[] WrongTypesForList = [("{}", "object for a list"), ("\"x\"", "string for a list"), ("1", "number for a list"), ("true", "true for a list")];

    private static readonly (string Json, string Name)[] WrongTypesForObject = [("true", "true for an object"), ("[]", "list for an object"), ("\"x\"", "string for an object"), ("1", "number for an object")];

    private static readonly (string Json, string Name)[] UndefinedEnums =
    [
        ("99", "undefined enum as integer 99"), ("77", "undefined enum as integer 77"), ("7", "undefined enum as integer 7"), ("42", "undefined enum as integer 42"), ("-1", "enum as integer -1"),
        ("\"Bogus\"", "unknown enum name"), ("\"42\"", "undefined enum as a numeric string"), ("\"未定义\"", "unknown enum name"), ("\"\"", "empty enum name"),
    ];

    /// <summary>Numbers no integer member can hold.</summary>
    private static readonly (string Json, string Name)[] NeverIntegers = [("1e30", "1e30"), ("2147483648", "2^31"), ("-2147483649", "-2^31 - 1"), ("1.5", "a fraction")];

    /// <summary>Numbers that are integers but break a rule of the member (only where a rule says so: other values would be valid).</summary>
    private static readonly Dictionary<string, string[]> OutOfRange = new(StringComparer.Ordinal)
    {
        ["workingDays"] = ["2147483647", "-1", "0", "11"],                  // extension: 1–10 working days
        ["jointStatutoryLimitWorkingDays"] = ["2147483647", "-1", "0"],    // ≤ 45
        ["combinedPromisedLimitWorkingDays"] = ["2147483647", "-1", "0"],  // > 0 and ≤ joint statutory + 15
        ["promisedLimitWorkingDays"] = ["2147483647", "-1", "0"],          // a promised item: > 0 and ≤ statutory
        ["statutoryLimitWorkingDays"] = ["2147483647", "-1", "0"],         // ≥ promised, ≤ 250
        ["shareWorkingDays"] = ["2147483647", "-1"],                       // 0–250, summing to at most the promised limit
        ["usedPercent"] = ["2147483647", "-1", "0"],                       // 1–100 %
        ["remainingWorkingDays"] = ["-1", "-2147483648"],                  // ≥ 0
        ["feeYuan"] = ["-1", "1e30"],                                      // ≥ 0, and a decimal holds less than 8e28
    };

    private static readonly string[] ExtremeDates = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2025-02-30", "2025-13-01", "20250926"];

    private static readonly string[] ExtremeTimes = ["9999-12-31T00:00:00+08:00", "0001-01-01T00:00:00+00:00", "1899-12-31T08:00:00+08:00", "2025-09-29T25:00:00+08:00"];

    private static readonly (string Segment, string Name)[] BadGuidSegments =
    [
        ("%E5%BC%A0%E4%B8%89", "张三"), ("a%20b", "a b"), ("..%2Fx", "../x"), ("%00", "%00"), ("{0}%00", "the id + %00"), ("{0}%01", "the id + U+0001"),
        ("{0}%7F", "the id + U+007F"), ("%ED%A0%80", "lone surrogate"), (LongSegment, "60,000 characters"),
    ];

    private static readonly (string Segment, string Name)[] BadStringSegments =
    [
        ("%00", "%00"), ("{0}%00", "the value + %00"), ("%01", "U+0001"), ("{0}%1F", "the value + U+001F"), ("%7F", "U+007F"), ("%ED%A0%80", "lone surrogate"),
        ("%E5%BC%A0%E4%B8%89", "张三"), ("a%20b", "a b"), ("..%2Fx", "../x"), (LongSegment, "60,000 characters"),
    ];

    private static readonly (string Segment, string Name)[] BadYears =
    [
        ("2025%00", "2025 + %00"), ("-1", "-1"), ("0", "0"), ("2147483647", "2147483647"), ("99999999999", "beyond int"), ("1e30", "1e30"), ("%E4%BA%8C%E3%80%87", "二〇"), ("%00", "%00"),
    ];

    /// <summary>Junk in the query string. No write operation binds a query value, so it rides along with another malformation.</summary>
    private static readonly string[] QueryJunk = ["?x=%00", "?q=a%01b%1Fc%7F", "?id=%ED%A0%80", "?%00=%00", "?partId=..%2Fx&name=%E5%BC%A0%E4%B8%89", "?a=" + new string('a', 4000)];

    private static IEnumerable<Candidate> Candidates(Operation op, Target target, JsonNode contract)
    {
        string PathWith(string? name, string? segment) =>
            op.PathParameters.Aggregate(op.Template, (path, p) => path.Replace("{" + p.Name + "}", p.Name == name ? segment : Uri.EscapeDataString(target.Path[p.Name]), StringComparison.Ordinal));
        var validPath = PathWith(null, null);
        var validBody = target.Body?.ToJsonString(Relaxed);
        Candidate Make(string kind, string what, Func<int, Built> build) => new(op.Key, op.Method, target.Actor, kind, what, build);

        // Path: the real ids, one of them malformed.
        foreach (var (name, schema) in op.PathParameters)
        {
            var value = target.Path[name];
            var bad = (string?)schema["format"] == "uuid" ? BadGuidSegments : (string?)schema["type"] == "integer" ? BadYears : BadStringSegments;
            foreach (var (segment, label) in bad)
                yield return Make("bad path segment", $"{name} = {label}", _ => new Built(PathWith(name, segment.Replace("{0}", value, StringComparison.Ordinal)), validBody is null ? null : "application/json", validBody));
        }
        if (target.Body is null || op.BodySchema is null)
            yield break;

        // The body as a whole: wrong media type, none, not JSON, not an object.
        var contents = new List<(string? ContentType, string? Body, string Name)>
        {
            ("text/plain", validBody, "text/plain"), ("application/xml", "<request><name>刘建国</name></request>", "application/xml"),
            ("application/x-www-form-urlencoded", "name=%E5%88%98", "form data"), ("application/json", "{\"a\":", "invalid JSON {\"a\":"), ("application/json", "{", "invalid JSON {"),
            ("application/json", validBody + "}", "JSON with trailing garbage"), ("application/json", "true", "true for the body"), ("application/json", "[]", "a list for the body"),
            ("application/json", "\"text\"", "a string for the body"),
        };
        if (!target.BodyOptional)
            contents.AddRange([(null, null, "no body"), ("application/json", "", "an empty body"), ("application/json", "null", "null for the body")]);
        foreach (var (contentType, body, name) in contents)
            yield return Make("bad content", name, _ => new Built(validPath, contentType, body));

        // One member of the body malformed.
        foreach (var leaf in Leaves(target.Body, op.BodySchema, contract, [], ""))
        {
            foreach (var (kind, what, json) in Mutations(leaf))
                yield return Make(kind, $"{leaf.Field}: {what}", salt => new Built(validPath, "application/json", Replace(target.Body, leaf, json(salt))));
        }
    }

    private static IEnumerable<(string Kind, string What, Func<int, string> Json)> Mutations(Leaf leaf)
    {
        IEnumerable<(string, string, Func<int, string>)> Each(string kind, IEnumerable<(string Json, string Name)> values) => values.Select(v => (kind, v.Name, (Func<int, string>)(_ => v.Json)));
        static string Escaped(string text) => JsonSerializer.Serialize(text, Relaxed)[1..^1];
        switch (leaf.Shape)
        {
            case Shape.Text or Shape.Guid or Shape.Date or Shape.DateTime or Shape.Enum:
                var text = leaf.Value.GetValue<string>();
                foreach (var (json, name) in Controls)
                {
                    // Somewhere in the valid value (never between the halves of a surrogate pair).
                    yield return ("control character", name, salt =>
                    {
                        var at = salt % (text.Length + 1);
                        at -= at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) ? 1 : 0;
                        return $"\"{Escaped(text[..at])}{json}{Escaped(text[at..])}\"";
                    });
                }
                yield return ("huge string", "1 MB", _ => $"\"{Megabyte}\"");
                foreach (var m in Each("wrong JSON type", WrongTypesForText))
                    yield return m;
                if (IsId(leaf.Name))
                {
                    foreach (var m in Each("bad id", BadIds))
                        yield return m;
                }
                if (leaf.Shape == Shape.Enum)
                {
                    foreach (var m in Each("undefined enum", UndefinedEnums))
                        yield return m;
                    if (leaf.Name is "channel" or "role")
                        yield return ("undefined enum", "System", _ => "\"System\"");
                }
                if (leaf.Shape == Shape.Date)
                {
                    foreach (var m in Each("extreme date", ExtremeDates.Select(d => ($"\"{d}\"", d))))
                        yield return m;
                }
                if (leaf.Shape == Shape.DateTime)
                {
                    foreach (var m in Each("extreme date", ExtremeTimes.Select(d => ($"\"{d}\"", d))))
                        yield return m;
                }
                break;
            case Shape.Int or Shape.Decimal:
                foreach (var m in Each("wrong JSON type", WrongTypesForNumber))
                    yield return m;
                var extremes = (leaf.Shape == Shape.Int ? NeverIntegers : [("1e30", "1e30")])
                    .Concat(OutOfRange.GetValueOrDefault(leaf.Name, []).Select(n => (n, n)))
                    .DistinctBy(n => n.Item1);
                foreach (var m in Each("huge number", extremes))
                    yield return m;
                break;
            case Shape.Bool:
                foreach (var m in Each("wrong JSON type", WrongTypesForBool))
                    yield return m;
                break;
            case Shape.List:
                var first = leaf.Value.AsArray().FirstOrDefault()?.ToJsonString(Relaxed);
                yield return ("null in a list", "[null]", _ => "[null]");
                if (first is not null)
                    yield return ("null in a list", "[item, null]", _ => $"[{first},null]");
                foreach (var m in Each("wrong JSON type", WrongTypesForList))
                    yield return m;
                break;
            case Shape.Object:
                foreach (var m in Each("wrong JSON type", WrongTypesForObject))
                    yield return m;
                break;
        }
    }

    /// <summary>Ids and codes by the member's name, as the input rules define them (README "Security").</summary>
    private static bool IsId(string name) =>
        name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal) || name.EndsWith("Code", StringComparison.Ordinal)
        || name.EndsWith("Codes", StringComparison.Ordinal) || name is "id" or "code" or "codes";

    /// <summary>Every member of a valid body with its shape from the contract (the body must follow the contract).</summary>
    private static IEnumerable<Leaf> Leaves(JsonNode value, JsonObject schema, JsonNode contract, List<object> path, string name)
    {
        schema = Resolve(contract, schema);
        if (schema["enum"] is not null)
        {
            yield return new Leaf(path, name, Shape.Enum, value);
            yield break;
        }
        switch ((string?)schema["type"])
        {
            case "string":
                yield return new Leaf(path, name, (string?)schema["format"] switch { "uuid" => Shape.Guid, "date" => Shape.Date, "date-time" => Shape.DateTime, _ => Shape.Text }, value);
                break;
            case "integer":
                yield return new Leaf(path, name, Shape.Int, value);
                break;
            case "number":
                yield return new Leaf(path, name, Shape.Decimal, value);
                break;
            case "boolean":
                yield return new Leaf(path, name, Shape.Bool, value);
                break;
            case "array":
                yield return new Leaf(path, name, Shape.List, value);
                if (value.AsArray().FirstOrDefault() is { } item)
                {
                    foreach (var leaf in Leaves(item, schema["items"]!.AsObject(), contract, [.. path, 0], name))
                        yield return leaf;
                }
                break;
            default:
                if (path.Count > 0)
                    yield return new Leaf(path, name, Shape.Object, value);
                var properties = schema["properties"]!.AsObject();
                foreach (var (member, inner) in value.AsObject())
                {
                    var property = properties[member] ?? throw new InvalidOperationException($"{member} is not in the contract's {string.Join(", ", properties.Select(p => p.Key))}");
                    foreach (var leaf in Leaves(inner!, property.AsObject(), contract, [.. path, member], member))
                        yield return leaf;
                }
                break;
        }
    }

    /// <summary>The body as JSON text with one member's value replaced by raw JSON text (which need not be valid JSON).</summary>
    private static string Replace(JsonNode body, Leaf leaf, string json)
    {
        const string Marker = "\"@@fuzz-marker@@\"";
        var copy = body.DeepClone();
        var parent = leaf.Path.SkipLast(1).Aggregate(copy, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        if (leaf.Path[^1] is int index)
            parent[index] = "@@fuzz-marker@@";
        else
            parent[(string)leaf.Path[^1]] = "@@fuzz-marker@@";
        return copy.ToJsonString(Relaxed).Replace(Marker, json, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every candidate once, in a seeded order, then seeded draws among them until <see cref="RequestsToSend"/>; each
    /// with a seeded salt (where a control character goes) and, for one in five, junk in the query string.
    /// </summary>
    private static List<Planned> Plan(List<Candidate> candidates, Random random)
    {
        var order = candidates.ToList();
        Shuffle(order, random);
        while (order.Count < RequestsToSend)
            order.Add(candidates[random.Next(candidates.Count)]);
        return order.Select(c => new Planned(c, random.Next(), random.NextDouble() < 0.2 ? QueryJunk[random.Next(QueryJunk.Length)] : null)).ToList();
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    // ───────────────────────────── sending and reporting ─────────────────────────────

    private async Task<Result> SendAsync(int index, Planned planned, CancellationToken ct)
    {
        var (candidate, salt, query) = planned;
        var built = candidate.Build(salt);
        // A NUL in the path cannot go through a URI: TestServer (like Kestrel) refuses to decode %00. Such requests
        // are handed to the host with the NUL already decoded into the path, as a server that let it through would.
        var decoded = built.Path.Contains("%00", StringComparison.Ordinal);
        var what = (query is null ? candidate.What : $"{candidate.What}; query {Preview(query, 60)}") + (decoded ? " (NUL decoded into the path)" : "");
        var request = new Request(candidate.Operation, candidate.Method, built.Path + query, candidate.Actor, candidate.Kind, what, built.ContentType,
            built.Body is null ? null : Preview(built.Body, 400), built.Body?.Length ?? 0);
        var body = built.Body is null ? null : Encoding.UTF8.GetBytes(built.Body);
        var causation = $"fuzz-{index:D5}";
        try
        {
            var (status, media, text) = decoded
                ? await SendDecodedAsync(candidate, built, body, query, causation, ct)
                : await SendThroughClientAsync(candidate, built, body, query, causation, ct);
            return new Result(index, request, status, media, media == ProblemJson ? CodeOf(text) : null, Preview(text, 1500));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The host let an exception through to the client: no answer at all.
            var frames = string.Join(" ← ", (e.StackTrace ?? "").Split('\n').Take(4).Select(f => f.Trim()));
            return new Result(index, request, 0, null, null, $"{e.GetType().Name}: {Preview(e.Message, 300)} {frames}");
        }
    }

    private async Task<(int Status, string? MediaType, string Text)> SendThroughClientAsync(Candidate candidate, Built built, byte[]? body, string? query, string causation, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(candidate.Method), new Uri(built.Path + query, UriKind.Relative));
        message.Headers.TryAddWithoutValidation("X-Causation-Id", causation);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            if (built.ContentType is not null)
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(built.ContentType);
        }
        using var response = await Client(candidate.Actor).SendAsync(message, ct);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(ct));
    }

    private async Task<(int Status, string? MediaType, string Text)> SendDecodedAsync(Candidate candidate, Built built, byte[]? body, string? query, string causation, CancellationToken ct)
    {
        var server = (TestServer)api.Services.GetRequiredService<IServer>();
        var token = Client(candidate.Actor).DefaultRequestHeaders.Authorization?.ToString();
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = candidate.Method;
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("localhost");
            c.Request.Path = new PathString(Uri.UnescapeDataString(built.Path));
            c.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
            c.Request.Headers["X-Causation-Id"] = causation;
            if (token is not null)
                c.Request.Headers.Authorization = token;
            if (body is not null)
            {
                c.Request.Body = new MemoryStream(body);
                c.Request.ContentLength = body.Length;
                c.Request.ContentType = built.ContentType;
            }
        }, ct);
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        var contentType = context.Response.ContentType;
        return (context.Response.StatusCode, contentType is null ? null : MediaTypeHeaderValue.Parse(contentType).MediaType, await reader.ReadToEndAsync(ct));
    }

    private static string? CodeOf(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(Result r) =>
        $"#{r.Index} {r.Request.Method} {Preview(r.Request.Path, 200)} as {r.Request.Actor ?? "(no token)"} — {r.Request.Kind}: {r.Request.What}\n" +
        $"  request: {(r.Request.ContentType ?? "(no content type)")}, {(r.Request.BodyPreview is null ? "no body" : $"{r.Request.BodyLength:N0} chars: {r.Request.BodyPreview}")}\n" +
        $"  answer:  {r.Status} {r.MediaType ?? "(no content type)"} {r.Response}";

    private static string Summary(Result[] results, int candidates, TimeSpan elapsed, List<Result> accepted)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture,
            $"{results.Length} malformed requests ({candidates} distinct malformations, each sent at least once) to {results.Select(r => r.Request.Operation).Distinct().Count()} write operations in {elapsed.TotalSeconds:F1} s (seed {Seed})");
        foreach (var kind in results.GroupBy(r => r.Request.Kind).OrderByDescending(g => g.Count()))
        {
            var statuses = string.Join(", ", kind.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            b.AppendLine(CultureInfo.InvariantCulture, $"  {kind.Key,-20} {kind.Count(),5}   {statuses}");
        }
        b.AppendLine(CultureInfo.InvariantCulture, $"  with junk in the query string: {results.Count(r => r.Request.What.Contains("; query ", StringComparison.Ordinal))}");
        b.AppendLine(CultureInfo.InvariantCulture, $"  codes: {string.Join(", ", results.Where(r => r.Code is not null).GroupBy(r => r.Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}×{g.Count()}"))}");
        b.Append(CultureInfo.InvariantCulture, $"  answered 2xx: {accepted.Count}");
        foreach (var operation in accepted.GroupBy(r => r.Request.Operation))
            b.Append(CultureInfo.InvariantCulture, $" — {operation.Key}: {string.Join("; ", operation.Select(r => r.Request.What).Distinct())}");
        return b.AppendLine().ToString();
    }

    /// <summary>Text shortened for a report, with control characters and lone surrogates made visible.</summary>
    private static string Preview(string text, int max)
    {
        var b = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
            b.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"<U+{(int)c:X4}>" : c.ToString());
        return text.Length > max ? $"{b}… ({text.Length:N0} chars)" : b.ToString();
    }

    // ───────────────────────────── helpers ─────────────────────────────

    private HttpClient Client(string? staffId)
    {
        lock (_clients)
        {
            var key = staffId ?? "";
            if (!_clients.TryGetValue(key, out var client))
                _clients[key] = client = staffId is null ? api.Anonymous() : api.As(staffId);
            return client;
        }
    }

    private Task<long> NumbersTakenAsync() => api.Db.ScalarAsync<long>("SELECT coalesce(sum(last), 0)::bigint FROM cf_case_numbers");

    /// <summary>The first case whose events are exactly these, in order.</summary>
    private Task<Guid> CaseWithEventsAsync(params string[] types) => StreamAsync(
        "SELECT stream_id FROM cf_event_log GROUP BY stream_id HAVING string_agg(type, ',' ORDER BY version) = $1 ORDER BY min(seq) LIMIT 1",
        string.Join(",", types.Select(t => $"case.{t}.v1")));

    private async Task<Guid> StreamAsync(string sql, params object[] args)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        foreach (var arg in args)
            cmd.Parameters.AddWithValue(arg);
        return await cmd.ExecuteScalarAsync() as Guid? ?? throw new InvalidOperationException($"the demo has nothing for: {sql}");
    }

    private async Task<Guid> WindowItemAsync(string keyword)
    {
        var items = (await Client("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/windows/window-tw-1/catalogue?q={keyword}")).GetProperty("items");
        return items.EnumerateArray().First().GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> Expect(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"setup: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
