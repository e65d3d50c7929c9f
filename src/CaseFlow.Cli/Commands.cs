using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Cli;

public static class Commands
{
    private const string Usage = """
        caseflow — CaseFlow operator commands

          caseflow migrate                     apply the schema to the configured database
          caseflow seed                        seed the demo into an empty database (same commands users send)
          caseflow rebuild <projection>        replay all events into a fresh copy of a projection and swap it in
          caseflow projections                 list projections with their checkpoint and lag
          caseflow migrate-events              move the previous release's events (cf_events) into Marten, once;
                                               rebuild the async projections there and compare them
          caseflow bench [--seconds N] [--writers 1,4,16] [--events N]
                                               event-store benchmark against a throwaway local cluster
                                               (or CASEFLOW_BENCH_DB, an admin connection string)
          caseflow bench board [--cases 1000000] [--open 100000] [--keep] [--queue]
                                               province-sized dataset through the deciders, loaded with COPY;
                                               time-limit board p50/p95 and one sweeper pass over the open cases;
                                               --queue: the warning catch-up through Wolverine's queue, as a host runs it
          caseflow bench http --url http://127.0.0.1:5080 [--clients 16] [--seconds 20]
                                               receive + accept pairs per second against a running host (loopback)

        The database is ConnectionStrings__CaseFlow when set, otherwise the embedded cluster the host uses.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }
        try
        {
            return args[0] switch
            {
                "bench" when args.Length > 1 && args[1] == "board" => await ProvinceBench.RunAsync(args[2..]),
                "bench" when args.Length > 1 && args[1] == "http" => await HttpBench.RunAsync(args[2..]),
                "bench" => await Bench.RunAsync(args[1..]),
                "crash-load" => await CrashLoad.RunAsync(args[1..]),
                "migrate" or "seed" or "rebuild" or "projections" or "migrate-events" => await WithDatabaseAsync(args),
                _ => Fail($"unknown command '{args[0]}'\n\n{Usage}"),
            };
        }
        catch (CaseFlow.Persistence.Embedded.PostgresBinariesNotFoundException e)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    private static async Task<int> WithDatabaseAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        var (connectionString, embedded) = await Database.ResolveAsync(configuration, loggerFactory.CreateLogger("caseflow"));
        try
        {
            await using var host = await CliHost.StartAsync(connectionString, more: s => s.AddSingleton<DemoSeeder>());
            var services = host.Services;
            var db = services.GetRequiredService<NpgsqlDataSource>();
            switch (args[0])
            {
                case "migrate":
                    Console.WriteLine("schema is up to date");
                    break;
                case "migrate-events":
                    if (!await CaseFlow.Persistence.Marten.EventMigration.PendingAsync(db))
                    {
                        Console.WriteLine("nothing to move: no events in cf_events, or they were moved already");
                        break;
                    }
                    var report = await CaseFlow.Persistence.Marten.EventMigration.RunAsync(db, services.GetRequiredService<IProjectionRunner>(),
                        services.GetRequiredService<ProjectionCatalog>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("migrate-events"));
                    Console.WriteLine($"moved {report.Streams:N0} streams and {report.Events:N0} events; {string.Join("; ", report.StreamMismatches.Concat(report.ProjectionDifferences).DefaultIfEmpty("every async projection rebuilt identical"))}");
                    return report.Clean ? 0 : 1;
                case "seed":
                    await services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync();
                    break;
                case "projections":
                    foreach (var s in await services.GetRequiredService<IProjectionRunner>().StatusAsync())
                        Console.WriteLine($"{s.Name,-24} {s.Status,-8} checkpoint {s.LastSequence,10}  behind {s.EventsBehind,8}  {s.Error}");
                    break;
                case "rebuild":
                    if (args.Length < 2)
                        return Fail("caseflow rebuild <projection>: name a projection (caseflow projections lists them)");
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var progress = new Progress<RebuildProgress>(p => Console.Write($"\r{p.Projection}: {p.EventsApplied:N0} events{(p.Done ? " — done\n" : "")}"));
                    var total = await services.GetRequiredService<IProjectionRunner>().RebuildAsync(args[1], progress);
                    Console.WriteLine($"rebuilt {args[1]} from {total:N0} events in {started.Elapsed.TotalSeconds:F1} s");
                    break;
            }
            return 0;
        }
        finally
        {
            if (embedded is { StartedHere: true })
                embedded.Stop();
        }
    }
}
