using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Organisation;
using CaseFlow.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 13, "done means 1": every operation of contracts/openapi.json called by every kind of caller — no token,
/// an expired token, and ten demo staff from the township centre, the county, its departments and another county —
/// answers as tests/CaseFlow.Api.Tests/access-matrix.csv says. A cell is an exact status or <c>ok</c> (allowed: not
/// 401/403, never ≥ 500; a business rule may still refuse). A refused (401/403) write changes no stream: the event
/// store's streams and versions are compared before and after every refusal. The ids in the paths are demo objects
/// of the township centre, the county 人社局 and 宁都; writes on a case get a case of their own in the state they need,
/// and each operation's refused callers go first, so they meet that state.
/// </summary>
public sealed class AccessMatrixTests(DemoApiFactory api, ITestOutputHelper output) : IClassFixture<DemoApiFactory>, IDisposable
{
    private static readonly string[] Staff =
        ["clerk-tw-1", "clerk-cty-1", "agent-cn-1", "approver-rsj-1", "approver-mzj-1", "approver-wjw-1", "head-rsj-1", "supervisor-cty-1", "supervisor-rj-1", "admin-1"];

    private static readonly string[] Callers = ["anonymous", "expired", .. Staff];

    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private const string Clerk = "clerk-tw-1";
    private const string Approver = "approver-rsj-1";
    private const string Supervisor = "supervisor-cty-1";
    private const string Admin = "admin-1";
    private const string Pension = "361130-000201002";   // 城乡居民基本养老保险待遇申领: county 人社局; M00, M01, M04 (non-key), M05 (key)
    private const string Enrolment = "361130-000201001"; // 城乡居民基本养老保险参保登记 (revised by the admin row, used by nothing else here)
    private const string ApplicantName = "刘建国";
    private const string ApplicantId = "11010519491231002X";
    private static readonly string[] AllMaterials = ["M00", "M01", "M04", "M05"];

    private static string MatrixFile => Path.Combine(Repository.Root, "tests", "CaseFlow.Api.Tests", "access-matrix.csv");

    private static string ContractFile => Path.Combine(Repository.Root, "contracts", "openapi.json");

    private readonly Dictionary<string, HttpClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
    }

    [Fact]
    public void The_matrix_has_one_row_for_every_operation_of_the_contract_and_no_other()
    {
        var (rows, problems) = ReadMatrix();
        problems.AddRange(Coverage(ContractOperations(), rows));
        Assert.True(problems.Count == 0, "tests/CaseFlow.Api.Tests/access-matrix.csv does not match contracts/openapi.json:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_caller_gets_the_answer_the_matrix_expects_and_a_refused_caller_writes_nothing()
    {
        var watch = Stopwatch.StartNew();
        var operations = ContractOperations();
        var (rows, failures) = ReadMatrix();
        failures.AddRange(Coverage(operations, rows));
        var expected = rows.GroupBy(r => r.Operation).ToDictionary(g => g.Key, g => g.First());
        var world = await WorldAsync();

        var calls = 0;
        foreach (var operation in operations)
        {
            if (!expected.TryGetValue(operation, out var row))
                continue; // reported by Coverage
            Call call;
            try
            {
                call = await PrepareAsync(operation, world);
            }
            catch (Exception e) when (e is SetupFailed or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or JsonException)
            {
                failures.Add($"{operation}: could not prepare the call: {e.Message}");
                continue;
            }
            var writes = operation.Method != "GET";
            // Refusals first: they meet the state prepared for the operation, and must leave it as it was.
            foreach (var caller in Callers.OrderBy(c => Refusal(row.Cells[c]) ? 0 : 1))
            {
                var before = writes ? await StoreMarkAsync() : null;
                var (status, code) = await SendAsync(ClientFor(caller, row), operation.Method, call);
                calls++;
                var cell = row.Cells[caller];
                if (!Matches(cell, status))
                    failures.Add($"{operation} {caller}: expected {cell}, got {status}{(code is null ? "" : $" ({code})")}");
                if (!writes || status is not (401 or 403))
                    continue;
                var after = await StoreMarkAsync();
                if (after != before)
                    failures.Add($"{operation} {caller}: refused with {status} but the event store changed (streams:versions {before} → {after})");
            }
        }

        output.WriteLine($"{operations.Count} operations × {Callers.Length} callers = {calls} calls in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} answer(s) differ from tests/CaseFlow.Api.Tests/access-matrix.csv:\n" + string.Join("\n", failures));
    }

    // ---- the contract and the table ------------------------------------------------------------------------

    private sealed record Operation(string Method, string Path)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private sealed record Row(int Line, Operation Operation, IReadOnlyDictionary<string, string> Cells);

    private static List<Operation> ContractOperations()
    {
        using var contract = JsonDocument.Parse(File.ReadAllText(ContractFile));
        var operations = new List<Operation>();
        foreach (var path in contract.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => HttpMethods.Contains(m.Name)))
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name));
        }
        return operations;
    }

    /// <summary>The rows of the table, and what is wrong with its form (header, cell values, duplicates).</summary>
    private static (List<Row> Rows, List<string> Problems) ReadMatrix()
    {
        var rows = new List<Row>();
        var problems = new List<string>();
        var header = "method,path," + string.Join(',', Callers);
        var seenHeader = false;
        var lines = File.ReadAllLines(MatrixFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (!seenHeader)
            {
                seenHeader = true;
                if (line != header)
                    problems.Add($"access-matrix.csv line {i + 1}: the header must be `{header}`");
                continue;
            }
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != 2 + Callers.Length)
            {
                problems.Add($"access-matrix.csv line {i + 1}: {cells.Length} cells, expected {2 + Callers.Length}");
                continue;
            }
            var operation = new Operation(cells[0].ToUpperInvariant(), cells[1]);
            var byCaller = Callers.Select((c, k) => (c, cells[k + 2])).ToDictionary(x => x.c, x => x.Item2);
            foreach (var (caller, cell) in byCaller.Where(x => !ValidCell(x.Value)))
                problems.Add($"access-matrix.csv line {i + 1} {operation} {caller}: `{cell}` is neither `ok` nor a status code 100–499");
            if (rows.Any(r => r.Operation == operation))
                problems.Add($"access-matrix.csv line {i + 1}: a second row for {operation}");
            rows.Add(new Row(i + 1, operation, byCaller));
        }
        return (rows, problems);
    }

    private static IEnumerable<string> Coverage(List<Operation> contract, List<Row> rows)
    {
        foreach (var operation in contract.Where(o => rows.All(r => r.Operation != o)))
            yield return $"{operation}: in contracts/openapi.json but has no row in access-matrix.csv (who may call it?)";
        foreach (var row in rows.Where(r => !contract.Contains(r.Operation)))
            yield return $"{row.Operation} (access-matrix.csv line {row.Line}): no such operation in contracts/openapi.json";
    }

    private static bool ValidCell(string cell) =>
        cell == "ok" || (cell.Length == 3 && int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and < 500);

    private static bool Refusal(string cell) => cell is "401" or "403";

    /// <summary><c>ok</c>: allowed — any answer but 401, 403 and a server error. Otherwise exactly that status.</summary>
    private static bool Matches(string cell, int status) =>
        status < 500 && (cell == "ok" ? status is not (401 or 403) : status == int.Parse(cell, CultureInfo.InvariantCulture));

    // ---- calling ---------------------------------------------------------------------------------------------

    /// <summary>A concrete request: the path with ids and query filled in, and the JSON body (writes only).</summary>
    private sealed record Call(string Url, object? Body = null);

    private sealed class SetupFailed(string message) : Exception(message);

    private HttpClient Client(string staff)
    {
        if (!_clients.TryGetValue(staff, out var client))
            _clients[staff] = client = api.As(staff);
        return client;
    }

    /// <summary>
    /// The client of a column. The expired token is one of the first member of staff the row allows (an
    /// administrator where none is), so it is the token's age alone that refuses it.
    /// </summary>
    private HttpClient ClientFor(string caller, Row row)
    {
        if (caller == "anonymous")
            return CachedClient("anonymous", api.Anonymous);
        if (caller != "expired")
            return Client(caller);
        var owner = Staff.FirstOrDefault(s => row.Cells[s] == "ok") ?? Admin;
        return CachedClient("expired:" + owner, () =>
        {
            var client = api.Anonymous();
            var jwt = api.Services.GetRequiredService<JwtOptions>();
            var token = Security.IssueToken(jwt, DemoStaff.Find(owner).Claims(), TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(2));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        });
    }

    private HttpClient CachedClient(string key, Func<HttpClient> create)
    {
        if (!_clients.TryGetValue(key, out var client))
            _clients[key] = client = create();
        return client;
    }

    private static async Task<(int Status, string? Code)> SendAsync(HttpClient client, string method, Call call)
    {
        using var response = await SendRawAsync(client, method, call);
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
        }
        return ((int)response.StatusCode, code);
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, string method, Call call)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(call.Url, UriKind.Relative));
        if (method != "GET")
            request.Content = JsonContent.Create(call.Body ?? new { });
        return await client.SendAsync(request);
    }

    /// <summary>Streams and the sum of their versions: any event appended anywhere changes it.</summary>
    private Task<string> StoreMarkAsync() =>
        api.Db.ScalarAsync<string>("SELECT count(*) || ':' || coalesce(sum(version), 0) FROM cf_stream_log");

    /// <summary>A setup step as an allowed member of staff; it must succeed.</summary>
    private async Task<JsonElement> OkAsync(string staff, string method, string url, object? body = null)
    {
        using var response = await SendRawAsync(Client(staff), method, new Call(url, body));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new SetupFailed($"{method} {url} as {staff} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    // ---- the demo objects the paths name ---------------------------------------------------------------------

    /// <summary>Ids shared by the read operations: a township case with a 人社局 part, its acceptance notice, and so on.</summary>
    private sealed record World(Guid PensionItem, Guid EnrolmentItem, Guid ReadCase, string DocumentNumber, Guid Inquiry, Guid RsjPost, Guid TownshipCentre);

    private async Task<World> WorldAsync()
    {
        api.Clock.Set(DateTimeOffset.Parse("2025-09-26T09:30:00+08:00", CultureInfo.InvariantCulture));
        var readCase = await AcceptedAsync();
        var documents = await OkAsync(Clerk, "GET", $"/api/window/cases/{readCase}/documents");
        var inquiry = await InquiryAsync();
        return new World(ServiceItemId.For(Pension), ServiceItemId.For(Enrolment), readCase, documents.GetProperty("items")[0].GetProperty("number").GetString()!, inquiry,
            StableId.For("post", "dept-361130-rsj/审批岗"), ServiceCentre.StreamIdFor(DemoStaff.TownshipRegion));
    }

    private static object ReceiptBody(IEnumerable<string> present) => new
    {
        windowId = "window-tw-1", itemId = ServiceItemId.For(Pension),
        applicant = new { kind = "Person", name = ApplicantName, residentIdNumber = ApplicantId, phone = "13907971234" },
        materials = present.Select(code => new { code, state = "Present" }).ToArray(),
    };

    /// <summary>A pension case received at window-tw-1 by clerk-tw-1 with the given materials.</summary>
    private async Task<Guid> ReceivedAsync(params string[] present) =>
        (await OkAsync(Clerk, "POST", "/api/window/cases", ReceiptBody(present.Length == 0 ? AllMaterials : present))).GetProperty("id").GetGuid();

    /// <summary>Accepted: its 人社局 part waits in the county department's inbox.</summary>
    private async Task<Guid> AcceptedAsync()
    {
        var id = await ReceivedAsync();
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/acceptance", new { });
        return id;
    }

    private async Task<Guid> ClaimedAsync()
    {
        var id = await AcceptedAsync();
        await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/claim");
        return id;
    }

    /// <summary>Claimed by approver-rsj-1 and passed up to the decision step.</summary>
    private async Task<Guid> AtDecisionAsync()
    {
        var id = await ClaimedAsync();
        for (var i = 0; i < 10; i++)
        {
            var part = (await OkAsync(Approver, "GET", $"/api/backoffice/cases/{id}")).GetProperty("parts")[0];
            if (part.GetProperty("stepIndex").GetInt32() >= part.GetProperty("steps").GetArrayLength() - 1)
                return id;
            await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/steps", new { action = "Pass", opinion = "材料齐全，核对无误。" });
        }
        throw new SetupFailed("the pension part never reached its decision step");
    }

    private async Task<Guid> DecidedAsync()
    {
        var id = await AtDecisionAsync();
        await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/decision", new { approved = true, opinion = "符合领取条件，准予按月领取养老金。" });
        return id;
    }

    private static object ResultBody(string number) => new { documents = new[] { new { kind = "待遇核定通知", number } }, sealId = "seal-361130-spj-01" };

    /// <summary>Decided and its result registered: waiting at the window for pickup.</summary>
    private async Task<Guid> ResultReadyAsync()
    {
        var id = await DecidedAsync();
        await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/result", ResultBody("宁人社待〔2025〕0901号"));
        return id;
    }

    private static object HandOutBody => new { receiverName = ApplicantName, receiverIdNumber = ApplicantId };

    private async Task<Guid> HandedOutAsync()
    {
        var id = await ResultReadyAsync();
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/handout", HandOutBody);
        return id;
    }

    /// <summary>Handed out and rated 不满意 by name: a return visit and a rectification are due.</summary>
    private async Task<Guid> BadlyRatedAsync()
    {
        var id = await HandedOutAsync();
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/rating", new { level = "Dissatisfied", channel = "Window", details = "等候时间过长", named = true });
        return id;
    }

    private static object ReturnVisitBody => new { text = "已电话回访，申请人反映等候时间长。" };

    private static object MailBody => new { carrier = "中国邮政EMS", waybillNumber = "1198765432101", address = "江西省赣州市宁都县梅江镇城南村12号" };

    private async Task<Guid> MailedAsync()
    {
        var id = await ResultReadyAsync();
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/mailing", MailBody);
        return id;
    }

    private async Task<Guid> SuspendedAsync()
    {
        var id = await ClaimedAsync();
        await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/suspension", new { procedure = "专家评审", reason = "待遇测算需专家评审" });
        return id;
    }

    /// <summary>Claimed, then returned by the department to the window.</summary>
    private async Task<Guid> ReturnedAsync()
    {
        var id = await ClaimedAsync();
        await OkAsync(Approver, "POST", $"/api/backoffice/cases/{id}/parts/{Pension}/steps", new { action = "ReturnToWindow", opinion = "银行账户信息与本人不符，请窗口核实。" });
        return id;
    }

    private static object EscalationBody => new { reason = "申请人反映多次往返仍未办成", coordinatorId = "clerk-tw-2", coordinatorName = DemoStaff.Find("clerk-tw-2").Name, dueOn = "2025-10-15" };

    private async Task<Guid> EscalatedAsync()
    {
        var id = await AcceptedAsync();
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/escalation", EscalationBody);
        return id;
    }

    private static object NoticeBody => new { items = new[] { new { code = "M05", reason = "未提交户口簿首页及本人页", legalBasis = (string?)null } } };

    /// <summary>Received without its key material M05 and a one-time notice issued for it.</summary>
    private async Task<(Guid Case, Guid Notice)> NoticedAsync()
    {
        var id = await ReceivedAsync("M00", "M01", "M04");
        await OkAsync(Clerk, "POST", $"/api/window/cases/{id}/notices", NoticeBody);
        var notice = (await OkAsync(Clerk, "GET", $"/api/window/cases/{id}")).GetProperty("notices")[0].GetProperty("noticeId").GetGuid();
        return (id, notice);
    }

    private static object OrderBody => new { instruction = "请于期限内说明办理进度", dueOn = "2025-10-15" };

    /// <summary>Claimed by the 人社局 and a 督办 order on it from the 宁都 supervisor.</summary>
    private async Task<(Guid Case, Guid Order)> OrderedAsync()
    {
        var id = await ClaimedAsync();
        await OkAsync(Supervisor, "POST", $"/api/supervision/cases/{id}/orders", OrderBody);
        var order = (await OkAsync(Supervisor, "GET", $"/api/supervision/cases/{id}")).GetProperty("orders")[0].GetProperty("orderId").GetGuid();
        return (id, order);
    }

    private async Task<object> AccountabilityBodyAsync(Guid id) => new
    {
        targetKind = "Person", targetId = Clerk, targetName = DemoStaff.Find(Clerk).Name, measure = "Reminder", facts = "受理后未及时告知申请人办理进度",
        evidenceEventIds = new[] { await api.Db.ScalarAsync<Guid>($"SELECT id FROM cf_event_log WHERE stream_id = '{id}' ORDER BY seq LIMIT 1") },
    };

    private async Task<(Guid Case, Guid Record)> AccountableAsync()
    {
        var id = await AcceptedAsync();
        await OkAsync(Supervisor, "POST", $"/api/supervision/cases/{id}/accountability", await AccountabilityBodyAsync(id));
        var record = (await OkAsync(Supervisor, "GET", $"/api/supervision/cases/{id}")).GetProperty("accountabilityRecords")[0].GetProperty("recordId").GetGuid();
        return (id, record);
    }

    private int _applicants;
    private bool _slotsPublished;

    private static string MatrixIdNumber(int n)
    {
        var first17 = $"36113019500101{n % 1000:000}";
        return first17 + CaseFlow.Domain.Identity.ResidentIdNumber.CheckCharacter(first17);
    }

    private object BookingBody(Guid slotId) => new
    {
        slotId, itemCode = Pension, applicant = new { name = ApplicantName, residentIdNumber = MatrixIdNumber(++_applicants), phone = "13907971234" },
    };

    /// <summary>Two township slots on 2025-10-20 (morning, afternoon) with Pension bookable, published once by the administrator.</summary>
    private async Task<Guid> MatrixSlotAsync(int which)
    {
        if (!_slotsPublished)
        {
            await OkAsync(Admin, "PUT", "/api/admin/appointments/centres/centre-361130100/items", new { itemCodes = new[] { Pension } });
            await OkAsync(Admin, "POST", "/api/admin/appointments/centres/centre-361130100/slots", new
            {
                slots = new[]
                {
                    new { windowId = "window-tw-1", day = "2025-10-20", from = "09:00:00", to = "12:00:00", kind = "Regular", capacity = 400 },
                    new { windowId = "window-tw-1", day = "2025-10-20", from = "14:30:00", to = "17:30:00", kind = "Regular", capacity = 400 },
                },
            });
            _slotsPublished = true;
        }
        return CaseFlow.Domain.Appointments.SlotDefinition.IdFor("window-tw-1", new DateOnly(2025, 10, 20), which == 0 ? new TimeOnly(9, 0) : new TimeOnly(14, 30));
    }

    /// <summary>A booking made at the township window by clerk-tw-1 for applicant <paramref name="n"/> (a new one by default).</summary>
    private async Task<Guid> BookingAsync(int? n = null)
    {
        var slot = await MatrixSlotAsync(0);
        var applicant = n ?? ++_applicants;
        return (await OkAsync(Clerk, "POST", "/api/window/appointments", new
        {
            slotId = slot, itemCode = Pension, applicant = new { name = ApplicantName, residentIdNumber = MatrixIdNumber(applicant), phone = "13907971234" },
        })).GetProperty("id").GetGuid();
    }

    private static object InquiryBody => new { enquirerName = "王小明", enquirerPhone = "13907970001", topic = "城乡居民养老保险待遇申领需要哪些材料", channel = "Window" };

    /// <summary>An open first inquiry owned by clerk-tw-1 at the township centre.</summary>
    private static readonly object ComplaintBody = new
    {
        centreId = "centre-361130100", source = "Phone", against = "Window", targetId = "window-tw-1", facts = "窗口工作人员长时间离岗。",
        anonymous = false, complainantName = ApplicantName, complainantPhone = "13907971234",
    };

    private async Task<Guid> ComplaintAsync() => (await OkAsync(Clerk, "POST", "/api/complaints", ComplaintBody)).GetProperty("id").GetGuid();

    private async Task<Guid> InquiryAsync() => (await OkAsync(Clerk, "POST", "/api/window/inquiries", InquiryBody)).GetProperty("id").GetGuid();

    private async Task<JsonNode> ItemDefinitionAsync(string code) =>
        JsonNode.Parse((await OkAsync(Admin, "GET", $"/api/catalogue/items?code={code}")).GetProperty("items")[0].GetProperty("definition").GetRawText())!;

    // ---- one concrete call per operation ---------------------------------------------------------------------

    /// <summary>
    /// The request for an operation, after preparing what it acts on. An operation not named here (a new one) is
    /// called with the read case's ids and an empty body.
    /// </summary>
    private async Task<Call> PrepareAsync(Operation operation, World w)
    {
        const string cases = "/api/window/cases/";
        var part = $"/parts/{Pension}";
        switch (operation.ToString())
        {
            // Administration: bodies an administrator may send without disturbing the other rows.
            case "POST /api/admin/catalogue/bundles":
                return new Call("/api/admin/catalogue/bundles", new
                {
                    code = "YJS-361130-901", name = "退休养老一件事（访问矩阵）", itemCodes = new[] { Pension, Enrolment }, leadDepartmentId = "dept-361130-rsj",
                    coDepartmentIds = Array.Empty<string>(), combinedPromisedLimitWorkingDays = 10, jointStatutoryLimitWorkingDays = 20,
                });
            case "POST /api/admin/catalogue/items":
            {
                var definition = await ItemDefinitionAsync(Enrolment);
                definition["implementationCode"] = "361130-000201901";
                definition["name"] = "城乡居民基本养老保险参保登记（访问矩阵）";
                return new Call("/api/admin/catalogue/items", definition);
            }
            case "PUT /api/admin/catalogue/items/{id}":
                return new Call($"/api/admin/catalogue/items/{w.EnrolmentItem}", new { definition = await ItemDefinitionAsync(Enrolment), changeNote = "访问矩阵：原样修订" });
            case "PUT /api/admin/calendar/{year}":
            {
                var year = await OkAsync(Admin, "GET", "/api/calendar/2025");
                return new Call("/api/admin/calendar/2025", new { holidays = year.GetProperty("holidays"), makeUpWorkdays = year.GetProperty("makeUpWorkdays"), source = year.GetProperty("source") });
            }
            case "GET /api/admin/projections":
                return new Call("/api/admin/projections");
            case "POST /api/admin/projections/{name}/rebuild":
                return new Call($"/api/admin/projections/{(await OkAsync(Admin, "GET", "/api/admin/projections")).GetProperty("items")[0].GetProperty("name").GetString()}/rebuild");
            case "GET /api/admin/projections/rebuilds/{id}":
            {
                var job = await OkAsync(Admin, "POST", "/api/admin/projections/ledger_inquiries/rebuild");
                return new Call($"/api/admin/projections/rebuilds/{job.GetProperty("id").GetGuid()}");
            }
            case "POST /api/admin/organisation/centres":
                return new Call("/api/admin/organisation/centres", new
                {
                    centreCode = "centre-361130102", name = "宁都县青塘镇便民服务中心", region = new { code = "361130102000", name = "青塘镇", level = "Township", parentCode = DemoStaff.CountyRegion },
                });
            case "POST /api/admin/organisation/centres/{id}/departments":
                return new Call($"/api/admin/organisation/centres/{w.TownshipCentre}/departments", new { departmentId = "dept-361130100-nyb", name = "梅江镇农业农村办" });
            case "POST /api/admin/organisation/centres/{id}/windows":
                return new Call($"/api/admin/organisation/centres/{w.TownshipCentre}/windows", new
                {
                    windowId = "window-tw-8", number = "8", kind = "Specialised", category = "民政", acceptedCategories = new[] { "民政" }, acceptedItemCodes = Array.Empty<string>(),
                });
            case "POST /api/admin/organisation/staff":
                return new Call("/api/admin/organisation/staff", new
                {
                    staffId = "clerk-tw-9", name = "陈晓燕", role = "Clerk", unitId = DemoStaff.TownshipCentre, unitName = DemoStaff.TownshipCentreName + "综合窗口", centreId = DemoStaff.TownshipCentre,
                });
            case "POST /api/admin/organisation/posts":
                return new Call("/api/admin/organisation/posts", new
                {
                    centreId = w.TownshipCentre, name = "梅江镇综合窗口建设岗", aHolderId = "clerk-tw-2", aHolderName = DemoStaff.Find("clerk-tw-2").Name, bHolderId = Clerk, bHolderName = DemoStaff.Find(Clerk).Name,
                });
            case "PUT /api/admin/warning-rules":
                return new Call("/api/admin/warning-rules", new { rules = (await OkAsync(Admin, "GET", "/api/warning-rules")).GetProperty("rules"), note = "访问矩阵：原样重新发布" });

            // 后台审批 on a township case whose part belongs to the county 人社局.
            case "GET /api/backoffice/inbox":
                return new Call("/api/backoffice/inbox");
            case "GET /api/backoffice/cases/{id}":
                return new Call($"/api/backoffice/cases/{w.ReadCase}");
            case "POST /api/backoffice/cases/{id}/extension":
                return new Call($"/api/backoffice/cases/{await ClaimedAsync()}/extension", new { workingDays = 5, reason = "需向省社保中心核实参保缴费记录" });
            case "POST /api/backoffice/cases/{id}/parts/{partId}/claim":
                return new Call($"/api/backoffice/cases/{await AcceptedAsync()}{part}/claim");
            case "POST /api/backoffice/cases/{id}/parts/{partId}/steps":
                return new Call($"/api/backoffice/cases/{await ClaimedAsync()}{part}/steps", new { action = "Pass", opinion = "参保缴费记录核对无误。" });
            case "POST /api/backoffice/cases/{id}/parts/{partId}/decision":
                return new Call($"/api/backoffice/cases/{await AtDecisionAsync()}{part}/decision", new { approved = true, opinion = "符合领取条件，准予按月领取养老金。" });
            case "POST /api/backoffice/cases/{id}/parts/{partId}/result":
                return new Call($"/api/backoffice/cases/{await DecidedAsync()}{part}/result", ResultBody("宁人社待〔2025〕0902号"));
            case "POST /api/backoffice/cases/{id}/parts/{partId}/suspension":
                return new Call($"/api/backoffice/cases/{await ClaimedAsync()}{part}/suspension", new { procedure = "专家评审", reason = "待遇测算需专家评审" });
            case "POST /api/backoffice/cases/{id}/parts/{partId}/resumption":
                return new Call($"/api/backoffice/cases/{await SuspendedAsync()}{part}/resumption");
            case "POST /api/backoffice/cases/{id}/parts/{partId}/correction":
                return new Call($"/api/backoffice/cases/{await ClaimedAsync()}{part}/correction", new { items = new[] { new { code = "M04", reason = "社保卡复印件不清晰", legalBasis = (string?)null } } });
            case "POST /api/backoffice/cases/{id}/parts/{partId}/reassignment":
                return new Call($"/api/backoffice/cases/{await ClaimedAsync()}{part}/reassignment", new { toId = "approver-rsj-2", toName = DemoStaff.Find("approver-rsj-2").Name, reason = "A 岗下乡，改由 B 岗承办" });

            case "GET /dev/staff":
                return new Call("/dev/staff");
            case "POST /dev/tokens":
                return new Call("/dev/tokens", new { staffId = Clerk });

            // Every member of staff.
            case "GET /api/catalogue/items":
                return new Call("/api/catalogue/items?q=养老");
            case "GET /api/catalogue/items/{id}":
                return new Call($"/api/catalogue/items/{w.PensionItem}");
            case "GET /api/catalogue/items/{id}/revisions/{revision}":
                return new Call($"/api/catalogue/items/{w.PensionItem}/revisions/1");
            case "GET /api/catalogue/bundles":
                return new Call("/api/catalogue/bundles");
            case "GET /api/cases/{id}/timeline":
                return new Call($"/api/cases/{w.ReadCase}/timeline");
            case "GET /api/organisation/posts":
                return new Call("/api/organisation/posts");
            case "POST /api/organisation/posts/{id}/absences":
                // approver-rsj-1's meeting, well after the clock: nobody is made absent for the other rows.
                return new Call($"/api/organisation/posts/{w.RsjPost}/absences", new
                {
                    holderId = Approver, whereabouts = "Meeting", from = "2025-10-20T09:00:00+08:00", to = "2025-10-20T12:00:00+08:00", note = "县人社局业务培训",
                });
            // 投诉举报 and 去向留言 at the township centre (issue 17).
            case "POST /api/complaints":
                return new Call("/api/complaints", ComplaintBody);
            case "GET /api/complaints/{id}":
                return new Call($"/api/complaints/{await ComplaintAsync()}");
            case "GET /api/supervision/complaints":
                return new Call("/api/supervision/complaints");
            case "POST /api/supervision/complaints/{id}/answer":
                return new Call($"/api/supervision/complaints/{await ComplaintAsync()}/answer", new { finding = "NotSubstantiated", answer = "经核实不属实。" });
            case "POST /api/supervision/complaints/{id}/return-visit":
            {
                var id = await ComplaintAsync();
                await OkAsync(Supervisor, "POST", $"/api/supervision/complaints/{id}/answer", new { finding = "NotSubstantiated", answer = "经核实不属实。" });
                return new Call($"/api/supervision/complaints/{id}/return-visit", new { satisfaction = "Satisfied", note = "电话回访，投诉人认可答复。" });
            }
            case "POST /api/window/whereabouts":
                return new Call("/api/window/whereabouts", new { windowId = "window-tw-1", reason = "到档案室调取档案", expectedReturnAt = "2025-09-26T10:00:00+08:00", contact = "0797-6821234" });
            case "POST /api/window/whereabouts/return":
                return new Call("/api/window/whereabouts/return");
            case "GET /api/public/windows/{windowId}/status":
                return new Call("/api/public/windows/window-tw-1/status");
            case "GET /api/calendar/{year}":
                return new Call("/api/calendar/2025");
            case "GET /api/calendar/deadline":
                return new Call("/api/calendar/deadline?workingDays=10");
            case "GET /api/ledger/mine":
                return new Call("/api/ledger/mine?month=2025-09");
            case "GET /api/reports/department":
                return new Call("/api/reports/department?from=2025-09&to=2025-09");
            case "POST /api/cases/{id}/supervision-orders/{orderId}/answer":
            {
                var (id, order) = await OrderedAsync();
                return new Call($"/api/cases/{id}/supervision-orders/{order}/answer", new { answer = "已督促承办人，预计三个工作日内办结。" });
            }
            case "GET /api/warning-rules":
                return new Call("/api/warning-rules");

            // 差评整改 on a township case rated badly by name.
            case "POST /api/supervision/ratings/{id}/return-visit":
                return new Call($"/api/supervision/ratings/{await BadlyRatedAsync()}/return-visit", ReturnVisitBody);
            case "POST /api/supervision/ratings/{id}/rectification":
            {
                var id = await BadlyRatedAsync();
                await OkAsync(Clerk, "POST", $"/api/supervision/ratings/{id}/return-visit", ReturnVisitBody);
                return new Call($"/api/supervision/ratings/{id}/rectification", new { text = "高峰时段增开一个综合窗口。" });
            }
            case "POST /api/supervision/ratings/{id}/void":
                return new Call($"/api/supervision/ratings/{await BadlyRatedAsync()}/void", new { text = "经核实为误评。" });

            // 电子监察 of 宁都.
            case "GET /api/supervision/board":
                return new Call("/api/supervision/board");
            case "GET /api/supervision/cases/{id}":
                return new Call($"/api/supervision/cases/{w.ReadCase}");
            case "GET /api/supervision/overdue":
                return new Call("/api/supervision/overdue");
            case "POST /api/supervision/cases/{id}/orders":
                return new Call($"/api/supervision/cases/{await AcceptedAsync()}/orders", OrderBody);
            case "POST /api/supervision/cases/{id}/accountability":
            {
                var id = await AcceptedAsync();
                return new Call($"/api/supervision/cases/{id}/accountability", await AccountabilityBodyAsync(id));
            }
            case "POST /api/supervision/cases/{id}/accountability/{recordId}/conclusion":
            {
                var (id, record) = await AccountableAsync();
                return new Call($"/api/supervision/cases/{id}/accountability/{record}/conclusion", new { outcome = "已约谈提醒，当事人作出书面说明。" });
            }
            case "GET /api/organisation/centres":
                return new Call("/api/organisation/centres");
            case "GET /api/organisation/staff":
                return new Call("/api/organisation/staff");
            case "GET /api/supervision/reports":
                return new Call("/api/supervision/reports?from=2025-09&to=2025-09");
            case "GET /api/supervision/reports/quarterly":
                return new Call("/api/supervision/reports/quarterly?quarter=2025Q3");
            case "GET /api/supervision/ledger/inquiries":
                return new Call("/api/supervision/ledger/inquiries?month=2025-09");
            case "GET /api/supervision/ledger/accountability":
                return new Call("/api/supervision/ledger/accountability?month=2025-09");

            // The township window.
            case "GET /api/window/windows/{windowId}/catalogue":
                return new Call("/api/window/windows/window-tw-1/catalogue?q=养老");
            case "POST /api/window/cases/{id}/delivery":
                return new Call($"{cases}{await ResultReadyAsync()}/delivery", new { method = "Mail", address = "江西省赣州市宁都县梅江镇城南村12号" });
            case "POST /api/window/cases/{id}/handout":
                return new Call($"{cases}{await ResultReadyAsync()}/handout", HandOutBody);
            case "POST /api/window/cases/{id}/mailing":
                return new Call($"{cases}{await ResultReadyAsync()}/mailing", MailBody);
            case "POST /api/window/cases/{id}/mailing/delivered":
                return new Call($"{cases}{await MailedAsync()}/mailing/delivered", new { deliveredOn = "2025-09-26" });
            case "POST /api/window/cases/{id}/rating":
                return new Call($"{cases}{await HandedOutAsync()}/rating", new { level = "Satisfied", channel = "Window", named = false });
            case "POST /api/window/cases":
                return new Call("/api/window/cases", ReceiptBody(AllMaterials));
            case "GET /api/window/cases":
                return new Call("/api/window/cases");
            case "GET /api/window/cases/{id}":
                return new Call($"{cases}{w.ReadCase}");
            case "POST /api/window/cases/{id}/acceptance":
                return new Call($"{cases}{await ReceivedAsync()}/acceptance", new { });
            case "POST /api/window/cases/{id}/acceptance-with-deficiency":
                return new Call($"{cases}{await ReceivedAsync("M00", "M01", "M05")}/acceptance-with-deficiency", new
                {
                    deficiencies = new[] { new { code = "M04", dueOn = "2025-09-30" } }, commitment = "本人承诺在规定期限内补交社保卡复印件。",
                });
            case "POST /api/window/cases/{id}/notices":
                return new Call($"{cases}{await ReceivedAsync("M00", "M01", "M04")}/notices", NoticeBody);
            case "GET /api/window/cases/{id}/notices/{noticeId}":
            {
                var (id, notice) = await NoticedAsync();
                return new Call($"{cases}{id}/notices/{notice}");
            }
            case "POST /api/window/cases/{id}/notices/{noticeId}/stub":
            {
                var (id, notice) = await NoticedAsync();
                return new Call($"{cases}{id}/notices/{notice}/stub", new { signedBy = ApplicantName });
            }
            case "POST /api/window/cases/{id}/supplements":
                return new Call($"{cases}{(await NoticedAsync()).Case}/supplements", new { materials = new[] { new { code = "M05", state = "Present" } } });
            case "POST /api/window/cases/{id}/rejection":
                return new Call($"{cases}{await ReceivedAsync()}/rejection", new
                {
                    reason = "申请人未达到法定领取年龄", legalBasis = "《中华人民共和国社会保险法》第二十二条", notCompetent = false, reconsiderationBody = "宁都县人民政府", court = "宁都县人民法院",
                });
            case "POST /api/window/cases/{id}/parts/{partId}/resubmission":
                return new Call($"{cases}{await ReturnedAsync()}{part}/resubmission", new { note = "已核实银行账户，申请人补正了账户信息。" });
            case "POST /api/window/cases/{id}/escalation":
                return new Call($"{cases}{await AcceptedAsync()}/escalation", EscalationBody);
            case "POST /api/window/cases/{id}/escalation/resolution":
                return new Call($"{cases}{await EscalatedAsync()}/escalation/resolution", new { resolution = "经协调，人社局同意加急办理。" });
            case "GET /api/window/cases/{id}/documents":
                return new Call($"{cases}{w.ReadCase}/documents");
            case "GET /api/window/cases/{id}/documents/{number}":
                return new Call($"{cases}{w.ReadCase}/documents/{Uri.EscapeDataString(w.DocumentNumber)}");
            case "GET /api/window/cases/{id}/documents/{number}/print":
                return new Call($"{cases}{w.ReadCase}/documents/{Uri.EscapeDataString(w.DocumentNumber)}/print");
            case "POST /api/window/inquiries":
                return new Call("/api/window/inquiries", InquiryBody);
            case "GET /api/window/inquiries":
                return new Call("/api/window/inquiries");
            case "POST /api/window/inquiries/{id}/answer":
                return new Call($"/api/window/inquiries/{await InquiryAsync()}/answer", new { answer = "已一次性告知所需材料清单。" });
            case "POST /api/window/inquiries/{id}/refer":
                return new Call($"/api/window/inquiries/{await InquiryAsync()}/refer", new
                {
                    targetWindowId = "window-tw-1", targetPersonId = "clerk-tw-2", targetPersonName = DemoStaff.Find("clerk-tw-2").Name, reason = "涉及社保业务，转社保专窗",
                });
            case "GET /api/window/inquiries/{id}":
                return new Call($"/api/window/inquiries/{w.Inquiry}");

            // 预约 (issue 17): a township slot the administrator published for the matrix, a fresh booking per write.
            case "GET /api/window/appointments/slots":
                return new Call("/api/window/appointments/slots");
            case "POST /api/window/appointments":
                return new Call("/api/window/appointments", BookingBody(await MatrixSlotAsync(0)));
            case "GET /api/window/appointments":
                return new Call("/api/window/appointments");
            case "GET /api/window/appointments/{id}":
                return new Call($"/api/window/appointments/{await BookingAsync()}");
            case "POST /api/window/appointments/{id}/reschedule":
                return new Call($"/api/window/appointments/{await BookingAsync()}/reschedule", new { slotId = await MatrixSlotAsync(1) });
            case "POST /api/window/appointments/{id}/cancellation":
                return new Call($"/api/window/appointments/{await BookingAsync()}/cancellation", new { reason = "申请人来电取消" });
            case "PUT /api/admin/appointments/centres/{centreId}/items":
                return new Call("/api/admin/appointments/centres/centre-361130100/items", new { itemCodes = new[] { Pension } });
            case "POST /api/admin/appointments/centres/{centreId}/slots":
                return new Call("/api/admin/appointments/centres/centre-361130100/slots", new
                {
                    slots = new[] { new { windowId = "window-tw-1", day = "2025-10-21", from = "09:00:00", to = "10:00:00", kind = "Regular", capacity = 5 } },
                });
            case "GET /api/public/appointments/centres/{centreId}/items":
                return new Call("/api/public/appointments/centres/centre-361130100/items");
            case "GET /api/public/appointments/slots":
                return new Call("/api/public/appointments/slots?centreId=centre-361130100");
            case "POST /api/public/appointments":
                return new Call("/api/public/appointments", BookingBody(await MatrixSlotAsync(0)));
            case "GET /api/public/appointments/{id}":
                return new Call($"/api/public/appointments/{await BookingAsync()}");
            case "POST /api/public/appointments/{id}/reschedule":
            {
                var n = ++_applicants;
                return new Call($"/api/public/appointments/{await BookingAsync(n)}/reschedule", new { slotId = await MatrixSlotAsync(1), idNumber = MatrixIdNumber(n) });
            }
            case "POST /api/public/appointments/{id}/cancellation":
            {
                var n = ++_applicants;
                return new Call($"/api/public/appointments/{await BookingAsync(n)}/cancellation", new { idNumber = MatrixIdNumber(n) });
            }
            // 网上办 (issue 17): staff tokens are refused on the platform's entry; the township clerks' queue and an online case.
            case "POST /api/platform/online-submissions":
                return new Call("/api/platform/online-submissions", new { submissionId = "GFT-MATRIX-0001", centreCode = DemoStaff.TownshipCentre, itemCode = Pension });
            case "GET /api/window/online-submissions":
                return new Call("/api/window/online-submissions?status=Received");
            case "GET /api/window/cases/{id}/online-submission":
                return new Call($"{cases}{await OnlineCaseAsync()}/online-submission");

            default:
                return new Call(Fill(operation.Path, w));
        }
    }

    /// <summary>A case the provincial platform submitted (through the intake its signed endpoint uses).</summary>
    private async Task<Guid> OnlineCaseAsync()
    {
        var platform = api.Services.GetRequiredService<CaseFlow.Api.Endpoints.Platform.OnlinePlatformOptions>();
        var form = new CaseFlow.Persistence.OnlineSubmission.OnlineSubmissionForm("GFT-MATRIX-0002", DemoStaff.TownshipCentre, Pension,
            new CaseFlow.Domain.Acceptance.Applicant(CaseFlow.Domain.Acceptance.ApplicantKind.Person, ApplicantName, ApplicantId, null, null, null),
            api.Clock.GetUtcNow(), [new("M00", "申请表.pdf", "application/pdf", 1024, new string('a', 64), "jxzwfw://files/matrix/M00")]);
        var result = await api.Services.GetRequiredService<CaseFlow.Persistence.OnlineSubmission.OnlineIntake>()
            .SubmitAsync(form, Actor.Platform(platform.Id, platform.Name), "access-matrix");
        return result switch
        {
            CaseFlow.Persistence.OnlineSubmission.OnlineIntakeResult.Created c => c.CaseId,
            CaseFlow.Persistence.OnlineSubmission.OnlineIntakeResult.Replayed r => r.CaseId,
            _ => throw new SetupFailed($"online submission refused: {result}"),
        };
    }

    /// <summary>A new operation's path with the read case's ids, so it is called at all until it gets a case above.</summary>
    private static string Fill(string path, World w) => path
        .Replace("{id}", w.ReadCase.ToString(), StringComparison.Ordinal)
        .Replace("{partId}", Pension, StringComparison.Ordinal)
        .Replace("{windowId}", "window-tw-1", StringComparison.Ordinal)
        .Replace("{year}", "2025", StringComparison.Ordinal)
        .Replace("{number}", Uri.EscapeDataString(w.DocumentNumber), StringComparison.Ordinal)
        .Replace("{revision}", "1", StringComparison.Ordinal)
        .Replace("{orderId}", Guid.Empty.ToString(), StringComparison.Ordinal)
        .Replace("{noticeId}", Guid.Empty.ToString(), StringComparison.Ordinal)
        .Replace("{recordId}", Guid.Empty.ToString(), StringComparison.Ordinal)
        .Replace("{name}", "unknown", StringComparison.Ordinal);
}
