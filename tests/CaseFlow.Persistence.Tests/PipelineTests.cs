using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Commands;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseFlow.Persistence.Tests;

public sealed class PipelineTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ManualClock _clock = ManualClock.At("2025-09-26T02:00:00Z");
    private TestStore _t = null!;

    public async Task InitializeAsync()
    {
        _t = new TestStore(db, _clock);
        await TestStore.CreateTablesAsync(db.DataSource);
    }

    public Task DisposeAsync()
    {
        _t.Dispose();
        return Task.CompletedTask;
    }

    private static Decision Record(Tally state, int number, Guid id) =>
        number < 0 ? DomainError.Rule("tally.negative", "不能记录负数。") : Decision.Append(new NumberRecorded(id, number, ""));

    private Task<CommandOutcome> RecordAsync(Guid id, int number, long? ifMatch = null, IdempotencyRequest? idem = null) =>
        _t.Pipeline.ExecuteAsync(Tally.Kind, id, new CommandContext("RecordNumber", TestStore.Clerk, "corr", IfMatch: ifMatch, Idempotency: idem),
            (state, _) => Record(state, number, id));

    [Fact]
    public async Task A_command_writes_its_events_and_inline_projection_together()
    {
        var id = Guid.CreateVersion7();
        var outcome = Assert.IsType<CommandOutcome.Succeeded>(await RecordAsync(id, 50));
        Assert.True(outcome.Created);
        Assert.Equal(1, outcome.Version);

        Assert.Equal(50L, await db.ScalarAsync<long>("SELECT total FROM test_tally_totals WHERE tally_id = $1", id));

        Assert.IsType<CommandOutcome.Succeeded>(await RecordAsync(id, 5));
        Assert.Equal(55L, await db.ScalarAsync<long>("SELECT total FROM test_tally_totals WHERE tally_id = $1", id));
    }

    [Fact]
    public async Task Without_a_message_bus_a_command_that_causes_a_message_is_refused_whole_never_left_unsent()
    {
        // The API host and the command line run Wolverine (issue 15); a process without it must not write a
        // command whose notification nobody would deliver.
        var pipeline = new CommandPipeline(_t.Store, _t.Catalog, [new NoteToStaff()], _clock);
        var id = Guid.CreateVersion7();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(Tally.Kind, id,
            new CommandContext("RecordNumber", TestStore.Clerk, "corr"), (state, _) => Record(state, 150, id)));

        Assert.Null(await _t.Store.LoadAsync(id));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM test_tally_totals WHERE tally_id = $1", id));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM cf_outbox WHERE recipient = 'staff-1'"));
        // A command that causes none is written as ever.
        Assert.IsType<CommandOutcome.Succeeded>(await pipeline.ExecuteAsync(Tally.Kind, id,
            new CommandContext("RecordNumber", TestStore.Clerk, "corr"), (state, _) => Record(state, 7, id)));
    }

    [Fact]
    public async Task A_command_may_also_append_to_an_existing_stream_and_racing_ones_never_split_across_streams()
    {
        var shared = Guid.CreateVersion7();
        await RecordAsync(shared, 1);
        var owners = Enumerable.Range(0, 16).Select(_ => Guid.CreateVersion7()).ToArray();
        var outcomes = await Task.WhenAll(owners.Select(owner => Task.Run(() => _t.Pipeline.ExecuteAsync(Tally.Kind, owner,
            new CommandContext("RecordBoth", TestStore.Clerk, "corr"),
            (_, _) => Decision.Append(new NumberRecorded(owner, 10, "")).AndAppend(shared, Tally.Kind.Name, new NumberRecorded(shared, 1, owner.ToString()))))));

        var succeeded = owners.Where((_, i) => outcomes[i] is CommandOutcome.Succeeded).ToList();
        Assert.NotEmpty(succeeded);
        Assert.All(outcomes, o => Assert.True(o is CommandOutcome.Succeeded or CommandOutcome.Conflict, o.ToString()));
        // The shared stream holds exactly one event per successful command, at contiguous versions…
        var loaded = (await _t.Store.LoadAsync(shared))!;
        Assert.Equal(Enumerable.Range(1, 1 + succeeded.Count).Select(v => (long)v), loaded.Events.Select(e => e.Version));
        Assert.Equal(succeeded.Select(o => o.ToString()).Order(), loaded.Events.Skip(1).Select(e => ((NumberRecorded)e.Data).Note).Order());
        // …and a command that lost the race wrote nothing on its own stream either.
        foreach (var loser in owners.Except(succeeded))
            Assert.Null(await _t.Store.LoadAsync(loser));
    }

    [Fact]
    public async Task A_refused_command_writes_nothing()
    {
        var id = Guid.CreateVersion7();
        var rejected = Assert.IsType<CommandOutcome.Rejected>(await RecordAsync(id, -1));
        Assert.Equal("tally.negative", rejected.Error.Code);
        Assert.Null(await _t.Store.LoadAsync(id));
    }

    [Fact]
    public async Task If_match_with_a_stale_version_is_a_failed_precondition()
    {
        var id = Guid.CreateVersion7();
        await RecordAsync(id, 1);
        await RecordAsync(id, 2);
        var failed = Assert.IsType<CommandOutcome.PreconditionFailed>(await RecordAsync(id, 3, ifMatch: 1));
        Assert.Equal(2, failed.CurrentVersion);
        Assert.IsType<CommandOutcome.Succeeded>(await RecordAsync(id, 3, ifMatch: 2));
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_and_a_different_body_is_refused()
    {
        var id = Guid.CreateVersion7();
        var key = new IdempotencyRequest("key-1", "hash-a");
        var first = Assert.IsType<CommandOutcome.Succeeded>(await RecordAsync(id, 7, idem: key));
        var replay = Assert.IsType<CommandOutcome.Replayed>(await RecordAsync(id, 7, idem: key));
        Assert.Equal(first.Response, replay.Response);
        Assert.Equal(1, (await _t.Store.LoadAsync(id))!.Version);

        Assert.IsType<CommandOutcome.IdempotencyKeyReused>(await RecordAsync(id, 8, idem: key with { RequestHash = "hash-b" }));
        Assert.Equal(1, (await _t.Store.LoadAsync(id))!.Version);
    }

    [Fact]
    public async Task Racing_idempotent_requests_append_once()
    {
        var id = Guid.CreateVersion7();
        await RecordAsync(id, 1);
        var key = new IdempotencyRequest("race", "same");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RecordAsync(id, 2, idem: key))));
        Assert.Single(outcomes.OfType<CommandOutcome.Succeeded>());
        // Issue 13: a duplicate never runs the command again — it gets the first answer, or "in progress" while that runs.
        Assert.All(outcomes, o => Assert.True(o is CommandOutcome.Succeeded or CommandOutcome.Replayed or CommandOutcome.IdempotencyInProgress));
        Assert.Equal(2, (await _t.Store.LoadAsync(id))!.Version);
    }

    [Fact]
    public async Task Rebuilding_a_projection_gives_the_same_rows_as_the_live_one()
    {
        for (var i = 0; i < 20; i++)
        {
            var id = Guid.CreateVersion7();
            await RecordAsync(id, i);
            await RecordAsync(id, i * 3);
        }
        await _t.Runner.CatchUpAllAsync();
        var inlineBefore = await db.ScalarAsync<string>("SELECT string_agg(tally_id::text || ':' || total || ':' || events, ',' ORDER BY tally_id) FROM test_tally_totals");
        var asyncBefore = await db.ScalarAsync<string>("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM test_seen_events");

        var progress = new List<Projections.RebuildProgress>();
        await _t.Runner.RebuildAsync("tally_totals", new SyncProgress(progress));
        await _t.Runner.RebuildAsync("seen_events");

        Assert.Equal(inlineBefore, await db.ScalarAsync<string>("SELECT string_agg(tally_id::text || ':' || total || ':' || events, ',' ORDER BY tally_id) FROM test_tally_totals"));
        Assert.Equal(asyncBefore, await db.ScalarAsync<string>("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM test_seen_events"));
        Assert.True(progress[^1].Done);

        // The swapped-in tables keep working for new commands and the daemon.
        var later = Guid.CreateVersion7();
        await RecordAsync(later, 11);
        Assert.Equal(11L, await db.ScalarAsync<long>("SELECT total FROM test_tally_totals WHERE tally_id = $1", later));
        await _t.Runner.CatchUpAllAsync();
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM test_seen_events WHERE stream_id = $1", later));
    }

    private sealed class SyncProgress(List<Projections.RebuildProgress> into) : IProgress<Projections.RebuildProgress>
    {
        public void Report(Projections.RebuildProgress value) => into.Add(value);
    }
}
