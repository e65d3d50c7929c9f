using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CaseFlow.Cli;

/// <summary>
/// <c>caseflow bench http --url http://127.0.0.1:5080 [--clients 16] [--seconds 20]</c>: HTTP command throughput of
/// a running host (Development: demo staff tokens from <c>/dev/tokens</c>). Each client receives a case at the window
/// and accepts it, over and over; the figure is complete receive + accept pairs per second (issue 15, README
/// "Benchmarks"). Loopback only: point it at a host on this machine.
/// </summary>
public static class HttpBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(Bench.Option(args, "--url") ?? "http://127.0.0.1:5080");
        if (!url.IsLoopback)
        {
            await Console.Error.WriteLineAsync("caseflow bench http: loopback hosts only");
            return 2;
        }
        var clients = Bench.IntOption(args, "--clients", 16);
        var seconds = Bench.IntOption(args, "--seconds", 20);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.PostAsJsonAsync("/dev/tokens", new { staffId = "clerk-tw-1" });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var items = await http.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=临时救助");
        var itemId = items.GetProperty("items").EnumerateArray().First().GetProperty("id").GetGuid();
        var receipt = new
        {
            windowId = "window-tw-1", itemId,
            applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X", phone = "13907971234" },
            materials = new[] { "M00", "M01", "M05" }.Select(code => new { code, state = "Present" }).ToArray(),
        };

        async Task<bool> PairAsync(CancellationToken ct)
        {
            using var received = await http.PostAsJsonAsync("/api/window/cases", receipt, ct);
            if (!received.IsSuccessStatusCode)
                return false;
            var id = (await received.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            using var accepted = await http.PostAsJsonAsync($"/api/window/cases/{id}/acceptance", new { }, ct);
            return accepted.IsSuccessStatusCode;
        }

        // Warm-up (JIT, pools), then the measured run.
        using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await RunClientsAsync(clients, PairAsync, warm.Token);
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var (ok, failed, latencies) = await RunClientsAsync(clients, PairAsync, stop.Token);
        watch.Stop();
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? 0 : latencies[(int)Math.Min(latencies.Count - 1, q * latencies.Count)];
        Console.WriteLine($"{Environment.ProcessorCount} cores; {clients} clients for {seconds} s against {url}");
        Console.WriteLine($"receive + accept: {ok / watch.Elapsed.TotalSeconds:F1} pairs/s ({ok:N0} pairs, {failed:N0} failed); pair latency p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<(long Ok, long Failed, List<double> Latencies)> RunClientsAsync(int clients, Func<CancellationToken, Task<bool>> pair, CancellationToken ct)
    {
        long ok = 0, failed = 0;
        var latencies = new List<double>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (!ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (await pair(ct))
                    {
                        Interlocked.Increment(ref ok);
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                        Interlocked.Increment(ref failed);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
            }
            lock (latencies)
                latencies.AddRange(mine);
        }, CancellationToken.None)));
        return (ok, failed, latencies);
    }
}
