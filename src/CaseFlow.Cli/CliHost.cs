using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;

namespace CaseFlow.Cli;

/// <summary>
/// The command line sends commands as the API host does, so it runs Wolverine as the host does (issue 15): the
/// notifications its commands cause are stored in their transactions and delivered by this process while it
/// runs; when it stops, Wolverine gives what is left to the other nodes (or, if it is killed, they recover it).
/// Without a bus a command that causes a message is refused, never silently unsent. The schema is applied first.
/// </summary>
public static class CliHost
{
    public static async Task<RunningHost> StartAsync(string connectionString, LogLevel level = LogLevel.Information, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level);
        // As in the API host: these log failures with messages that may quote the data (Program.cs, issue 13).
        builder.Logging.AddFilter("Marten", LogLevel.Critical).AddFilter("JasperFx", LogLevel.Critical).AddFilter("Wolverine", LogLevel.Critical);
        builder.Services.AddCaseFlowPersistence(connectionString).AddCaseFlowNotifications(builder.Configuration)
            .AddSingleton(SweepSchedule.Default with { RunsHere = false }); // never the sweeper
        more?.Invoke(builder.Services);
        builder.UseWolverine(opts => Messaging.Configure(opts, builder.Configuration, leadershipEligible: false));
        var host = builder.Build();
        await SchemaMigrator.MigrateAsync(host.Services.GetRequiredService<NpgsqlDataSource>());
        await host.StartAsync();
        return new RunningHost(host);
    }
}

/// <summary>A started host that, disposed, stops first: Wolverine hands on the messages it has not delivered.</summary>
public sealed class RunningHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
