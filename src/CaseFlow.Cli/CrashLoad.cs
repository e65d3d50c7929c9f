using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseFlow.Cli;

/// <summary>
/// <c>caseflow crash-load &lt;connection&gt;</c>: a load for crash tests. Four writers run real commands (register an
/// inquiry, then refer it to a named person: events, inline worklist rows and outbox rows) and print
/// <c>ACK &lt;stream&gt; &lt;version&gt;</c> after each acknowledged command, until the process is killed.
/// </summary>
public static class CrashLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            await Console.Error.WriteLineAsync("caseflow crash-load <connection string>");
            return 2;
        }
        // As the host runs: notifications through Wolverine's outbox (their envelopes are what a killed process leaves).
        await using var host = await CliHost.StartAsync(args[0], LogLevel.Warning);
        var services = host.Services;
        var pipeline = services.GetRequiredService<CommandPipeline>();
        var clerk = new Actor("clerk-crash", "压测窗口", Role.Clerk, "centre-crash", "压测中心", Channel.Window);
        var output = TextWriter.Synchronized(Console.Out);
        await output.WriteLineAsync("READY");
        await output.FlushAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var id = Guid.CreateVersion7();
                var registered = await pipeline.ExecuteAsync(Inquiry.Kind, id, new CommandContext("RegisterInquiry", clerk, "crash"),
                    (s, now) => InquiryDecider.Decide(new RegisterInquiry(id, "刘建国", null, "咨询", null, Channel.Window), s, clerk, now));
                if (registered is CommandOutcome.Succeeded r)
                    Ack(output, id, r.Version);
                var referred = await pipeline.ExecuteAsync(Inquiry.Kind, id, new CommandContext("ReferInquiry", clerk, "crash"),
                    (s, now) => InquiryDecider.Decide(new ReferInquiry(id, "window-2", "clerk-target", "接办人", "转办", null), s, clerk, now));
                if (referred is CommandOutcome.Succeeded f)
                    Ack(output, id, f.Version);
            }
        })));
        return 0;
    }

    private static void Ack(TextWriter output, Guid id, long version)
    {
        output.WriteLine($"ACK {id} {version}");
        output.Flush();
    }
}
