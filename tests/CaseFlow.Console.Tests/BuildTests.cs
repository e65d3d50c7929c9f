using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using CaseFlow.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CaseFlow.Console.Tests;

/// <summary>The console's build: its client is the contract's (drift check), and its first screen's weight and time (done-means 5).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BuildTests(ConsoleHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task The_typescript_client_is_generated_from_the_committed_contract()
    {
        // The same check `npm run build` runs first: contracts/openapi.json regenerated in memory against src/api/schema.d.ts.
        var psi = new ProcessStartInfo("node", "scripts/check-client.mjs") { WorkingDirectory = Path.Combine(Repository.Root, "src", "CaseFlow.Console"), RedirectStandardOutput = true, RedirectStandardError = true };
        using var node = Process.Start(psi)!;
        var said = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, said);
    }

    [Fact]
    public async Task The_first_screen_weighs_under_a_megabyte_gzipped_and_its_load_time_is_reported()
    {
        var page = await host.NewPageAsync();
        var loaded = new List<string>();
        page.Response += (_, r) => { if (r.Ok && new Uri(r.Url).Host == host.Url.Host) loaded.Add(new Uri(r.Url).AbsolutePath); };
        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/login");
        await page.Locator("[data-test=staff-picker]").WaitForAsync();
        watch.Stop();
        var interactive = await page.EvaluateAsync<double>("() => performance.getEntriesByName('caseflow-interactive')[0]?.startTime ?? -1");

        // What the first screen loaded from the console's files (index.html, its scripts and styles), gzipped as a server would.
        var folder = Path.Combine(Repository.BuildOutput("CaseFlow.Api"), "console");
        long raw = 0, gzipped = 0;
        foreach (var path in loaded.Distinct())
        {
            var file = Path.Combine(folder, path == "/login" ? "index.html" : path.TrimStart('/'));
            if (!File.Exists(file))
                continue;
            var bytes = await File.ReadAllBytesAsync(file);
            raw += bytes.Length;
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
                await gzip.WriteAsync(bytes);
            gzipped += buffer.Length;
        }
        var report = $"first screen (/login): {loaded.Count(p => p.StartsWith("/assets/", StringComparison.Ordinal))} assets, {raw / 1024} KiB raw, {gzipped / 1024} KiB gzipped; interactive after {interactive:0} ms (performance mark), staff picker shown after {watch.ElapsedMilliseconds} ms";
        output.WriteLine(report);
        System.Console.WriteLine(report);
        Assert.True(interactive > 0, "the app marked when it became interactive");
        Assert.True(gzipped < 1024 * 1024, report);
        await page.Context.CloseAsync();
    }
}
