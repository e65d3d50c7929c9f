using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Embedded;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Cli;

/// <summary>
/// <c>caseflow bench</c>: the event store (on Marten since issue 14) against raw SQL on the same PostgreSQL, in
/// the same run, interleaved (issue 3). Raw SQL writes the same rows (stream + event) as one batched round trip
/// per transaction, with the JSON already serialised; the store does its full work (serialise, metadata,
/// expected-version check, stream kind).
/// </summary>
public static class Bench
{
    private sealed record Result(string Scenario, int Writers, long Ops, double Seconds, double P50, double P99)
    {
        public double PerSecond => Ops / Seconds;
    }

    private static readonly Actor BenchClerk = new("bench-clerk", "压测", Role.Clerk, "centre-bench", "压测中心", Channel.Window);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = IntOption(args, "--seconds", 5);
        var writerCounts = (Option(args, "--writers") ?? "1,4,16").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        var rebuildEvents = IntOption(args, "--events", 100_000);

        EmbeddedPostgres? cluster = null;
        var admin = Environment.GetEnvironmentVariable("CASEFLOW_BENCH_DB");
        if (string.IsNullOrWhiteSpace(admin))
        {
            var dir = Path.Combine(Path.GetTempPath(), $"caseflow-bench-{Environment.ProcessId}");
            cluster = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = dir, Database = "postgres" });
            cluster.RemoveWhenProcessExits();
            await cluster.StartAsync();
            admin = cluster.ConnectionString("postgres");
            Console.WriteLine($"throwaway durable cluster (fsync on) at 127.0.0.1:{cluster.Port}");
        }

        var database = $"caseflow_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await ExecAsync(admin, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 64, Pooling = true }.ConnectionString;
        try
        {
            await using var db = NpgsqlDataSource.Create(connectionString);
            await SchemaMigrator.MigrateAsync(db);
            // As the host wires it (Marten on its own auto-prepared data source). Tuning experiments (README "Benchmarks"):
            // CASEFLOW_BENCH_MARTEN_NO_LOCK=1 turns the exclusive lock on concurrent appends off; CASEFLOW_BENCH_AUTO_PREPARE=N
            // sets Npgsql's auto-prepare on Marten's connections (0: off).
            var martenOptions = CaseFlow.Persistence.Marten.CaseFlowStoreOptions.For(
                CaseFlow.Persistence.Marten.CaseFlowStoreOptions.DataSourceFor(connectionString,
                    Environment.GetEnvironmentVariable("CASEFLOW_BENCH_AUTO_PREPARE") is { Length: > 0 } prepare
                        ? Math.Max(int.Parse(prepare, CultureInfo.InvariantCulture), 0)
                        : CaseFlow.Persistence.Marten.CaseFlowStoreOptions.MaxAutoPrepare),
                TimeProvider.System);
            if (Environment.GetEnvironmentVariable("CASEFLOW_BENCH_MARTEN_NO_LOCK") == "1")
                martenOptions.Events.UseExclusiveLockOnConcurrentAppends = false;
            using var marten = new global::Marten.DocumentStore(martenOptions);
            var onMarten = new CaseFlow.Persistence.Marten.MartenEventStore(marten, db, EventSerializer.Default);
            var projections = ServiceCollectionExtensions.ProductProjections();
            var martenPipeline = new CaseFlow.Persistence.Commands.CommandPipeline(onMarten, projections, [new CaseFlow.Persistence.Inquiries.InquiryNotifications()], TimeProvider.System);
            // Reads, the rebuild and the accept-a-case command as the host wires them.
            await using var host = await CliHost.StartAsync(connectionString, Microsoft.Extensions.Logging.LogLevel.Warning, s => s.AddSingleton<CaseFlow.Api.Seeding.DemoSeeder>());
            var services = host.Services;
            await services.GetRequiredService<CaseFlow.Api.Seeding.DemoSeeder>().SeedIfEmptyAsync();
            var cases = new ReceivedCases(services, services.GetRequiredService<CaseFlow.Persistence.Commands.CommandPipeline>()); // the host's pipeline: every outbox policy
            await cases.ReceiveAsync((seconds * 2_000 + 500) * writerCounts.Length);
            // Settle what the receipts wrote (autovacuum would otherwise run during the first scenarios).
            await ExecAsync(connectionString, "VACUUM (ANALYZE)");
            await ExecAsync(connectionString, "CHECKPOINT");
            var results = new List<Result>();

            Console.WriteLine($"{Environment.ProcessorCount} cores; {seconds} s per scenario; writers {string.Join(", ", writerCounts)}");
            foreach (var writers in writerCounts)
            {
                results.Add(await MeasureAsync("raw start-stream", writers, seconds, () => RawStartWriter(db)));
                results.Add(await MeasureAsync("raw start-stream, BEGIN…COMMIT", writers, seconds, () => RawStartWriter(db, explicitTransaction: true)));
                results.Add(await MeasureAsync("marten start-stream", writers, seconds, () => StoreStartWriter(onMarten)));
                results.Add(await MeasureAsync("raw append", writers, seconds, () => RawAppendWriter(db)));
                results.Add(await MeasureAsync("marten append (expected version)", writers, seconds, () => StoreAppendWriter(onMarten)));
                results.Add(await MeasureAsync("marten command (register inquiry)", writers, seconds, () => CommandWriter(martenPipeline)));
                results.Add(await MeasureAsync("marten command (accept a case)", writers, seconds, () => cases.AcceptWriter()));
            }

            var load = await MeasureLoadAsync(onMarten);
            var rebuild = await MeasureRebuildAsync(db, onMarten, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IProjectionRunner>(services), rebuildEvents);
            Print(results, writerCounts, load, rebuild);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            cluster?.Stop();
        }
    }

    private static object SampleEvent(Guid id) => new InquiryRegistered(
        id, "刘建国", "13907971234", "城乡居民养老保险参保登记需要哪些材料", "360100-000201-001", Channel.Window, "bench-clerk", "压测", "centre-bench", DateTimeOffset.UtcNow);

    private static EventMetadata Meta => EventMetadata.For(BenchClerk, "bench", null);

    private static Func<Task> StoreStartWriter(IEventStore store) => async () =>
    {
        var id = Guid.CreateVersion7();
        await AppendAsync(store, new StreamWrite(id, "inquiry", ExpectedVersion.NoStream, [SampleEvent(id)]));
    };

    private static Func<Task> StoreAppendWriter(IEventStore store)
    {
        var id = Guid.CreateVersion7();
        long version = 0;
        return async () =>
        {
            await AppendAsync(store, new StreamWrite(id, "inquiry", new ExpectedVersion(version), [SampleEvent(id)]));
            version++;
        };
    }

    /// <summary>One write of the store as a command makes it (events only, no projection).</summary>
    private static async Task AppendAsync(IEventStore store, StreamWrite write)
    {
        await using var w = store.BeginWrite();
        w.Append(write, Meta, DateTimeOffset.UtcNow);
        await w.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// A real command through the pipeline: load (none yet), the pure decider, append, the inline worklist
    /// projection and the outbox policy, one transaction — what POST /api/window/inquiries does after HTTP.
    /// </summary>
    private static Func<Task> CommandWriter(CaseFlow.Persistence.Commands.CommandPipeline pipeline) => async () =>
    {
        var id = Guid.CreateVersion7();
        var outcome = await pipeline.ExecuteAsync(Inquiry.Kind, id, new CaseFlow.Persistence.Commands.CommandContext("RegisterInquiry", BenchClerk, "bench"),
            (state, now) => InquiryDecider.Decide(new RegisterInquiry(id, "刘建国", "13907971234", "城乡居民养老保险参保登记需要哪些材料", null, Channel.Window), state, BenchClerk, now));
        if (outcome is not CaseFlow.Persistence.Commands.CommandOutcome.Succeeded)
            throw new InvalidOperationException($"bench command refused: {outcome}");
    };

    /// <summary>
    /// Cases received at the demo township centre beforehand (through the receipt command), each accepted once by a
    /// writer as <c>POST /api/window/cases/{id}/acceptance</c> does after HTTP: the desk read (calendar, departments,
    /// absences), load the stream, the pure decider, append with its expected version, the inline projections (the
    /// case row, the department parts, the deadline watch) and the outbox, one transaction.
    /// </summary>
    private sealed class ReceivedCases(IServiceProvider services, CaseFlow.Persistence.Commands.CommandPipeline pipeline)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Guid> _received = new();
        private readonly CaseFlow.Persistence.Acceptance.CaseDesk _desks = services.GetRequiredService<CaseFlow.Persistence.Acceptance.CaseDesk>();
        private static readonly string IdNumber = CaseFlow.Api.Seeding.DemoIdentity.ResidentIdNumber(new Bogus.Faker("zh_CN"));
        private static readonly Actor Clerk = new("clerk-tw-1", "窗口压测", Role.Clerk, CaseFlow.Api.Seeding.DemoStaff.TownshipCentre, "压测", Channel.Window);

        public async Task ReceiveAsync(int count)
        {
            var started = Stopwatch.StartNew();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
            {
                var id = Guid.CreateVersion7();
                var applicant = new CaseFlow.Domain.Acceptance.Applicant(CaseFlow.Domain.Acceptance.ApplicantKind.Person, "刘建国", IdNumber, "13907971234", null, null);
                var form = new CaseFlow.Persistence.Acceptance.ReceiptForm("window-tw-1", CaseFlow.Domain.Catalogue.ServiceItemId.For("361130-000401003"), applicant,
                    [new("M00", CaseFlow.Domain.Acceptance.MaterialState.Present, null), new("M01", CaseFlow.Domain.Acceptance.MaterialState.Present, null), new("M05", CaseFlow.Domain.Acceptance.MaterialState.Present, null)],
                    Channel.Window, null);
                var (command, desk, error) = await _desks.PrepareReceiptAsync(form, id, Clerk, CaseFlow.Api.Seeding.DemoStaff.TownshipCentre, DateTimeOffset.UtcNow, ct);
                if (error is not null)
                    throw new InvalidOperationException($"bench receipt refused: {error.Code}");
                var outcome = await pipeline.ExecuteAsync(CaseFlow.Domain.Acceptance.CaseFile.Kind, id, new CaseFlow.Persistence.Commands.CommandContext("ReceiveCase", Clerk, "bench"),
                    (state, now) => CaseFlow.Domain.Acceptance.CaseDecider.Decide(command!, state, Clerk, desk!, now), ct);
                if (outcome is not CaseFlow.Persistence.Commands.CommandOutcome.Succeeded)
                    throw new InvalidOperationException($"bench receipt refused: {outcome}");
                _received.Enqueue(id);
            });
            Console.WriteLine($"  received {count:N0} cases to accept in {started.Elapsed.TotalSeconds:F0} s");
        }

        public Func<Task> AcceptWriter() => async () =>
        {
            if (!_received.TryDequeue(out var id))
                throw new InvalidOperationException("bench ran out of received cases: raise the count in ReceivedCases");
            var desk = await _desks.ForCaseAsync(id, CaseFlow.Api.Seeding.DemoStaff.TownshipCentre, actorId: Clerk.Id);
            var outcome = await pipeline.ExecuteAsync(CaseFlow.Domain.Acceptance.CaseFile.Kind, id, new CaseFlow.Persistence.Commands.CommandContext("AcceptCase", Clerk, "bench"),
                (state, now) => CaseFlow.Domain.Acceptance.CaseDecider.Decide(new CaseFlow.Domain.Acceptance.AcceptCase(null), state, Clerk, desk, now));
            if (outcome is not CaseFlow.Persistence.Commands.CommandOutcome.Succeeded)
                throw new InvalidOperationException($"bench acceptance refused: {outcome}");
        };
    }

    private static readonly string MetaJson = JsonSerializer.Serialize(EventMetadata.For(BenchClerk, "bench", null), EventSerializer.Options);

    /// <summary>
    /// The same rows in one round trip (an implicit transaction), or — <paramref name="explicitTransaction"/>, as every
    /// Marten session writes — BEGIN with the batch, then COMMIT: the second round trip every Marten write pays.
    /// </summary>
    private static Func<Task> RawStartWriter(NpgsqlDataSource db, bool explicitTransaction = false)
    {
        var data = EventSerializer.Default.Serialize(SampleEvent(Guid.CreateVersion7()));
        return async () =>
        {
            var id = Guid.CreateVersion7();
            var now = DateTimeOffset.UtcNow;
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = explicitTransaction ? await conn.BeginTransactionAsync() : null;
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    Raw("INSERT INTO cf_streams (id, kind, version, created_at, updated_at) VALUES ($1, 'inquiry', 1, $2, $2)", id, now),
                    RawEvent(id, 1, data, now),
                },
            };
            await batch.ExecuteNonQueryAsync();
            if (tx is not null)
                await tx.CommitAsync();
        };
    }

    private static Func<Task> RawAppendWriter(NpgsqlDataSource db)
    {
        var data = EventSerializer.Default.Serialize(SampleEvent(Guid.CreateVersion7()));
        var id = Guid.CreateVersion7();
        long version = 0;
        return async () =>
        {
            var now = DateTimeOffset.UtcNow;
            await using var conn = await db.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(conn);
            batch.BatchCommands.Add(version == 0
                ? Raw("INSERT INTO cf_streams (id, kind, version, created_at, updated_at) VALUES ($1, 'inquiry', 1, $2, $2)", id, now)
                : Raw("UPDATE cf_streams SET version = version + 1, updated_at = $2 WHERE id = $1", id, now));
            batch.BatchCommands.Add(RawEvent(id, version + 1, data, now));
            await batch.ExecuteNonQueryAsync();
            version++;
        };
    }

    private static NpgsqlBatchCommand Raw(string sql, Guid id, DateTimeOffset now) => new(sql)
    {
        Parameters = { new NpgsqlParameter<Guid> { TypedValue = id }, new NpgsqlParameter<DateTimeOffset> { TypedValue = now } },
    };

    private static NpgsqlBatchCommand RawEvent(Guid streamId, long version, string data, DateTimeOffset now) => new(
        "INSERT INTO cf_events (id, stream_id, version, type, data, metadata, \"timestamp\") VALUES ($1, $2, $3, 'inquiry.registered.v1', $4, $5, $6)")
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() },
            new NpgsqlParameter<Guid> { TypedValue = streamId },
            new NpgsqlParameter<long> { TypedValue = version },
            new NpgsqlParameter<string> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Jsonb },
            new NpgsqlParameter<string> { TypedValue = MetaJson, NpgsqlDbType = NpgsqlDbType.Jsonb },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
        },
    };

    private static async Task<Result> MeasureAsync(string scenario, int writers, int seconds, Func<Func<Task>> makeWriter)
    {
        // Warm up the pool and the JIT, then measure a fixed time window.
        var warm = Enumerable.Range(0, writers).Select(_ => makeWriter()).ToArray();
        await Task.WhenAll(warm.Select(async w => { for (var i = 0; i < 20; i++) await w(); }));

        var latencies = new List<double>[writers];
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(n => Task.Run(async () =>
        {
            var writer = warm[n];
            var mine = latencies[n] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                await writer();
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })));
        var elapsed = started.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var result = new Result(scenario, writers, all.Length, elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
        Console.WriteLine($"  {scenario,-34} {writers,2} writers  {result.PerSecond,8:N0}/s  p50 {result.P50,6:F2} ms  p99 {result.P99,6:F2} ms");
        return result;
    }

    private static async Task<(double P50, double P99)> MeasureLoadAsync(IEventStore store)
    {
        var ids = new List<Guid>();
        for (var s = 0; s < 200; s++)
        {
            var id = Guid.CreateVersion7();
            await AppendAsync(store, new StreamWrite(id, "inquiry", ExpectedVersion.NoStream, Enumerable.Range(0, 10).Select(_ => SampleEvent(id)).ToArray()));
            ids.Add(id);
        }
        var random = new Random(1);
        for (var i = 0; i < 200; i++)
            await store.LoadAsync(ids[random.Next(ids.Count)]);
        var times = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await store.LoadAsync(ids[random.Next(ids.Count)]);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        var sorted = times.Order().ToArray();
        Console.WriteLine($"  load a 10-event stream: p50 {Percentile(sorted, 0.5):F2} ms  p99 {Percentile(sorted, 0.99):F2} ms");
        return (Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    /// <summary>Writes inquiry events (register, answer, refer) and times a full rebuild of the ledger projection.</summary>
    private static async Task<(long Events, double PerSecond)> MeasureRebuildAsync(NpgsqlDataSource db, IEventStore store, IProjectionRunner runner, int events)
    {
        var at = DateTimeOffset.UtcNow;
        var written = 0;
        while (written < events)
        {
            await using var write = store.BeginWrite();
            for (var s = 0; s < 200 && written < events; s++, written += 3)
            {
                var id = Guid.CreateVersion7();
                var owner = $"clerk-{s % 37}";
                write.Append(new StreamWrite(id, "inquiry", ExpectedVersion.NoStream,
                [
                    new InquiryRegistered(id, "刘建国", null, "咨询", null, Channel.Window, owner, "窗口" + (s % 37), "centre-bench", at),
                    new InquiryAnswered(id, "已答复", owner, "窗口" + (s % 37), at.AddMinutes(5)),
                    new InquiryReferred(id, null, null, null, "转办", s % 5 == 0, owner, "窗口" + (s % 37), at.AddMinutes(6)),
                ]), Meta, at);
            }
            await write.CommitAsync(CancellationToken.None);
        }
        var total = await CountAsync(db);
        var started = Stopwatch.StartNew();
        var replayed = await runner.RebuildAsync("ledger_inquiries");
        var perSecond = replayed / started.Elapsed.TotalSeconds;
        Console.WriteLine($"  rebuild ledger_inquiries: {replayed:N0} of {total:N0} events in {started.Elapsed.TotalSeconds:F1} s = {perSecond:N0} events/s");
        return (replayed, perSecond);
    }

    private static void Print(List<Result> results, int[] writerCounts, (double P50, double P99) load, (long Events, double PerSecond) rebuild)
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | writers | ops/s | p50 ms | p99 ms | store ÷ raw |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var writers in writerCounts)
        {
            foreach (var (raw, ours) in new[]
            {
                ("raw start-stream", new[] { "raw start-stream, BEGIN…COMMIT", "marten start-stream" }),
                ("raw append", new[] { "marten append (expected version)" }),
                ("raw start-stream", new[] { "marten command (register inquiry)" }),
                ("raw append", new[] { "marten command (accept a case)" }),
            })
            {
                var r = results.Single(x => x.Scenario == raw && x.Writers == writers);
                Console.WriteLine($"| {r.Scenario} | {writers} | {r.PerSecond:N0} | {r.P50:F2} | {r.P99:F2} | |");
                foreach (var o in ours.Select(name => results.Single(x => x.Scenario == name && x.Writers == writers)))
                    Console.WriteLine($"| {o.Scenario} | {writers} | {o.PerSecond:N0} | {o.P50:F2} | {o.P99:F2} | {o.PerSecond / r.PerSecond:P0} |");
            }
        }
        Console.WriteLine($"| load 10-event stream | 1 | | {load.P50:F2} | {load.P99:F2} | |");
        Console.WriteLine($"| rebuild ledger ({rebuild.Events:N0} events) | 1 | {rebuild.PerSecond:N0} events/s | | | |");
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task<long> CountAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand($"SELECT count(*) FROM {CaseFlow.Persistence.Marten.CaseFlowStoreOptions.Schema}.mt_events");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    internal static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
