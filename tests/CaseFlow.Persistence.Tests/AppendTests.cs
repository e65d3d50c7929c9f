using CaseFlow.Persistence.EventStore;
using CaseFlow.Testing;
using Npgsql;

namespace CaseFlow.Persistence.Tests;

public sealed class AppendTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly TestStore _t = new(db);

    [Fact]
    public async Task Sixty_four_concurrent_writers_on_one_stream_lose_nothing_and_write_nothing_extra()
    {
        var id = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "并发")])], TestStore.Meta);

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
                    await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(current), [new NumberRecorded(id, n, "")])], TestStore.Meta);
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
        Assert.Equal(65L, await db.ScalarAsync<long>("SELECT count(*) FROM cf_events WHERE stream_id = $1", id));
    }

    [Fact]
    public async Task A_stale_expected_version_fails_with_a_conflict_and_writes_nothing()
    {
        var id = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "a"), new NumberRecorded(id, 1, "")])], TestStore.Meta);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(1), [new NumberRecorded(id, 2, "")])], TestStore.Meta));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.Exactly(7), [new NumberRecorded(id, 3, "")])], TestStore.Meta));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "again")])], TestStore.Meta));

        var stream = (await _t.Store.LoadAsync(id))!;
        Assert.Equal(2, stream.Version);
        Assert.Equal(2, stream.Events.Count);
    }

    [Fact]
    public async Task A_command_writing_two_streams_writes_both_or_neither()
    {
        var existing = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(existing, "tally", ExpectedVersion.NoStream, [new TallyOpened(existing, "x")])], TestStore.Meta);
        var fresh = Guid.CreateVersion7();

        // The second write is stale, so the first (a brand-new stream) must not be written either.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _t.Store.AppendAsync(
        [
            new StreamWrite(fresh, "tally", ExpectedVersion.NoStream, [new TallyOpened(fresh, "new")]),
            new StreamWrite(existing, "tally", ExpectedVersion.Exactly(5), [new NumberRecorded(existing, 1, "")]),
        ], TestStore.Meta));
        Assert.Null(await _t.Store.LoadAsync(fresh));

        await _t.Store.AppendAsync(
        [
            new StreamWrite(fresh, "tally", ExpectedVersion.NoStream, [new TallyOpened(fresh, "new")]),
            new StreamWrite(existing, "tally", ExpectedVersion.Exactly(1), [new NumberRecorded(existing, 1, "")]),
        ], TestStore.Meta);
        Assert.Equal(1, (await _t.Store.LoadAsync(fresh))!.Version);
        Assert.Equal(2, (await _t.Store.LoadAsync(existing))!.Version);
    }

    [Theory]
    [InlineData("UPDATE cf_events SET type = 'tampered'")]
    [InlineData("DELETE FROM cf_events")]
    [InlineData("TRUNCATE cf_events")]
    public async Task The_database_refuses_to_change_or_remove_events(string sql)
    {
        var id = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "keep")])], TestStore.Meta);

        await using var cmd = db.DataSource.CreateCommand(sql);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal("CF001", error.SqlState);
        Assert.Single((await _t.Store.LoadAsync(id))!.Events);
    }

    [Fact]
    public async Task Every_event_carries_who_did_it_and_a_uuid_v7_id()
    {
        var id = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "meta")])], TestStore.Meta);

        var e = (await _t.Store.LoadAsync(id))!.Events.Single();
        Assert.Equal(7, e.EventId.Version);
        Assert.Equal(TestStore.Meta, e.Metadata);
        Assert.Equal("test.tally_opened.v1", e.Type);
        Assert.Equal(_t.Clock.GetUtcNow(), e.Timestamp);
    }

    [Fact]
    public async Task An_old_shaped_row_loads_as_the_new_event_type_through_the_upcaster()
    {
        var id = Guid.CreateVersion7();
        await _t.Store.AppendAsync([new StreamWrite(id, "tally", ExpectedVersion.NoStream, [new TallyOpened(id, "old")])], TestStore.Meta);
        // A row as the v1 code wrote it, years ago: {"tallyId":…, "value": 42}.
        var metadata = System.Text.Json.JsonSerializer.Serialize(TestStore.Meta, EventSerializer.Options);
        await using (var batch = db.DataSource.CreateBatch())
        {
            batch.BatchCommands.Add(PostgresEventStore.Command("SELECT cf_advance_stream($1, 1, 2, now())", id));
            batch.BatchCommands.Add(PostgresEventStore.Command(
                "INSERT INTO cf_events (id, stream_id, version, type, data, metadata, \"timestamp\") VALUES (gen_random_uuid(), $1, 2, 'test.number_recorded.v1', jsonb_build_object('tallyId', $1::text, 'value', 42), $2::jsonb, now())",
                id, metadata));
            await batch.ExecuteNonQueryAsync();
        }

        var loaded = (await _t.Store.LoadAsync(id))!;
        var upcast = Assert.IsType<NumberRecorded>(loaded.Events[1].Data);
        Assert.Equal(new NumberRecorded(id, 42, "(upcast from v1)"), upcast);
        Assert.Equal("test.number_recorded.v2", loaded.Events[1].Type);
        Assert.Equal(42, Tally.Kind.Fold(loaded.Events.Select(e => e.Data)).Sum);
    }
}
