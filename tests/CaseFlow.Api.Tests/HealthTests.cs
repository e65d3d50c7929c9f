using System.Net.Http.Json;
using System.Text.Json;

namespace CaseFlow.Api.Tests;

/// <summary>/health/ready says when an async projection has failed or stalled, not only the logs.</summary>
public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> ReadyAsync() => await api.Anonymous().GetFromJsonAsync<JsonElement>("/health/ready");

    [Fact]
    public async Task Ready_degrades_while_a_projection_is_stalled_or_failed_and_recovers_when_it_catches_up()
    {
        // Events waiting for the ledger, and a daemon that made no progress for ten minutes (the clock moves).
        var clerk = api.As("clerk-tw-1");
        Assert.Equal(201, (int)(await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = "咨询", channel = "Window" })).StatusCode);
        api.Clock.Advance(TimeSpan.FromMinutes(10));
        var stalled = await ReadyAsync();
        Assert.Equal("Degraded", stalled.GetProperty("status").GetString());
        Assert.Contains("stalled", stalled.GetProperty("checks").GetProperty("projections").GetProperty("description").GetString(), StringComparison.Ordinal);

        await api.CatchUpProjectionsAsync();
        Assert.Equal("Healthy", (await ReadyAsync()).GetProperty("status").GetString());

        // A projection that stopped on an event: the event and the error are named.
        await using (var cmd = api.Db.DataSource.CreateCommand("""
            INSERT INTO cf_projection_state (name, updated_at, status, failed_seq, error) VALUES ('ledger_inquiries', now(), 'failed', 42, 'event 42 (inquiry.referred.v1): boom')
            ON CONFLICT (name) DO UPDATE SET status = 'failed', failed_seq = 42, error = 'event 42 (inquiry.referred.v1): boom'
            """))
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        var failed = await ReadyAsync();
        Assert.Equal("Degraded", failed.GetProperty("status").GetString());
        Assert.Contains("ledger_inquiries at event 42", failed.GetProperty("checks").GetProperty("projections").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
