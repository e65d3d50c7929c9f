using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// The front host the test's clerks use (in-process, background off) over the demo, its notifications and those of
/// the three host processes going to one <see cref="GatewayStub"/>.
/// </summary>
public sealed class ThreeHostFactory : ApiFactory
{
    public GatewayStub Gateway { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Gateway = await GatewayStub.StartAsync();
        await base.InitializeAsync();
        await Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync();
    }

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("CaseFlow:Notifications:Gateway:Url", Gateway.Url.ToString());
}

/// <summary>A CaseFlow host process as an operator starts it (the built CaseFlow.Api.dll), on loopback.</summary>
public sealed record Node(Process Process, Uri Url, ConcurrentQueue<string> Output)
{
    /// <summary>/health/ready as JSON, or null while the process does not answer.</summary>
    public async Task<JsonElement?> ReadyAsync()
    {
        try
        {
            using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
            // The report is there whether the node is ready (200) or not (503: e.g. a check degraded under load).
            using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return response.Content.Headers.ContentType?.MediaType == "application/json" ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}

public static class HostProcess
{
    /// <summary>Starts <c>dotnet CaseFlow.Api.dll [command]</c> in Development on a free loopback port with these settings.</summary>
    public static Node Start(string connectionString, IReadOnlyDictionary<string, string> settings, string? command = null)
    {
        var bin = Repository.BuildOutput("CaseFlow.Api");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(bin, "CaseFlow.Api.dll"));
        if (command is not null)
            psi.ArgumentList.Add(command);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        psi.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in settings)
            psi.Environment[key] = value;
        var process = Process.Start(psi)!;
        var lines = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } l) lines.Enqueue(l); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) lines.Enqueue(l); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Node(process, new Uri($"http://127.0.0.1:{port}"), lines);
    }
}

/// <summary>
/// The README's first command on an empty database: the host starts, seeds the demo through its commands (their
/// notifications through Wolverine, which must be running by then) and serves it.
/// </summary>
public sealed class HostStartTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_host_started_as_the_readme_says_seeds_the_demo_sends_its_notifications_and_serves_it()
    {
        var node = HostProcess.Start(db.ConnectionString, new Dictionary<string, string>());
        try
        {
            await Eventually.TrueAsync(async () => !node.Process.HasExited && node.Output.Any(l => l.Contains("The demo is ready", StringComparison.Ordinal))
                    && await db.ScalarAsync<long>("SELECT count(*) FROM cf_inquiry_worklist") > 0
                    && await db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox") > 0 && await db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox WHERE status <> 'sent'") == 0,
                () => "the demo seeded and its notifications sent\n" + string.Join("\n", node.Output.TakeLast(30)), TimeSpan.FromSeconds(90));
            var ready = await node.ReadyAsync();
            Assert.Equal("Healthy", ready!.Value.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            Assert.DoesNotContain(node.Output, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        }
        finally
        {
            node.Process.Kill(entireProcessTree: true);
            await node.Process.WaitForExitAsync();
            node.Process.Dispose();
        }
    }
}

/// <summary>
/// Issue 15: three CaseFlow host processes on one database, their clock injected through a file the test moves. The
/// background work (the case sweeper, a Wolverine agent) runs on one of them: deemed acceptance, warnings, pickup
/// reminders, 督办 escalations, default ratings and notifications each happen once. The node running it is killed
/// (SIGKILL); another takes over within the stated time and nothing is lost or doubled.
/// </summary>
public sealed class ThreeHostTests(ThreeHostFactory api) : IClassFixture<ThreeHostFactory>, IAsyncLifetime
{
    /// <summary>README "Background work": a node's agent moves within 30 s of its death.</summary>
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);

    private const string Pension = "361130-000201002";
    private readonly string _clockFile = Path.Combine(Path.GetTempPath(), $"caseflow-clock-{Guid.NewGuid():N}");
    private readonly List<Node> _nodes = [];

    private static DateTimeOffset Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", CultureInfo.InvariantCulture);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var node in _nodes.Where(n => !n.Process.HasExited))
            node.Process.Kill(entireProcessTree: true);
        foreach (var node in _nodes)
            node.Process.Dispose();
        File.Delete(_clockFile);
        return Task.CompletedTask;
    }

    /// <summary>The front host's clock and the processes' clock file, moved together.</summary>
    private void SetClock(DateTimeOffset at)
    {
        api.Clock.Set(at);
        var next = _clockFile + ".next";
        File.WriteAllText(next, at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        File.Move(next, _clockFile, overwrite: true);
    }

    private Node Start()
    {
        var node = HostProcess.Start(api.Db.ConnectionString, new Dictionary<string, string>
        {
            ["CaseFlow__Demo__Seed"] = "false",
            ["CaseFlow__Background__Enabled"] = "true",
            ["CaseFlow__Background__SweepInterval"] = "00:00:01",
            ["CaseFlow__Clock__File"] = _clockFile,
            ["CaseFlow__Notifications__Gateway__Url"] = api.Gateway.Url.ToString(),
        });
        _nodes.Add(node);
        return node;
    }

    private static Task<JsonElement?> ReadyAsync(Node node) => node.ReadyAsync();

    /// <summary>How many passes the node's sweeper has made (its background health), null if it does not sweep.</summary>
    private static async Task<long?> PassesAsync(Node node) =>
        await ReadyAsync(node) is { } ready && ready.GetProperty("checks").GetProperty("background").GetProperty("data").TryGetProperty("case sweeper", out var sweeper)
            ? sweeper.GetProperty("passes").GetInt64()
            : null;

    /// <summary>The node whose agent is sweeping: its background health lists the case sweeper.</summary>
    private async Task<Node?> SweepingNodeAsync()
    {
        foreach (var node in _nodes.Where(n => !n.Process.HasExited))
        {
            if (await ReadyAsync(node) is { } ready && ready.GetProperty("checks").GetProperty("background").GetProperty("data").TryGetProperty("case sweeper", out _))
                return node;
        }
        return null;
    }

    private Task<long> CountAsync(string sql) => api.Db.ScalarAsync<long>(sql);

    private Task<long> EventsAsync(IEnumerable<Guid> cases, string type) =>
        CountAsync($"SELECT count(*) FROM cf_event_log WHERE type = '{type}' AND stream_id IN ({string.Join(",", cases.Select(c => $"'{c}'"))})");

    private async Task<Guid> ResultReadyAsync(bool handOut)
    {
        var id = await api.ReceiveAsync("城乡居民基本养老保险待遇申领", "M00", "M01", "M04", "M05");
        await (await api.PostAsync(id, "acceptance", new { })).EventsAsync();
        await api.DecideAsync("approver-rsj-2", id, Pension, 3);
        await (await api.PartAsync("approver-rsj-2", id, Pension, "result", new { documents = new[] { new { kind = "待遇核定通知", number = $"宁人社待〔2025〕{id.ToString()[..6]}号" } }, sealId = "seal-361130-spj-01" })).EventsAsync();
        if (handOut)
            await (await api.PostAsync(id, "handout", new { receiverName = "刘建国", receiverIdNumber = "11010519491231002X" })).EventsAsync();
        return id;
    }

    /// <summary>Nothing the background work records is there twice, for any case of the database (the demo's too).</summary>
    private async Task AssertNothingTwiceAsync()
    {
        Assert.Equal(0L, await CountAsync("""
            SELECT count(*) FROM (SELECT stream_id FROM cf_event_log WHERE type IN ('case.deemed_accepted.v1', 'case.default_rating_recorded.v1', 'case.terminated.v1')
                                  GROUP BY stream_id, type HAVING count(*) > 1) twice
            """));
        Assert.Equal(0L, await CountAsync("""
            SELECT count(*) FROM (SELECT 1 FROM cf_event_log WHERE type IN ('case.deadline_warning_raised.v1', 'case.deadline_went_overdue.v1')
                                  GROUP BY stream_id, type, data->>'scope', data->>'target', data->>'dueOn' HAVING count(*) > 1) twice
            """));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM (SELECT 1 FROM cf_event_log WHERE type = 'pickup.reminder_sent.v1' GROUP BY stream_id, data->>'number' HAVING count(*) > 1) twice"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM (SELECT 1 FROM cf_event_log WHERE type = 'case.supervision_escalated.v1' GROUP BY data->>'orderId' HAVING count(*) > 1) twice"));
    }

    /// <summary>Every message a command caused was delivered, each accepted once by the gateway (a repeat it dropped by key is allowed only for messages in flight at the kill).</summary>
    private async Task AssertEveryMessageDeliveredOnceAsync(int allowedRepeats)
    {
        long unsent = 0;
        await Eventually.TrueAsync(async () => (unsent = await CountAsync("SELECT count(*) FROM cf_outbox WHERE status <> 'sent'")) == 0,
            () => $"{unsent} messages unsent", TimeSpan.FromSeconds(40));
        var recorded = await CountAsync("SELECT count(*) FROM cf_outbox");
        Assert.Equal(recorded, api.Gateway.Accepted.Count);
        Assert.True(api.Gateway.Repeats.Values.Sum() <= allowedRepeats, $"{api.Gateway.Repeats.Values.Sum()} repeats");
        Assert.Empty(api.Gateway.Violations); // every template's request as contracts/gateway says
    }

    [Fact]
    public async Task Three_hosts_run_each_background_action_once_and_another_takes_over_when_the_sweeping_one_is_killed()
    {
        // Monday 2025-11-03: cases that will fall due.
        SetClock(Beijing("2025-11-03T10:00:00"));
        var deemedFirst = new List<Guid>();
        for (var i = 0; i < 3; i++)
            deemedFirst.Add(await api.ReceiveAsync("临时救助", "M00", "M01", "M05")); // no decision in 5 working days: deemed accepted
        var handedOut = new[] { await ResultReadyAsync(handOut: true), await ResultReadyAsync(handOut: true) };   // unrated: the default after 7 days
        var waiting = new[] { await ResultReadyAsync(handOut: false), await ResultReadyAsync(handOut: false) };   // not collected: reminders
        var slow = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var id = await api.ReceiveAsync("计划生育家庭奖励扶助", "M00", "M01", "M02");
            await (await api.PostAsync(id, "acceptance", new { })).EventsAsync(); // 20 working days: yellow, then red
            slow.Add(id);
        }
        await (await api.As("supervisor-cty-1").PostAsJsonAsync($"/api/supervision/cases/{slow[0]}/orders", new { instruction = "请于 11 月 20 日前说明进度", dueOn = "2025-11-20" })).EventsAsync();

        // Wednesday 2025-11-12, three hosts with background work on.
        SetClock(Beijing("2025-11-12T10:00:00"));
        for (var i = 0; i < 3; i++)
            Start();
        var counts = "";
        await Eventually.TrueAsync(async () =>
            {
                var (deemed, rated, reminded) = (await EventsAsync(deemedFirst, "case.deemed_accepted.v1"), await EventsAsync(handedOut, "case.default_rating_recorded.v1"),
                    await EventsAsync(waiting.Select(Domain.Handover.PickupFile.StreamIdFor), "pickup.reminder_sent.v1"));
                counts = $"deemed {deemed}/3, default ratings {rated}/2, reminders {reminded}/2";
                return deemed == 3 && rated == 2 && reminded >= 2;
            },
            () => $"the first round: {counts}\n" + string.Join("\n", _nodes.SelectMany(n => n.Output).Where(l => !l.Contains("HttpClient", StringComparison.Ordinal)).TakeLast(40)), TimeSpan.FromSeconds(60));
        Node? sweeping = null;
        await Eventually.TrueAsync(async () => (sweeping = await SweepingNodeAsync()) is not null, "a node reports the case sweeper in its health", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await Task.WhenAll(_nodes.Select(ReadyAsync))).All(r => r is not null), "all three hosts answer");
        var sweepers = 0;
        foreach (var node in _nodes)
        {
            if ((await ReadyAsync(node))!.Value.GetProperty("checks").GetProperty("background").GetProperty("data").TryGetProperty("case sweeper", out _))
                sweepers++;
        }
        Assert.Equal(1, sweepers); // one node sweeps
        await AssertNothingTwiceAsync();
        await AssertEveryMessageDeliveredOnceAsync(allowedRepeats: 0);

        // More cases arrive; the sweeping node is killed; time moves on to Wednesday 2025-12-03.
        var deemedLater = new List<Guid>();
        for (var i = 0; i < 3; i++)
            deemedLater.Add(await api.ReceiveAsync("临时救助", "M00", "M01", "M05"));
        sweeping!.Process.Kill(entireProcessTree: true);
        await sweeping.Process.WaitForExitAsync();
        var killed = Stopwatch.StartNew();
        SetClock(Beijing("2025-12-03T10:00:00"));

        await Eventually.TrueAsync(async () => await EventsAsync(deemedLater, "case.deemed_accepted.v1") == 3
                && await EventsAsync(slow, "case.deadline_went_overdue.v1") >= 2
                && await EventsAsync([slow[0]], "case.supervision_escalated.v1") == 1
                && await EventsAsync(waiting.Select(Domain.Handover.PickupFile.StreamIdFor), "pickup.reminder_sent.v1") == 2 * 3,
            () => "the second round after the kill\n" + string.Join("\n", _nodes.Where(n => n != sweeping).SelectMany(n => n.Output).TakeLast(40)), Takeover);
        var tookOver = killed.Elapsed;
        Console.WriteLine($"ThreeHostTests: the background work was taken over {tookOver.TotalSeconds:0.0} s after the kill");
        Assert.NotNull(await SweepingNodeAsync());
        Assert.True(tookOver < Takeover, $"took over after {tookOver.TotalSeconds:0.0} s");

        // Three more passes by the new node change nothing: each action happened once.
        const string Background = """
            SELECT count(*) FROM cf_event_log WHERE type IN ('case.deemed_accepted.v1', 'case.default_rating_recorded.v1', 'case.terminated.v1', 'case.part_reassigned.v1',
                'case.deadline_warning_raised.v1', 'case.deadline_went_overdue.v1', 'pickup.reminder_sent.v1', 'case.supervision_escalated.v1')
            """;
        // The demo's own cases fall due too: first the new node catches up (a count that holds over two passes)...
        var successor = (await SweepingNodeAsync())!;
        async Task<long> AfterPassesAsync(int n)
        {
            var passes = await PassesAsync(successor) ?? 0;
            await Eventually.TrueAsync(async () => await PassesAsync(successor) >= passes + n, $"{n} more sweeps");
            return await CountAsync(Background);
        }
        var recorded = await CountAsync(Background);
        for (long next; (next = await AfterPassesAsync(2)) != recorded;)
            recorded = next;
        // ...then three more passes record nothing.
        Assert.Equal(recorded, await AfterPassesAsync(3));
        Assert.Equal(3, await EventsAsync(deemedLater, "case.deemed_accepted.v1"));
        Assert.Equal(2, await EventsAsync(handedOut, "case.default_rating_recorded.v1"));
        await AssertNothingTwiceAsync();
        await AssertEveryMessageDeliveredOnceAsync(allowedRepeats: 8);
        // The front host (background work off) never swept, though it may have led the cluster.
        Assert.DoesNotContain(api.Services.GetRequiredService<CaseFlow.Persistence.Resilience.BackgroundHealth>().Workers, w => w.Name == "case sweeper");
    }
}
