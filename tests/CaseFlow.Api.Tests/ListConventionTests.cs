using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>The one list convention (issue 16, README "Lists"): keyset pages, a next cursor, the total, one set of query names.</summary>
public sealed class ListConventionTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task A_window_reads_its_whole_case_list_page_by_page_without_a_row_twice_even_while_cases_arrive()
    {
        var clerk = api.As("clerk-tw-1");
        var first = await clerk.GetFromJsonAsync<JsonElement>("/api/window/cases?limit=2");
        var total = first.GetProperty("total").GetInt64();
        Assert.True(total > 4, $"the demo township holds more than two pages of cases ({total})");
        Assert.Equal(2, first.GetProperty("limit").GetInt32());
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());

        var seen = first.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        // A case received after the first page came is newer than every row read so far: it is not on a later page.
        // (The clock moves on first: under a fixed test clock every case has the same instant, and the keyset's tie
        // breaker, the id, is random within a millisecond — UUIDv7 — or derived, for online submissions.)
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var (itemId, materials) = await ReceivableAsync(clerk);
        var arrived = await clerk.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId, materials,
            applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X" },
        });
        Assert.Equal(201, (int)arrived.StatusCode);

        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases?limit=2&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(total, seen.Count);

        var again = await clerk.GetFromJsonAsync<JsonElement>("/api/window/cases?limit=500");
        Assert.Equal(total + 1, again.GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "list.limit_out_of_range")]
    [InlineData("limit=501", "list.limit_out_of_range")]
    [InlineData("cursor=not-a-cursor", "list.cursor_invalid")]
    [InlineData("cursor=eyJMIjoiYm9hcmQiLCJLIjpbIjEiXX0", "list.cursor_invalid")] // {"L":"board","K":["1"]}: another list's
    public async Task A_page_size_out_of_range_or_a_cursor_not_given_by_this_list_is_refused(string query, string code)
    {
        var response = await api.As("clerk-tw-1").GetAsync($"/api/window/cases?{query}");
        await response.ProblemAsync(400, code);
    }

    /// <summary>
    /// Every list family walked with a small page: it reaches its end, no row comes twice, the rows come in the order
    /// one large page gives (the keyset keeps the list's order, the inbox's urgency and the board's due order
    /// included), and there are as many as the <c>total</c> says.
    /// </summary>
    [Fact]
    public async Task Every_list_walks_with_small_pages_to_its_end_in_its_own_order_with_each_row_once_and_as_many_as_its_total()
    {
        // Rows enough for two pages or more in each list: accepted cases in the 民政局 inbox and on the board, at
        // risk a few weeks later; first inquiries owned and referred this month, on the worklist and in the ledger.
        api.Clock.Set(api.Clock.GetUtcNow().AddMinutes(1));
        var start = api.Clock.GetUtcNow();
        var cases = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = await api.ReceiveAsync("最低生活保障", "M00", "M01", "M02", "M05");
            await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
            cases.Add(id);
        }
        foreach (var who in new[] { "clerk-tw-1", "clerk-tw-2" })
        {
            for (var i = 0; i < 2; i++)
            {
                var registered = await api.As(who).PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = $"低保怎么申请 {i}" });
                var inquiry = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                if (i == 0)
                    Assert.True((await api.As(who).PostAsJsonAsync($"/api/window/inquiries/{inquiry}/refer", new { reason = "转民政", overrideReason = "接办人不在岗" })).IsSuccessStatusCode);
            }
        }
        var sweeper = api.Services.GetRequiredService<CaseSweeper>();
        await sweeper.RunOnceAsync();
        api.Clock.Set(start.AddDays(25)); // the cases' deadlines are near or past: on the overdue list
        await sweeper.RunOnceAsync();
        await api.CatchUpProjectionsAsync();
        var month = start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        static string Id(JsonElement r, string[] members) => string.Join('/', members.Select(m => r.GetProperty(m).ToString()));
        var lists = new (string Staff, string Path, string[] Id, int AtLeast)[]
        {
            ("clerk-tw-1", "/api/window/cases", ["id"], 4),
            ("clerk-tw-1", "/api/window/inquiries", ["id"], 2),
            ("clerk-tw-1", "/api/window/online-submissions", ["caseId"], 1),
            ("clerk-cty-1", "/api/window/appointments", ["id"], 0),
            ("clerk-cty-1", "/api/public/appointments/centres/centre-361130/items", ["itemCode"], 1),
            ("clerk-tw-1", "/api/window/windows/window-tw-1/catalogue", ["id"], 3),
            ("clerk-tw-1", $"/api/window/cases/{cases[0]}/documents", ["number"], 1),
            ("clerk-tw-1", "/api/catalogue/items", ["id"], 3),
            ("clerk-tw-1", "/api/catalogue/items?category=民政", ["id"], 3),
            ("clerk-tw-1", "/api/catalogue/bundles", ["id"], 3),
            ("approver-mzj-1", "/api/backoffice/inbox", ["caseId", "partId"], 3),
            ("supervisor-cty-1", "/api/supervision/board", ["caseId", "scope", "target"], 3),
            ("supervisor-cty-1", "/api/supervision/board?sort=due_desc", ["caseId", "scope", "target"], 3),
            ("supervisor-cty-1", "/api/supervision/board?departmentId=dept-361130-mzj&level=Red", ["caseId", "scope", "target"], 0),
            ("supervisor-cty-1", "/api/supervision/overdue", ["caseId", "scope", "target"], 3),
            ("supervisor-cty-1", $"/api/supervision/ledger/inquiries?month={month}", ["personId"], 2),
            ("supervisor-cty-1", $"/api/supervision/ledger/accountability?month={month}", ["subjectKind", "subjectId"], 2),
            ("supervisor-cty-1", "/api/organisation/staff", ["staffId"], 3),
            ("supervisor-cty-1", "/api/organisation/centres", ["centreId"], 2),
            ("supervisor-cty-1", "/api/organisation/posts", ["postId"], 2),
            ("admin-1", "/api/admin/projections", ["name"], 2),
            ("admin-1", "/api/admin/dead-letters", ["id"], 0),
            ("admin-1", "/dev/staff", ["id"], 3),
        };
        foreach (var (staff, path, idMembers, atLeast) in lists)
        {
            var client = api.As(staff);
            var join = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var whole = await client.GetFromJsonAsync<JsonElement>($"{path}{join}limit=500");
            var expected = whole.GetProperty("items").EnumerateArray().Select(r => Id(r, idMembers)).ToList();
            Assert.True(expected.Count >= atLeast, $"{path}: {expected.Count} rows, at least {atLeast} expected");
            Assert.Equal(JsonValueKind.Null, whole.GetProperty("nextCursor").ValueKind);

            var walked = new List<string>();
            string? cursor = null;
            long? total = null;
            var pages = 0;
            do
            {
                var page = await client.GetFromJsonAsync<JsonElement>($"{path}{join}limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
                Assert.Equal(2, page.GetProperty("limit").GetInt32());
                var items = page.GetProperty("items").EnumerateArray().Select(r => Id(r, idMembers)).ToList();
                Assert.True(items.Count <= 2, $"{path}: a page of {items.Count} rows with limit 2");
                walked.AddRange(items);
                cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
                Assert.True(cursor is null || items.Count == 2, $"{path}: a page short of its limit says there is a next page");
                if (page.GetProperty("total").ValueKind == JsonValueKind.Number)
                    total = page.GetProperty("total").GetInt64();
                Assert.True(++pages <= 300, $"{path}: the walk does not end");
            }
            while (cursor is not null);

            Assert.True(walked.Count == walked.Distinct().Count(), $"{path}: a row twice in the walk: {string.Join(", ", walked)}");
            Assert.True(expected.SequenceEqual(walked), $"{path}: the walk's order differs from one page's\n  one page: {string.Join(", ", expected)}\n  walked:   {string.Join(", ", walked)}");
            if (total is { } t)
                Assert.True(t == walked.Count, $"{path}: total {t}, walked {walked.Count}");
        }
    }

    [Fact]
    public async Task A_cursor_of_one_list_is_refused_by_another_and_by_the_same_list_in_another_order()
    {
        var clerk = api.As("clerk-tw-1");
        var items = await clerk.GetFromJsonAsync<JsonElement>("/api/catalogue/items?limit=1");
        var cursor = Uri.EscapeDataString(items.GetProperty("nextCursor").GetString()!);
        Assert.Equal(200, (int)(await clerk.GetAsync($"/api/catalogue/items?limit=1&cursor={cursor}")).StatusCode);
        await (await clerk.GetAsync($"/api/window/windows/window-tw-1/catalogue?cursor={cursor}")).ProblemAsync(400, "list.cursor_invalid");
        await (await clerk.GetAsync($"/api/catalogue/bundles?cursor={cursor}")).ProblemAsync(400, "list.cursor_invalid");
        await (await clerk.GetAsync($"/api/window/inquiries?cursor={cursor}")).ProblemAsync(400, "list.cursor_invalid");

        var supervisor = api.As("supervisor-cty-1");
        var staff = await supervisor.GetFromJsonAsync<JsonElement>("/api/organisation/staff?limit=1");
        var staffCursor = Uri.EscapeDataString(staff.GetProperty("nextCursor").GetString()!);
        await (await supervisor.GetAsync($"/api/supervision/board?cursor={staffCursor}")).ProblemAsync(400, "list.cursor_invalid");
        await (await supervisor.GetAsync($"/api/supervision/overdue?cursor={staffCursor}")).ProblemAsync(400, "list.cursor_invalid");
        await (await supervisor.GetAsync($"/api/organisation/centres?cursor={staffCursor}")).ProblemAsync(400, "list.cursor_invalid");

        // The board in one order and in the other are two lists: a cursor of the one is no place in the other.
        var board = Paging.CursorFor("board", [DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Guid.Empty, "Case:Promised"]);
        Assert.Equal(200, (int)(await supervisor.GetAsync($"/api/supervision/board?cursor={board}")).StatusCode);
        await (await supervisor.GetAsync($"/api/supervision/board?sort=due_desc&cursor={board}")).ProblemAsync(400, "list.cursor_invalid");
        await (await supervisor.GetAsync($"/api/supervision/overdue?cursor={board}")).ProblemAsync(400, "list.cursor_invalid");
        await (await supervisor.GetAsync("/api/supervision/board?sort=newest")).ProblemAsync(400, "supervision.sort_invalid");
    }

    [Theory]
    [InlineData("approver-mzj-1", "/api/backoffice/inbox")]
    [InlineData("supervisor-cty-1", "/api/supervision/ledger/accountability?month=2025-09")]
    [InlineData("supervisor-cty-1", "/api/organisation/posts")]
    [InlineData("admin-1", "/api/admin/dead-letters")]
    [InlineData("admin-1", "/dev/staff")]
    [InlineData("clerk-tw-1", "/api/catalogue/items")]
    [InlineData("clerk-tw-1", "/api/window/windows/window-tw-1/catalogue")]
    public async Task Every_list_refuses_a_page_size_out_of_range_and_a_forged_cursor(string staff, string path)
    {
        var client = api.As(staff);
        var join = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await (await client.GetAsync($"{path}{join}limit=0")).ProblemAsync(400, "list.limit_out_of_range");
        await (await client.GetAsync($"{path}{join}limit=501")).ProblemAsync(400, "list.limit_out_of_range");
        await (await client.GetAsync($"{path}{join}cursor=%E6%B8%B8%E6%A0%87")).ProblemAsync(400, "list.cursor_invalid");
        // A cursor whose key has the shape of no list here (the inbox's name, one key where it has seven): refused, never a 500.
        var forged = Paging.CursorFor("inbox", ["not-an-instant"]);
        await (await client.GetAsync($"{path}{join}cursor={forged}")).ProblemAsync(400, "list.cursor_invalid");
    }

    private static async Task<(Guid ItemId, object[] Materials)> ReceivableAsync(HttpClient clerk)
    {
        var item = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=最低生活保障")).GetProperty("items").EnumerateArray().First();
        var materials = item.GetProperty("definition").GetProperty("materials").EnumerateArray()
            .Select(m => (object)new { code = m.GetProperty("code").GetString(), state = "Present" }).ToArray();
        return (item.GetProperty("id").GetGuid(), materials);
    }
}
