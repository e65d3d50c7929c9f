using CaseFlow.Persistence.EventStore;
using CaseFlow.Testing;
using Npgsql;

namespace CaseFlow.Persistence.Tests;

/// <summary>The store's write guarantees on Marten, as commands use it (one write, several streams, expected versions).</summary>
public sealed class AppendTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly TestStore _t = new(db);

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Sixty_four_concurrent_writers_on_one_stream_lose_nothing_and_write_nothing_extra()
    {
        var id = Guid.CreateVersion7();
        await _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "并发")])], TestStore.Meta);

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<int>();
        var conflicts = 0;
        using var start = new ManualResetEventSlim(false);
        // Every writer read version 1 and tries to append its own number with that expectation; then the
        // losers re-read and retry until each has landed once. Every acknowledged number must be in the stream.
        var writers = Enumerable.Range(1, 64).Select(n => Task.Run(async () =>
        {
            start.Wait();
            while (true)
            {
                var current = (await _t.Store.LoadAsync(id))!.Version;
                try
                {
                    await _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(current), [new NumberRecorded(id, n, "")])], TestStore.Meta);
                    acknowledged.Add(n);
                    return;
                }
                catch (ConcurrencyConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(writers);

        var stream = (await _t.Store.LoadAsync(id))!;
        Assert.Equal(65, stream.Version);
        Assert.Equal(Enumerable.Range(1, 65).Select(v => (long)v), stream.Events.Select(e => e.Version));
        var numbers = stream.Events.Skip(1).Select(e => ((NumberRecorded)e.Data).Number).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 64), numbers);
        Assert.Equal(acknowledged.Order(), numbers);
        Assert.True(conflicts > 0, "64 writers racing on one version must produce conflicts");
        Assert.Equal(65L, await db.ScalarAsync<long>("SELECT count(*) FROM cf_marten.mt_events WHERE stream_id = $1", id));
    }

    [Fact]
    public async Task A_stale_expected_version_fails_with_a_conflict_and_writes_nothing()
    {
        var id = Guid.CreateVersion7();
        await _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "a"), new NumberRecorded(id, 1, "")])], TestStore.Meta);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(1), [new NumberRecorded(id, 2, "")])], TestStore.Meta));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(7), [new NumberRecorded(id, 3, "")])], TestStore.Meta));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "again")])], TestStore.Meta));

        var stream = (await _t.Store.LoadAsync(id))!;
        Assert.Equal(2, stream.Version);
        Assert.Equal(2, stream.Events.Count);
    }

    [Fact]
    public async Task A_command_writing_two_streams_writes_both_or_neither()
    {
        var existing = Guid.CreateVersion7();
        await _t.AppendAsync([new StreamWrite(existing, "tally", ExpectedVersion.NoStream, [new TallyOpened(existing, "x")])], TestStore.Meta);
        var fresh = Guid.CreateVersion7();

        // The second write is stale, so the first (a brand-new stream) must not be written either.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _t.AppendAsync(
        [
            new StreamWrite(fresh, "tally", ExpectedVersion.NoStream, [new TallyOpened(fresh, "new")]),
            new StreamWrite(existing, "tally", ExpectedVersion.Exactly(5), [new NumberRecorded(existing, 1, "")]),
        ], TestStore.Meta));
        Assert.Null(await _t.Store.LoadAsync(fresh));

        await _t.AppendAsync(
        [
            new StreamWrite(fresh, "tally", ExpectedVersion.NoStream, [new TallyOpened(fresh, "new")]),
            new StreamWrite(existing, "tally", ExpectedVersion.Exactly(1), [new NumberRecorded(existing, 1, "")]),
        ], TestStore.Meta);
        Assert.Equal(1, (await _t.Store.LoadAsync(fresh))!.Version);
        Assert.Equal(2, (await _t.Store.LoadAsync(existing))!.Version);
    }

    [Fact]
    public async Task Every_event_carries_who_did_it_and_a_uuid_v7_id()
    {
        var id = Guid.CreateVersion7();
        await _t.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "meta")])], TestStore.Meta);

        var e = (await _t.Store.LoadAsync(id))!.Events.Single();
        Assert.Equal(7, e.EventId.Version);
        Assert.Equal(TestStore.Meta, e.Metadata);
        Assert.Equal("test.tally_opened.v1", e.Type);
        Assert.Equal(_t.Clock.GetUtcNow(), e.Timestamp);
    }
}
