using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Two hosts on one database with their background work on (issue 14): Marten's daemon runs HotCold, so the
/// async projections apply every event exactly once; when the host running them stops, the other takes over
/// within seconds and nothing is lost or doubled.
/// </summary>
public sealed class DaemonTakeoverTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    /// <summary>What the README states: leadership is polled every 2 s; a takeover within 30 s passes.</summary>
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);

    private readonly ManualClock _clock = ManualClock.At("2025-09-26T01:30:00Z");

    private WebApplicationFactory<Program> Host() => TestHosts.Create(db.ConnectionString, _clock, background: true);

    private static HttpClient Clerk(WebApplicationFactory<Program> host) => host.As("clerk-tw-1");

    private static async Task RegisterAsync(HttpClient clerk, int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(201, (int)(await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic = $"咨询 {i}" })).StatusCode);
    }

    private Task<long> LedgerAsync() => db.ScalarAsync<long>("SELECT coalesce(sum(inquiries_owned), 0)::bigint FROM cf_ledger_inquiries");

    private async Task<TimeSpan> UntilLedgerAsync(long expected)
    {
        var watch = Stopwatch.StartNew();
        while (await LedgerAsync() < expected)
        {
            Assert.True(watch.Elapsed < Takeover, $"the ledger stayed at {await LedgerAsync()} of {expected} for {Takeover.TotalSeconds:0} s");
            await Task.Delay(100);
        }
        return watch.Elapsed;
    }

    [Fact]
    public async Task Two_hosts_apply_every_event_once_and_the_second_takes_over_when_the_first_stops()
    {
        var first = Host();
        _ = first.Server;
        await using var second = Host();
        _ = second.Server;

        await RegisterAsync(Clerk(first), 10);
        await RegisterAsync(Clerk(second), 10);
        await UntilLedgerAsync(20);

        await first.DisposeAsync(); // the node that started first (the likely leader) stops
        await RegisterAsync(Clerk(second), 10);
        var tookOver = await UntilLedgerAsync(30);

        await Task.Delay(TimeSpan.FromSeconds(2)); // a doubled batch would show by now
        Assert.Equal(30, await LedgerAsync());
        Assert.True(tookOver < Takeover, $"took over after {tookOver.TotalSeconds:0.0} s");
    }
}
