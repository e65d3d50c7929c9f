using CaseFlow.Testing;

namespace CaseFlow.Api.Tests;

/// <summary>
/// The JasperFx command line of the host for operators (issue 15): <c>db-apply</c> creates the whole schema of an
/// empty database (CaseFlow's scripts, Marten's event store, Wolverine's tables) without starting the host, and
/// <c>db-assert</c> then finds nothing missing.
/// </summary>
public sealed class OperatorCommandTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(int Exit, string Output)> RunAsync(string command)
    {
        var node = HostProcess.Start(db.ConnectionString, new Dictionary<string, string>(), command);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await node.Process.WaitForExitAsync(timeout.Token);
        var exit = node.Process.ExitCode;
        node.Process.Dispose();
        return (exit, string.Join("\n", node.Output));
    }

    private Task<bool> ExistsAsync(string table) => db.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", table);

    [Fact]
    public async Task Db_apply_creates_the_whole_schema_and_db_assert_then_passes()
    {
        // As the previous release left it: no Wolverine tables yet.
        await using (var drop = db.DataSource.CreateCommand("DROP SCHEMA IF EXISTS cf_wolverine CASCADE"))
            await drop.ExecuteNonQueryAsync();
        Assert.False(await ExistsAsync("cf_wolverine.wolverine_incoming_envelopes"));

        var (applied, output) = await RunAsync("db-apply");
        Assert.True(applied == 0, output);
        Assert.True(await ExistsAsync("cf_wolverine.wolverine_incoming_envelopes"), output);
        Assert.True(await ExistsAsync("cf_wolverine.wolverine_dead_letters"), output);
        Assert.True(await ExistsAsync("cf_marten.mt_events"), output);
        Assert.True(await ExistsAsync("cf_outbox"), output);
        Assert.True(await ExistsAsync("cf_schema_migrations"), output);

        var (asserted, assertOutput) = await RunAsync("db-assert");
        Assert.True(asserted == 0, assertOutput);
    }
}
