using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Marten;
using CaseFlow.Testing;
using Marten;

namespace CaseFlow.Persistence.Tests;

/// <summary>
/// Issue 14, first step: CaseFlow's events stored by Marten are the contract. Every golden sample appended through
/// Marten is stored under its stable name as the golden JSON (Marten's serializer writes it byte for byte), reads back as the same event, and a row of a
/// retired version (<c>case.decided.v1</c>) reads through the upcaster chain.
/// </summary>
public sealed class MartenEventTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private DocumentStore _store = null!;

    public async Task InitializeAsync()
    {
        // Marten's schema came with the migrated template database (SchemaMigrator): nothing is created here.
        _store = new DocumentStore(CaseFlowStoreOptions.For(db.ConnectionString));
        await Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    private static string Canonical(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static string Golden(string name) => File.ReadAllText(Path.Combine(Repository.Root, "contracts", "events", name + ".json"));

    [Fact]
    public async Task Every_golden_sample_is_stored_by_marten_under_its_stable_name_as_the_golden_json_and_reads_back_the_same()
    {
        var streams = new Dictionary<string, Guid>();
        await using (var session = _store.LightweightSession())
        {
            foreach (var (name, type) in EventCatalog.All)
            {
                var id = Guid.CreateVersion7();
                streams[name] = id;
                session.Events.StartStream(id, GoldenEventTests.Samples[type]);
            }
            await session.SaveChangesAsync();
        }

        await using var query = _store.QuerySession();
        var mismatches = new List<string>();
        foreach (var (name, type) in EventCatalog.All)
        {
            await using var cmd = db.DataSource.CreateCommand($"SELECT type, data::text FROM {CaseFlowStoreOptions.Schema}.mt_events WHERE stream_id = $1");
            cmd.Parameters.AddWithValue(streams[name]);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), name);
            if (reader.GetString(0) != name)
                mismatches.Add($"{name}: stored as type {reader.GetString(0)}");
            // jsonb keeps keys in its own order: the stored document must mean exactly the golden one.
            if (!JsonNode.DeepEquals(JsonNode.Parse(reader.GetString(1)), JsonNode.Parse(Golden(name))))
                mismatches.Add($"{name}: stored JSON differs from contracts/events/{name}.json");
            // And Marten's serializer writes the golden text itself, byte for byte (after indentation).
            if (Canonical(_store.Options.Serializer().ToJson(GoldenEventTests.Samples[type])) != Golden(name))
                mismatches.Add($"{name}: Marten's serializer writes other JSON than contracts/events/{name}.json");

            var loaded = Assert.Single(await query.Events.FetchStreamAsync(streams[name]));
            Assert.IsType(type, loaded.Data);
            if (Canonical(EventSerializer.Default.Serialize(loaded.Data)) != Golden(name))
                mismatches.Add($"{name}: reads back differently");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public async Task A_decision_stored_as_v1_reads_through_the_upcaster_as_v2_with_its_working_days_unknown()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(id, GoldenEventTests.Samples[typeof(CaseNumberAssigned)]);
            await session.SaveChangesAsync();
        }
        // An old row as the previous release wrote it: the retired name and shape, never rewritten.
        await using (var cmd = db.DataSource.CreateCommand(
            $"""
            INSERT INTO {CaseFlowStoreOptions.Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type)
            VALUES (nextval('{CaseFlowStoreOptions.Schema}.mt_events_sequence'), $1, $2, 2, $3::jsonb, 'case.decided.v1', now(), NULL)
            """))
        {
            cmd.Parameters.AddWithValue(Guid.CreateVersion7());
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(Golden("case.decided.v1"));
            await cmd.ExecuteNonQueryAsync();
        }

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);
        var decided = Assert.IsType<CaseFlow.Domain.BackOffice.CaseDecided>(events[1].Data);
        Assert.Null(decided.WorkingDaysUsed);
        Assert.Equal(new DateOnly(2025, 10, 31), decided.DecidedOn);
    }
}

/// <summary>Events on Marten stay the permanent record: the database refuses to change, delete or truncate them.</summary>
public sealed class MartenImmutabilityTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("UPDATE cf_marten.mt_events SET data = '{}'")]
    [InlineData("DELETE FROM cf_marten.mt_events")]
    [InlineData("TRUNCATE cf_marten.mt_events")]
    [InlineData("DELETE FROM cf_marten.mt_streams")]
    [InlineData("TRUNCATE cf_marten.mt_streams CASCADE")]
    public async Task Changing_or_removing_events_is_refused_while_appending_still_works(string sql)
    {
        using var store = new DocumentStore(CaseFlowStoreOptions.For(db.ConnectionString));
        var id = Guid.CreateVersion7();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(id, GoldenEventTests.Samples[typeof(CaseNumberAssigned)]);
            await session.SaveChangesAsync();
        }
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(id, 2, GoldenEventTests.Samples[typeof(CaseNumberAssigned)]); // Marten's own update of mt_streams is allowed
            await session.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(async () =>
        {
            await using var cmd = db.DataSource.CreateCommand(sql);
            await cmd.ExecuteNonQueryAsync();
        });
        Assert.Equal("CF403", refused.SqlState);
        Assert.Equal(2, await db.ScalarAsync<long>($"SELECT count(*) FROM {CaseFlowStoreOptions.Schema}.mt_events WHERE stream_id = $1", id));
    }
}

/// <summary>CaseFlow's <c>$n</c> statements as Marten's positional ones.</summary>
public sealed class PositionalSqlTests
{
    [Fact]
    public void Placeholders_become_positional_with_reused_arguments_repeated_and_quoted_text_left_alone()
    {
        var (sql, args) = MartenEventStore.Positional("UPDATE t SET a = $1, b = $2 || '$3', c = $10 WHERE a = $1", ["x", "y", 3, 4, 5, 6, 7, 8, 9, "ten"]);
        Assert.Equal("UPDATE t SET a = ^, b = ^ || '$3', c = ^ WHERE a = ^", sql);
        Assert.Equal(["x", "y", "ten", "x"], args);
    }

    [Theory]
    [InlineData("SELECT $2", 1)]
    [InlineData("SELECT $0", 1)]
    [InlineData("SELECT 2 ^ $1", 1)]
    public void A_statement_that_would_bind_wrongly_is_refused(string sql, int count) =>
        Assert.Throws<InvalidOperationException>(() => MartenEventStore.Positional(sql, new object?[count]));
}
