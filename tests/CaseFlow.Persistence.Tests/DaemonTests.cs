using CaseFlow.Persistence.EventStore;
using CaseFlow.Testing;
using Npgsql;

namespace CaseFlow.Persistence.Tests;

[Collection(TransactionHorizon.Name)]
public sealed class DaemonTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SeenEvents _seen = new($"seen_{Guid.NewGuid():N}"[..20]);
    private TestStore _t = null!;

    public async Task InitializeAsync()
    {
        _t = new TestStore(db, asyncProjections: [_seen]);
        await _seen.CreateTableAsync(db.DataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts a transaction that appends one event and stays open until the caller commits or rolls back.</summary>
    private async Task<(NpgsqlConnection Conn, NpgsqlTransaction Tx, Guid Stream)> OpenWriterAsync(string note)
    {
        var conn = await db.DataSource.OpenConnectionAsync();
        var tx = await conn.BeginTransactionAsync();
        var id = Guid.CreateVersion7();
        await using var batch = new NpgsqlBatch(conn, tx);
        var write = new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new NumberRecorded(id, 1, note)]);
        _t.Store.AddAppend(batch, write, TestStore.Meta, _t.Clock.GetUtcNow());
        await batch.ExecuteNonQueryAsync();
        return (conn, tx, id);
    }

    private async Task<List<Guid>> SeenStreamsAsync()
    {
        var seen = new List<Guid>();
        await using var cmd = db.DataSource.CreateCommand($"SELECT stream_id FROM {_seen.Table}");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            seen.Add(reader.GetGuid(0));
        return seen;
    }

    [Fact]
    public async Task An_event_committed_after_a_later_numbered_one_is_seen_and_a_rolled_back_one_never()
    {
        await _t.Daemon.CatchUpAsync(_seen, includeInFlight: true); // what earlier tests in this class wrote
        var slow = await OpenWriterAsync("slow");          // gets the lower sequence number, commits last
        var rolledBack = await OpenWriterAsync("rolled back");
        var fast = Guid.CreateVersion7();                  // higher sequence number, commits first
        await _t.Store.AppendAsync([new StreamWrite(fast, "tally", ExpectedVersion.NoStream, [new NumberRecorded(fast, 2, "fast")])], TestStore.Meta);
        Assert.True(await db.ScalarAsync<long>("SELECT seq FROM cf_events WHERE stream_id = $1", fast) > 0);

        // While the slow writer is open, the daemon must not move past it: it applies nothing yet.
        Assert.Equal(0, await _t.Daemon.CatchUpAsync(_seen));

        await rolledBack.Tx.RollbackAsync();
        await slow.Tx.CommitAsync();
        await slow.Conn.DisposeAsync();
        await rolledBack.Conn.DisposeAsync();

        // One pass sees both committed events, exactly once, and never the rolled-back one.
        Assert.Equal(2, await _t.Daemon.CatchUpAsync(_seen, includeInFlight: true));
        var seen = await SeenStreamsAsync();
        Assert.Contains(slow.Stream, seen);
        Assert.Contains(fast, seen);
        Assert.DoesNotContain(rolledBack.Stream, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(0, await _t.Daemon.CatchUpAsync(_seen));
    }

    [Fact]
    public async Task Concurrent_slow_and_failing_writers_are_all_projected_exactly_once()
    {
        var committed = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var daemonPasses = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await _t.Daemon.CatchUpAsync(_seen, includeInFlight: true);
        });
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < 25; i++)
            {
                var (conn, tx, id) = await OpenWriterAsync($"w{w}-{i}");
                await using (conn)
                {
                    await using (var pause = new NpgsqlCommand($"SELECT pg_sleep({random.Next(0, 8) / 1000.0:0.000})", conn, tx))
                        await pause.ExecuteNonQueryAsync();
                    if (random.Next(4) == 0)
                    {
                        await tx.RollbackAsync();
                    }
                    else
                    {
                        await tx.CommitAsync();
                        committed.Add(id);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await daemonPasses;
        await _t.Daemon.CatchUpAsync(_seen, includeInFlight: true);

        var mine = committed.ToHashSet();
        var seenAll = await SeenStreamsAsync();
        Assert.Equal(seenAll.Count, seenAll.Distinct().Count());
        var seen = seenAll.Where(mine.Contains).ToList();
        Assert.Equal(committed.Count, seen.Count);
        Assert.Equal(committed.Order(), seen.Order());
    }

    [Fact]
    public async Task A_failing_event_stops_the_projection_there_and_says_which_and_why()
    {
        await _t.Daemon.CatchUpAsync(_seen, includeInFlight: true); // everything so far
        var before = (await SeenStreamsAsync()).Count;

        var poison = Guid.CreateVersion7();
        var after = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(poison, "tally", ExpectedVersion.NoStream, [new NumberRecorded(poison, 1, $"poison:{_seen.Name}")])], TestStore.Meta);
        await _t.Store.AppendAsync([new StreamWrite(after, "tally", ExpectedVersion.NoStream, [new NumberRecorded(after, 1, "fine")])], TestStore.Meta);

        var error = await Assert.ThrowsAsync<Projections.ProjectionFailedException>(() => _t.Daemon.CatchUpAsync(_seen, includeInFlight: true));
        var poisonSeq = await db.ScalarAsync<long>("SELECT seq FROM cf_events WHERE stream_id = $1", poison);
        Assert.Equal(poisonSeq, error.Sequence);
        Assert.Equal(before, (await SeenStreamsAsync()).Count); // the later, healthy event was not applied past it

        var status = Assert.Single(await _t.Daemon.StatusAsync());
        Assert.Equal("failed", status.Status);
        Assert.Equal(poisonSeq, status.FailedSequence);
        Assert.Contains("poison event", status.Error, StringComparison.Ordinal);
        Assert.True(status.EventsBehind >= 2);
    }
}

[Collection(TransactionHorizon.Name)]
public sealed class DaemonLeadershipTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    /// <summary>
    /// Hosts are separate processes: the lock key must not depend on per-process hash seeds. The expected value
    /// is SHA-256("caseflow/projection/ledger_inquiries"), first 8 bytes little-endian, computed outside .NET.
    /// </summary>
    [Fact]
    public void A_projections_lock_key_is_the_same_in_every_process() =>
        Assert.Equal(-6692117351877725707L, Projections.ProjectionDaemon.LockKey("ledger_inquiries"));

    [Fact]
    public async Task Two_hosts_never_run_a_projection_at_once_and_the_survivor_carries_on_when_one_dies()
    {
        var seen = new SeenEvents("seen_leader");
        await seen.CreateTableAsync(db.DataSource);
        var hostA = new TestStore(db, asyncProjections: [seen]);
        var hostB = new TestStore(db, asyncProjections: [seen]);

        // Host A runs its daemon; host B runs catch-up passes in a loop; a writer appends meanwhile. Were both
        // ever to apply the same page, the projection's primary key would refuse the second and fail it.
        using var stopA = new CancellationTokenSource();
        await hostA.Daemon.StartAsync(stopA.Token);
        var written = new List<Guid>();
        long applyingByB = 0, lockedOutB = 0;
        for (var i = 0; i < 150; i++)
        {
            var id = Guid.CreateVersion7();
            await hostA.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new NumberRecorded(id, i, "")])], TestStore.Meta);
            written.Add(id);
            var fromB = await hostB.Daemon.CatchUpAsync(seen);
            if (fromB < 0)
                lockedOutB++;
            else
                applyingByB += fromB;
        }

        // A dies; B carries on alone and sees everything, each event once.
        await stopA.CancelAsync();
        await hostA.Daemon.StopAsync(CancellationToken.None);
        var later = Guid.CreateVersion7();
        await hostB.Store.AppendAsync([new StreamWrite(later, "tally", ExpectedVersion.NoStream, [new NumberRecorded(later, 2, "")])], TestStore.Meta);
        written.Add(later);
        Assert.True(await hostB.Daemon.CatchUpAsync(seen, includeInFlight: true) >= 0);

        Assert.Equal(written.Count, await db.ScalarAsync<long>($"SELECT count(*) FROM {seen.Table}"));
        Assert.Equal("running", Assert.Single(await hostB.Daemon.StatusAsync()).Status);
        Assert.True(lockedOutB + applyingByB > 0);
    }
}
