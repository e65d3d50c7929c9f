using System.Diagnostics;
using CaseFlow.Testing;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 3: killing the host in the middle of a load leaves no partial command.</summary>
public sealed class CrashTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_host_killed_mid_load_leaves_every_acknowledged_command_whole_and_no_partial_one()
    {
        var cli = Path.Combine(Repository.BuildOutput("CaseFlow.Cli"), "caseflow.dll");
        Assert.True(File.Exists(cli), $"{cli} not built");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        psi.ArgumentList.Add("crash-load");
        psi.ArgumentList.Add(db.ConnectionString);
        using var process = Process.Start(psi)!;

        var acknowledged = new List<(Guid Stream, long Version)>();
        while (acknowledged.Count < 300)
        {
            var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("load ended: " + await process.StandardError.ReadToEndAsync());
            if (line.StartsWith("ACK ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                acknowledged.Add((Guid.Parse(parts[1]), long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        process.Kill(entireProcessTree: true); // SIGKILL, mid-command
        await process.WaitForExitAsync();

        // The load ran on Marten.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM cf_marten.mt_events") > 0);

        // Every acknowledged command is there with all its parts.
        foreach (var (stream, version) in acknowledged)
        {
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE stream_id = $1", stream) >= version);
            Assert.True(await db.ScalarAsync<long>("SELECT version FROM cf_inquiry_worklist WHERE inquiry_id = $1", stream) >= version);
            if (version == 2)
                Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox o JOIN cf_event_log e ON e.id = o.caused_by_event WHERE e.stream_id = $1", stream));
        }

        // And no command is there in part: for every stream, events, stream version, read model and outbox agree.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM cf_stream_log s
            LEFT JOIN cf_inquiry_worklist w ON w.inquiry_id = s.id
            WHERE w.version IS DISTINCT FROM s.version
               OR s.version <> (SELECT count(*) FROM cf_event_log e WHERE e.stream_id = s.id)
               OR (s.version = 2) <> EXISTS (SELECT 1 FROM cf_outbox o JOIN cf_event_log e ON e.id = o.caused_by_event WHERE e.stream_id = s.id)
            """));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM cf_stream_log") >= acknowledged.Select(a => a.Stream).Distinct().Count());
    }
}
