using System.Text.Json.Nodes;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;
using CaseFlow.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CaseFlow.Persistence.Tests;

// A tiny stream kind used only to exercise the store: a tally that records numbers.
public sealed record NumberRecorded(Guid TallyId, int Number, string Note);

public sealed record TallyOpened(Guid TallyId, string Title);

public sealed record Tally(int Count, int Sum)
{
    public static readonly StreamKind<Tally> Kind = new("tally", new Tally(0, 0), (s, e) => e switch
    {
        NumberRecorded r => new Tally(s.Count + 1, s.Sum + r.Number),
        _ => s,
    });
}

/// <summary>v1 of NumberRecorded had "value" and no note; v2 renamed it "number" and added "note".</summary>
public sealed class NumberRecordedV1ToV2 : IEventUpcaster
{
    public string FromType => "test.number_recorded.v1";
    public string ToType => "test.number_recorded.v2";

    public JsonObject Upcast(JsonObject old)
    {
        var number = old["value"]!.GetValue<int>();
        old.Remove("value");
        old["number"] = number;
        old["note"] = "(upcast from v1)";
        return old;
    }
}

/// <summary>Inline projection: one row per tally with its running sum.</summary>
public sealed class TallyTotals : IProjection
{
    public string Name => "tally_totals";
    public IReadOnlyList<string> Tables => ["test_tally_totals"];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        if (e.Data is NumberRecorded r)
            w.Execute($"INSERT INTO {w.Table("test_tally_totals")} (tally_id, total, events) VALUES ($1, $2, 1) ON CONFLICT (tally_id) DO UPDATE SET total = {w.Table("test_tally_totals")}.total + EXCLUDED.total, events = {w.Table("test_tally_totals")}.events + 1", r.TallyId, r.Number);
    }
}

/// <summary>Async projection: every event seen, once (the primary key refuses a second sighting).</summary>
public sealed class SeenEvents(string name = "seen_events") : IProjection
{
    public string Name => name;
    public string Table => "test_" + name;
    public IReadOnlyList<string> Tables => [Table];

    public async Task CreateTableAsync(NpgsqlDataSource ds)
    {
        await using var cmd = ds.CreateCommand($"CREATE TABLE IF NOT EXISTS {Table} (seq bigint PRIMARY KEY, stream_id uuid NOT NULL, version bigint NOT NULL)");
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>When set, a rebuild (writing into copies) stops at its first event until the test opens the gate.</summary>
    public RebuildGate? Gate { get; set; }

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        if (e.Data is NumberRecorded r && r.Note == $"poison:{Name}")
            throw new InvalidOperationException("poison event");
        if (Gate is { } gate && w.Table(Table) != Table)
            gate.Hold();
        w.Execute($"INSERT INTO {w.Table(Table)} (seq, stream_id, version) VALUES ($1, $2, $3)", e.Sequence, e.StreamId, e.Version);
    }
}

/// <summary>Holds a rebuild mid-way, once, so a test can look at what readers see meanwhile.</summary>
public sealed class RebuildGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task;

    public void Open() => _opened.TrySetResult();

    public void Hold()
    {
        if (_entered.TrySetResult())
            _opened.Task.Wait(TimeSpan.FromSeconds(60));
    }
}

public sealed class NoteToStaff : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e) =>
        e.Data is NumberRecorded { Number: > 100 } r
            ? [OutboxMessage.For(e, OutboxMessage.Kinds.Staff, "staff-1", "big_number", new Dictionary<string, string> { ["number"] = r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) })]
            : [];
}

/// <summary>Wires the store (Marten), pipeline and projection runner over one test database.</summary>
public sealed class TestStore : IDisposable
{
    public static readonly EventSerializer Serializer = new(
        [("test.number_recorded.v2", typeof(NumberRecorded)), ("test.tally_opened.v1", typeof(TallyOpened))],
        [new NumberRecordedV1ToV2()]);


    public TestStore(DatabaseFixture db, TimeProvider? clock = null, IEnumerable<IProjection>? asyncProjections = null)
    {
        Clock = clock ?? ManualClock.At("2025-09-26T02:00:00Z");
        Catalog = new ProjectionCatalog([
            new(new TallyTotals(), ProjectionMode.Inline),
            .. (asyncProjections ?? [new SeenEvents()]).Select(p => new ProjectionRegistration(p, ProjectionMode.Async))]);
        var options = Options(db);
        Marten.CaseFlowStoreOptions.AddProjections(options, Catalog, Serializer, db.DataSource);
        Documents = new global::Marten.DocumentStore(options);
        Store = new Marten.MartenEventStore(Documents, db.DataSource, Serializer);
        Pipeline = new Commands.CommandPipeline(Store, Catalog, [], Clock); // no bus here: no message policies (PipelineTests)
        Runner = new Marten.MartenProjectionRunner(Documents, Catalog, db.DataSource, Clock, NullLogger<Marten.MartenProjectionRunner>.Instance,
            new Resilience.DatabaseOutage(NullLogger<Resilience.DatabaseOutage>.Instance, Clock), Serializer, rebuildOptions: () => Options(db));
    }

    private global::Marten.StoreOptions Options(DatabaseFixture db)
    {
        var options = Marten.CaseFlowStoreOptions.For(db.DataSource, Clock);
        options.Events.MapEventType<NumberRecorded>("test.number_recorded.v2");
        options.Events.MapEventType<TallyOpened>("test.tally_opened.v1");
        return options;
    }

    public TimeProvider Clock { get; }
    /// <summary>Marten itself, for tests that write around the pipeline (a writer held open) or run a daemon.</summary>
    public global::Marten.DocumentStore Documents { get; }
    public Marten.MartenEventStore Store { get; }
    public ProjectionCatalog Catalog { get; }
    public Commands.CommandPipeline Pipeline { get; }
    public Marten.MartenProjectionRunner Runner { get; }

    /// <summary>One write of these streams, as a command makes it (events only).</summary>
    public async Task AppendAsync(IEnumerable<StreamWrite> writes, EventMetadata metadata)
    {
        await using var write = Store.BeginWrite();
        foreach (var w in writes)
            write.Append(w, metadata, Clock.GetUtcNow());
        await write.CommitAsync(CancellationToken.None);
    }

    public void Dispose() => Documents.Dispose();

    public static readonly Actor Clerk = new("clerk-1", "王芳", Role.Clerk, "centre-1", "城关镇便民服务中心", Channel.Window);

    public static EventMetadata Meta => EventMetadata.For(Clerk, "corr-1", null);

    public static async Task CreateTablesAsync(NpgsqlDataSource ds)
    {
        await using var cmd = ds.CreateCommand(
            """
            CREATE TABLE IF NOT EXISTS test_tally_totals (tally_id uuid PRIMARY KEY, total bigint NOT NULL, events int NOT NULL);
            CREATE TABLE IF NOT EXISTS test_seen_events (seq bigint PRIMARY KEY, stream_id uuid NOT NULL, version bigint NOT NULL);
            """);
        await cmd.ExecuteNonQueryAsync();
    }
}
