using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseFlow.Api.Endpoints.Platform;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// 网上办 (issue 17): the provincial platform submits with its HMAC signature; the case arrives with channel Online
/// and its electronic materials, waits in the township centre's 预审 queue, is decided with the window's acceptance
/// commands under the same rules (the notice period counted from the online receipt), and the platform and the
/// applicant are told through the outbox. A replay of the same submission is the same case; the platform's credential
/// and a staff token are each refused where the other belongs.
/// </summary>
public sealed class OnlineSubmissionTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Pension = "361130-000201002"; // 城乡居民基本养老保险待遇申领: M00, M01, M04 (non-key), M05 (key)
    private const string Relief = "361130-000401003";  // 临时救助: M00, M01, M05
    private const string Path = "/api/platform/online-submissions";

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", CultureInfo.InvariantCulture);

    private OnlinePlatformOptions Platform => api.Services.GetRequiredService<OnlinePlatformOptions>();

    private static string Hash(string seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private static object Material(string code, string? sha256 = null, long size = 245_761, string mediaType = "application/pdf") => new
    {
        code, fileName = $"{code}.pdf", mediaType, sizeBytes = size, sha256 = sha256 ?? Hash(code), fileReference = $"jxzwfw://files/2025/{code}",
    };

    private static object Submission(string submissionId, string item, object[] materials, string applicantName = "刘建国", string centre = DemoStaff.TownshipCentre) => new
    {
        submissionId, centreCode = centre, itemCode = item,
        applicant = new { kind = "Person", name = applicantName, residentIdNumber = "11010519491231002X", phone = "13907971234" },
        submittedAt = "2025-09-26T09:12:00+08:00",
        materials,
    };

    /// <summary>Sends <paramref name="body"/> as the platform does: signed with the secret at the injected clock's time.</summary>
    private async Task<HttpResponseMessage> SubmitAsync(object body, string? secret = null, DateTimeOffset? signedAt = null, string? platformId = null,
        HttpClient? client = null, string path = Path)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        return await SendSignedAsync(client ?? api.Anonymous(), HttpMethod.Post, path, bytes, secret, signedAt, platformId);
    }

    private async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, HttpMethod method, string path, byte[] bytes, string? secret = null,
        DateTimeOffset? signedAt = null, string? platformId = null)
    {
        var timestamp = (signedAt ?? api.Clock.GetUtcNow()).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (method != HttpMethod.Get)
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        request.Headers.Add(PlatformSignature.PlatformHeader, platformId ?? Platform.Id);
        request.Headers.Add(PlatformSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(PlatformSignature.SignatureHeader, PlatformSignature.Sign(secret ?? Platform.Secret, method.Method, path, timestamp, bytes));
        return await client.SendAsync(request);
    }

    private Task<string> StoreMarkAsync() => api.Db.ScalarAsync<string>("SELECT count(*) || ':' || coalesce(sum(version), 0) FROM cf_stream_log");

    /// <summary>Messages of a case in the outbox's record (the platform's carry the case id among their parameters).</summary>
    private Task<long> OutboxAsync(Guid caseId, string recipient, string template, string? outcome = null) => api.Db.ScalarAsync<long>(
        $"SELECT count(*) FROM cf_outbox WHERE recipient = '{recipient}' AND template = '{template}'" +
        (recipient.StartsWith("platform:", StringComparison.Ordinal) ? $" AND payload->>'caseId' = '{caseId}'" : "") +
        (outcome is null ? "" : $" AND payload->>'outcome' = '{outcome}'"));

    [Fact]
    public async Task A_submission_arrives_online_waits_in_the_centres_queue_is_decided_under_the_window_rules_and_the_platform_and_applicant_are_told()
    {
        api.Clock.Set(Beijing("2025-09-26T09:30:00"));
        var body = Submission("GFT-20250926-000101", Pension, [Material("M00"), Material("M01"), Material("M04")]);
        using var created = await SubmitAsync(body);
        Assert.Equal(201, (int)created.StatusCode);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("caseId").GetGuid();
        var number = answer.GetProperty("caseNumber").GetString()!;
        Assert.StartsWith("361130100-20250926-", number, StringComparison.Ordinal);
        Assert.False(answer.GetProperty("replayed").GetBoolean());

        // The platform sends it again (a retry after a timeout): the same case, answered 200, never a second one.
        using var replay = await SubmitAsync(body);
        Assert.Equal(200, (int)replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var again = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, again.GetProperty("caseId").GetGuid());
        Assert.Equal(number, again.GetProperty("caseNumber").GetString());
        Assert.True(again.GetProperty("replayed").GetBoolean());
        // The same id with other content is refused; the first case stands.
        var mark = await StoreMarkAsync();
        await (await SubmitAsync(Submission("GFT-20250926-000101", Pension, [Material("M00")], applicantName: "王小明"))).ProblemAsync(409, "platform.submission_id_reused");
        Assert.Equal(mark, await StoreMarkAsync());
        Assert.Equal(1, await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_cases WHERE channel = 'Online' AND case_number = '{number}'"));

        // The case: channel Online, received by the platform, the checklist as uploaded (M05 missing), the notice period from the online receipt.
        var view = await api.CaseAsync(id);
        Assert.Equal("Online", view.GetProperty("channel").GetString());
        Assert.Equal("Received", view.GetProperty("status").GetString());
        Assert.Equal(Platform.Name, view.GetProperty("receivedBy").GetString());
        Assert.Equal("window-tw-1", view.GetProperty("windowId").GetString());
        Assert.Equal("Missing", view.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "M05").GetProperty("state").GetString());
        Assert.Equal(new DateOnly(2025, 10, 10), view.Date("noticePeriodEndsOn")); // 5 WD from Friday 09-26 (09-28 a make-up workday, 10-01..08 国庆)

        // The township clerks' 预审 queue; the county's clerks and agents do not see it.
        var queue = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/online-submissions?status=Received&limit=500");
        var row = queue.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("caseId").GetGuid() == id);
        Assert.Equal("GFT-20250926-000101", row.GetProperty("submissionId").GetString());
        Assert.Equal(3, row.GetProperty("materials").GetInt32());
        Assert.Equal(new DateOnly(2025, 10, 10), row.Date("noticePeriodEndsOn"));
        var county = await api.As("clerk-cty-1").GetFromJsonAsync<JsonElement>("/api/window/online-submissions");
        Assert.DoesNotContain(county.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id);
        Assert.Equal(403, (int)(await api.As("agent-cn-1").GetAsync(new Uri("/api/window/online-submissions", UriKind.Relative))).StatusCode);
        await (await api.As("clerk-cty-1").GetAsync(new Uri($"/api/window/cases/{id}/online-submission", UriKind.Relative))).ProblemAsync(403, "case.other_centre");

        // The electronic materials as recorded: metadata and the content hash, the files stay in the platform.
        var online = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}/online-submission");
        var m00 = online.GetProperty("materials").EnumerateArray().First(m => m.GetProperty("code").GetString() == "M00");
        Assert.Equal(Hash("M00"), m00.GetProperty("sha256").GetString());
        Assert.Equal("jxzwfw://files/2025/M00", m00.GetProperty("fileReference").GetString());

        // Told at receipt: the platform and the applicant.
        Assert.Equal(1, await OutboxAsync(id, "platform:jxzwfw", "online_submission_received"));
        Assert.Equal(1, await OutboxAsync(id, $"applicant:{id}", "online_submission_received"));

        // Pre-review: the clerk cannot accept with the key material missing (the counter's rule), so issues the one-time notice.
        await (await api.PostAsync(id, "acceptance", new { })).ProblemAsync(422, "case.required_material_missing");
        await (await api.PostAsync(id, "notices", new { items = new[] { new { code = "M05", reason = "未上传户口簿首页及本人页" } } })).EventsAsync();
        Assert.Equal(1, await OutboxAsync(id, "platform:jxzwfw", "online_submission_outcome", "NoticeIssued"));
        Assert.Equal(1, await OutboxAsync(id, $"applicant:{id}", "one_time_notice"));

        // The correction arrives (registered at the window): accepted that day, the platform told.
        api.Clock.Set(Beijing("2025-09-29T10:00:00"));
        var events = await (await api.PostAsync(id, "supplements", new { materials = new[] { new { code = "M05", state = "Present" } } })).EventsAsync();
        Assert.Contains("case.accepted.v1", events);
        Assert.Equal(1, await OutboxAsync(id, "platform:jxzwfw", "online_submission_outcome", "Accepted"));
        Assert.Equal(1, await OutboxAsync(id, $"applicant:{id}", "case_accepted"));
        online = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}/online-submission");
        Assert.Equal(new[] { "NoticeIssued", "Accepted" }, online.GetProperty("outcomes").EnumerateArray().Select(o => o.GetProperty("outcome").GetString() ?? "").ToArray());
        Assert.Equal($"{number}-SL", online.GetProperty("outcomes")[1].GetProperty("documentNumber").GetString());
        queue = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/online-submissions?limit=500");
        Assert.Equal("Accepted", queue.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("caseId").GetGuid() == id).GetProperty("lastOutcome").GetString());

        // Supervision: 受理 was held by the window whose 预审 queue it waited in (nobody received it at the counter).
        var audit = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline");
        var stage = audit.GetProperty("stages").EnumerateArray().First(x => x.GetProperty("stage").GetString() == "Acceptance");
        Assert.Equal("window-tw-1", stage.GetProperty("holderId").GetString());

        // The accountability ledger charges the case's bad ratings to that window, never to the platform.
        await api.CatchUpProjectionsAsync();
        Assert.Equal("window-tw-1", await api.Db.ScalarAsync<string>($"SELECT clerk_id FROM cf_ledger_case_clerks WHERE case_id = '{id}'"));

        // The timeline shows the platform as the receiving party.
        var timeline = (await api.CaseAsync(id)).GetProperty("timeline").EnumerateArray().ToList();
        Assert.Contains(timeline, t => t.GetProperty("event").GetString() == "case.online_submission_recorded.v1" && t.GetProperty("role").GetString() == "Platform");
    }

    [Fact]
    public async Task A_rejected_online_case_tells_the_applicant_and_the_platform_with_the_reason()
    {
        api.Clock.Set(Beijing("2025-09-26T10:00:00"));
        using var created = await SubmitAsync(Submission("GFT-20250926-000202", Relief, [Material("M00"), Material("M01"), Material("M05")]));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetGuid();
        await (await api.PostAsync(id, "rejection", new
        {
            reason = "申请人户籍及经常居住地均不在本镇", legalBasis = "《社会救助暂行办法》第四十八条", notCompetent = true, competentBody = "申请人户籍所在地乡镇人民政府",
            reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
        })).EventsAsync();
        Assert.Equal(1, await OutboxAsync(id, "platform:jxzwfw", "online_submission_outcome", "Rejected"));
        Assert.Equal(1, await OutboxAsync(id, $"applicant:{id}", "case_rejected"));
        var reason = await api.Db.ScalarAsync<string>($"SELECT payload->>'detail' FROM cf_outbox WHERE recipient = 'platform:jxzwfw' AND payload->>'caseId' = '{id}' AND payload->>'outcome' = 'Rejected'");
        Assert.Equal("申请人户籍及经常居住地均不在本镇", reason);
        // A counter case's rejection is handed over at the window: no such message.
        Assert.Equal(0, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox WHERE template = 'case_rejected' AND recipient NOT IN (SELECT 'applicant:' || case_id FROM cf_online_submissions)"));
    }

    [Fact]
    public async Task An_online_case_left_in_pre_review_for_5_working_days_is_deemed_accepted_as_of_its_online_receipt_against_the_routed_window()
    {
        api.Clock.Set(Beijing("2025-09-26T11:00:00"));
        using var created = await SubmitAsync(Submission("GFT-20250926-000303", Pension, [Material("M00"), Material("M01"), Material("M04"), Material("M05")]));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetGuid();
        api.Clock.Set(Beijing("2025-10-10T17:00:00"));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        Assert.Equal("Received", (await api.CaseAsync(id)).GetProperty("status").GetString());

        api.Clock.Set(Beijing("2025-10-11T08:00:00"));
        await (await api.PostAsync(id, "rejection", new
        {
            reason = "x", legalBasis = "y", notCompetent = false, reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
        })).ProblemAsync(422, "case.notice_period_over");
        Assert.True((await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync()).DeemedAccepted >= 1);
        var acceptance = (await api.CaseAsync(id)).GetProperty("acceptance");
        Assert.Equal("Deemed", acceptance.GetProperty("route").GetString());
        Assert.Equal(new DateOnly(2025, 9, 26), acceptance.Date("acceptedOn"));
        Assert.Equal("window-tw-1", await api.Db.ScalarAsync<string>($"SELECT data->>'responsibleId' FROM cf_event_log WHERE stream_id = '{id}' AND type = 'case.deemed_accepted.v1'"));
        Assert.Equal(1, await OutboxAsync(id, "platform:jxzwfw", "online_submission_outcome", "DeemedAccepted"));
    }

    [Fact]
    public async Task Copies_of_one_submission_sent_at_once_make_one_case()
    {
        api.Clock.Set(Beijing("2025-09-26T14:00:00"));
        var body = Submission("GFT-20250926-000404", Relief, [Material("M00"), Material("M01")]);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await SubmitAsync(body);
            return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetGuid());
        }));
        Assert.Single(answers, a => a.Item1 == 201);
        Assert.All(answers, a => Assert.Contains(a.Item1, new[] { 200, 201 }));
        Assert.Single(answers.Select(a => a.Item2).Distinct());
        Assert.Equal(1, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_online_submissions WHERE submission_id = 'GFT-20250926-000404'"));
        Assert.Equal(1, await api.Db.ScalarAsync<long>($"SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1' AND stream_id = '{answers[0].Item2}'"));
    }

    [Fact]
    public async Task Without_the_platforms_valid_signature_nothing_is_taken_in_and_its_credential_opens_no_staff_endpoint()
    {
        api.Clock.Set(Beijing("2025-09-26T15:00:00"));
        var body = Submission("GFT-20250926-000505", Pension, [Material("M00")]);
        var mark = await StoreMarkAsync();

        using (var client = api.Anonymous())
            await (await client.PostAsJsonAsync(new Uri(Path, UriKind.Relative), body)).ProblemAsync(401, "platform.signature_missing");
        await (await SubmitAsync(body, secret: "another-secret-of-at-least-32-bytes-long!")).ProblemAsync(401, "platform.signature_invalid");
        await (await SubmitAsync(body, signedAt: api.Clock.GetUtcNow().AddMinutes(-6))).ProblemAsync(401, "platform.timestamp_out_of_window");
        await (await SubmitAsync(body, signedAt: api.Clock.GetUtcNow().AddMinutes(6))).ProblemAsync(401, "platform.timestamp_out_of_window");
        await (await SubmitAsync(body, platformId: "another-platform")).ProblemAsync(401, "platform.unknown");
        // A signature over another body (the body changed on the way) does not match.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var timestamp = api.Clock.GetUtcNow().ToUnixTimeSeconds();
        using (var tampered = new HttpRequestMessage(HttpMethod.Post, new Uri(Path, UriKind.Relative)))
        {
            tampered.Content = new StringContent(Encoding.UTF8.GetString(bytes).Replace("GFT-20250926-000505", "GFT-20250926-000506", StringComparison.Ordinal), Encoding.UTF8, "application/json");
            tampered.Headers.Add(PlatformSignature.PlatformHeader, Platform.Id);
            tampered.Headers.Add(PlatformSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            tampered.Headers.Add(PlatformSignature.SignatureHeader, PlatformSignature.Sign(Platform.Secret, "POST", Path, timestamp, bytes));
            using var client = api.Anonymous();
            await (await client.SendAsync(tampered)).ProblemAsync(401, "platform.signature_invalid");
        }
        // A member of staff's token is no credential here, even with a valid signature beside it.
        await (await SubmitAsync(body, client: api.As("clerk-tw-1"))).ProblemAsync(401, "platform.staff_token_refused");
        Assert.Equal(mark, await StoreMarkAsync());

        // The platform's signature opens no staff endpoint.
        using (var client = api.Anonymous())
        {
            await (await SendSignedAsync(client, HttpMethod.Get, "/api/window/cases", [])).ProblemAsync(401, "auth.unauthenticated");
            await (await SendSignedAsync(client, HttpMethod.Get, "/api/window/online-submissions", [])).ProblemAsync(401, "auth.unauthenticated");
        }
    }

    [Fact]
    public async Task Electronic_materials_and_the_target_are_validated_before_anything_is_written_or_numbered()
    {
        api.Clock.Set(Beijing("2025-09-26T16:00:00"));
        var mark = await StoreMarkAsync();
        var numbers = await api.Db.ScalarAsync<long>("SELECT coalesce(sum(last), 0) FROM cf_case_numbers");
        await (await SubmitAsync(Submission("GFT-X-1", Pension, [Material("M00", sha256: "abc123")]))).ProblemAsync(400, "online.material_hash_invalid");
        await (await SubmitAsync(Submission("GFT-X-2", Pension, [Material("M99")]))).ProblemAsync(400, "online.material_not_in_checklist");
        await (await SubmitAsync(Submission("GFT-X-3", Pension, [Material("M00", size: 0)]))).ProblemAsync(400, "online.material_size_invalid");
        await (await SubmitAsync(Submission("GFT-X-4", Pension, [Material("M00", mediaType: "application/x-msdownload")]))).ProblemAsync(400, "online.material_media_type_not_allowed");
        await (await SubmitAsync(Submission("GFT-X-5", Pension, []))).ProblemAsync(400, "online.materials_required");
        await (await SubmitAsync(Submission("GFT-X-6", Pension, [Material("M00"), Material("M01", sha256: Hash("M00"))]))).ProblemAsync(400, "online.material_repeated");
        await (await SubmitAsync(Submission("GFT-X-7", Pension, [Material("M00")], centre: "centre-nowhere"))).ProblemAsync(404, "online.centre_not_found");
        await (await SubmitAsync(Submission("GFT-X-8", "361130-999999999", [Material("M00")]))).ProblemAsync(404, "catalogue.item_not_found");
        await (await SubmitAsync(new { submissionId = "GFT-X-9", centreCode = DemoStaff.TownshipCentre, itemCode = Pension,
            applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "110105194912310021" }, submittedAt = "2025-09-26T09:12:00+08:00",
            materials = new[] { Material("M00") } })).ProblemAsync(400, "identity.resident_id_invalid");
        await (await SubmitAsync(new { submissionId = "GFT/../X", centreCode = DemoStaff.TownshipCentre })).ProblemAsync(400, "request.id_invalid");
        await (await SubmitAsync(new[] { 1, 2 })).ProblemAsync(400, "platform.body_invalid");
        await (await SubmitAsync(new { blob = new string('x', 1_100_000) })).ProblemAsync(413, "platform.body_too_large");
        Assert.Equal(mark, await StoreMarkAsync());
        Assert.Equal(numbers, await api.Db.ScalarAsync<long>("SELECT coalesce(sum(last), 0) FROM cf_case_numbers"));
    }

    [Fact]
    public async Task No_token_is_ever_a_platform_a_token_naming_the_Platform_role_is_refused()
    {
        var claims = DemoStaff.Find("clerk-tw-1").Claims()
            .Select(c => c.Type == CaseFlow.Api.Infrastructure.CaseFlowClaims.Role ? new System.Security.Claims.Claim(c.Type, "Platform") : c);
        var token = CaseFlow.Api.Infrastructure.Security.IssueToken(api.Services.GetRequiredService<CaseFlow.Api.Infrastructure.JwtOptions>(), claims, TimeProvider.System.GetUtcNow());
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await client.GetAsync(new Uri("/api/window/cases", UriKind.Relative))).ProblemAsync(401, "auth.token_incomplete");
    }

    [Fact]
    public async Task The_demo_shows_one_submission_waiting_in_pre_review_and_one_the_clerk_accepted()
    {
        var queue = await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/online-submissions?limit=500");
        var rows = queue.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("submissionId").GetString()!, r => r);
        Assert.Equal("Received", rows["GFT-DEMO-0001"].GetProperty("status").GetString());
        Assert.Equal("Accepted", rows["GFT-DEMO-0002"].GetProperty("status").GetString());
        Assert.Equal("Accepted", rows["GFT-DEMO-0002"].GetProperty("lastOutcome").GetString());
    }
}
