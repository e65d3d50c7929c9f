using System.Net.Http.Json;
using System.Text.Json;

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

    private static async Task<(Guid ItemId, object[] Materials)> ReceivableAsync(HttpClient clerk)
    {
        var item = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=最低生活保障")).EnumerateArray().First();
        var materials = item.GetProperty("definition").GetProperty("materials").EnumerateArray()
            .Select(m => (object)new { code = m.GetProperty("code").GetString(), state = "Present" }).ToArray();
        return (item.GetProperty("id").GetGuid(), materials);
    }
}
