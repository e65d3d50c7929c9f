using System.Net.Http.Headers;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence.Marten;
using CaseFlow.Persistence.Projections;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 14, done means 5: a database seeded by the previous release (CaseFlow's own event store) is moved to
/// Marten when this release starts on it, and every case view, timeline and ledger reads the same afterwards;
/// the old event table refuses new events. The previous release is kept as what it left behind
/// (<c>PreviousRelease/</c>, see its README): its rows, and what its API answered on them.
/// </summary>
public sealed class EventMigrationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly ManualClock _clock = ManualClock.At("2025-09-26T01:30:00Z");

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "PreviousRelease", name);

    private async Task<Dictionary<string, string>> ReadEverythingAsync(WebApplicationFactory<Program> host, IReadOnlyList<Guid> cases)
    {
        var supervisor = host.As("supervisor-cty-1");
        var read = new Dictionary<string, string>();
        foreach (var id in cases)
        {
            read[$"case {id}"] = await supervisor.GetStringAsync($"/api/supervision/cases/{id}");
            read[$"timeline {id}"] = await supervisor.GetStringAsync($"/api/cases/{id}/timeline");
        }
        foreach (var month in new[] { "2025-09", "2025-10", "2025-11", "2025-12", "2026-01" })
        {
            read[$"ledger {month}"] = await supervisor.GetStringAsync($"/api/supervision/ledger/accountability?month={month}&limit=500");
            read[$"inquiries {month}"] = await supervisor.GetStringAsync($"/api/supervision/ledger/inquiries?month={month}&limit=500");
        }
        read["board"] = await supervisor.GetStringAsync("/api/supervision/board");
        return read;
    }

    /// <summary>
    /// What a list says, whatever its page looked like: the previous release answered the ledgers as bare arrays and
    /// the board as <c>{counts, page, pageSize, rows}</c>; since the one list convention (issue 16, README "Lists") a
    /// list is <c>{items, nextCursor, total, limit}</c> (the board with its counts). The rows and counts must read the same.
    /// </summary>
    private static System.Text.Json.Nodes.JsonNode? Rows(System.Text.Json.Nodes.JsonNode? reading) => reading switch
    {
        System.Text.Json.Nodes.JsonObject page when page.ContainsKey("items") || page.ContainsKey("rows") => new System.Text.Json.Nodes.JsonObject
        {
            ["rows"] = (page["items"] ?? page["rows"])?.DeepClone(),
            ["counts"] = page["counts"]?.DeepClone(),
        },
        System.Text.Json.Nodes.JsonArray rows => new System.Text.Json.Nodes.JsonObject { ["rows"] = rows.DeepClone(), ["counts"] = null },
        _ => reading,
    };

    /// <summary>Whether <paramref name="before"/> is found in <paramref name="after"/>: the same values, arrays of the same length, objects with at least the same members.</summary>
    private static bool Within(System.Text.Json.Nodes.JsonNode? before, System.Text.Json.Nodes.JsonNode? after) => (before, after) switch
    {
        (null, null) => true,
        (System.Text.Json.Nodes.JsonObject b, System.Text.Json.Nodes.JsonObject a) => b.All(p => a.TryGetPropertyValue(p.Key, out var v) && Within(p.Value, v)),
        (System.Text.Json.Nodes.JsonArray b, System.Text.Json.Nodes.JsonArray a) => b.Count == a.Count && b.Zip(a).All(x => Within(x.First, x.Second)),
        (System.Text.Json.Nodes.JsonValue b, System.Text.Json.Nodes.JsonValue a) => b.ToJsonString() == a.ToJsonString(),
        _ => false,
    };

    /// <summary>The previous release's rows, restored as an operator restores a backup (on a connection of its own: the dump resets search_path).</summary>
    private async Task RestorePreviousReleaseAsync()
    {
        var script = string.Join('\n', File.ReadLines(Fixture("previous-release.sql")).Where(l => !l.StartsWith('\\')));
        await using var conn = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(script, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_database_of_the_previous_release_moves_to_marten_and_reads_the_same()
    {
        await RestorePreviousReleaseAsync();
        var before = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Fixture("readings.json")))!;
        var cases = before.Keys.Where(k => k.StartsWith("case ", StringComparison.Ordinal)).Select(k => Guid.Parse(k["case ".Length..])).ToList();
        Assert.NotEmpty(cases);
        Assert.Equal(cases.Count, await db.ScalarAsync<long>("SELECT count(*) FROM cf_cases"));
        var events = await db.ScalarAsync<long>("SELECT count(*) FROM cf_events");
        Assert.True(events > 100);
        Assert.True(await EventMigration.PendingAsync(db.DataSource));

        await using var current = TestHosts.Create(db.ConnectionString, _clock);
        _ = current.Server; // starting moves the events (Development)
        Assert.False(await EventMigration.PendingAsync(db.DataSource));
        Assert.Equal(events, await db.ScalarAsync<long>($"SELECT count(*) FROM {CaseFlowStoreOptions.Schema}.mt_events"));
        var after = await ReadEverythingAsync(current, cases);
        // The same answers: everything the previous release said is said again, the same (later releases may add
        // members to a view — issue 16 added handover.pickupDue — but never change or drop one).
        foreach (var (what, json) in before)
            Assert.True(Within(Rows(System.Text.Json.Nodes.JsonNode.Parse(json)), Rows(System.Text.Json.Nodes.JsonNode.Parse(after[what]))),
                $"{what} reads differently after the move:\nbefore {json}\nafter  {after[what]}");

        // The old table is a record now, not a place to write.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(async () =>
        {
            await using var cmd = db.DataSource.CreateCommand(
                "INSERT INTO cf_events (id, stream_id, version, type, data, metadata, \"timestamp\") VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'x', '{}', '{}', now())");
            await cmd.ExecuteNonQueryAsync();
        });
        // And this release writes on Marten.
        var created = await current.As("clerk-tw-1").PostAsync("/api/window/inquiries",
            new StringContent("{\"enquirerName\":\"刘建国\",\"topic\":\"咨询\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal(events + 1, await db.ScalarAsync<long>($"SELECT count(*) FROM {CaseFlowStoreOptions.Schema}.mt_events"));
    }
}
