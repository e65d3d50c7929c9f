using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Commands;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Acceptance;

/// <summary>What one pass of the deadline job did.</summary>
public sealed record AcceptanceDeadlineRun(int DeemedAccepted, int Terminated);

/// <summary>
/// The acceptance deadlines nobody may forget (DOMAIN.md §5 rule 3, §6 容缺): a case received without notice or
/// decision for 5 working days is accepted as of its receipt date, recorded against the receiving clerk; a 容缺
/// case whose due date passed with materials outstanding is terminated. Each pass reads the injected clock, so
/// tests move the clock and run one pass. The deciders re-check every condition; two hosts running the job at
/// once cannot record anything twice (the second command finds the case already moved on).
/// </summary>
public sealed class AcceptanceDeadlineJob(NpgsqlDataSource db, CommandPipeline pipeline, CaseDesk desks, TimeProvider clock, ILogger<AcceptanceDeadlineJob> logger)
    : BackgroundService
{
    public static readonly Actor Actor = new("system:acceptance-deadlines", "CaseFlow 期限监控", Role.System, "system", "CaseFlow", Channel.System);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await RunOnceAsync(stoppingToken);
                if (run.DeemedAccepted + run.Terminated > 0)
                    logger.LogInformation("Acceptance deadlines: {Deemed} cases deemed accepted, {Terminated} terminated", run.DeemedAccepted, run.Terminated);
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Acceptance deadline pass failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task<AcceptanceDeadlineRun> RunOnceAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.BeijingDate(now);
        var deemed = 0;
        var terminated = 0;
        // 5 working days are never fewer than 5 calendar days: a cheap index filter, the decider decides.
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'Received' AND received_at <= $1", now.AddDays(-5), ct))
        {
            if (await RunAsync(id, "DeemAccepted", (s, desk, at) => CaseDecider.Decide(new DeemAccepted(), s, Actor, desk, at), ct))
                deemed++;
        }
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'AcceptedWithDeficiency' AND deficiency_due < $1", today, ct))
        {
            if (await RunAsync(id, "TerminateForMissedDeficiency", (s, desk, at) => CaseDecider.Decide(new TerminateForMissedDeficiency(), s, Actor, desk, at), ct))
                terminated++;
        }
        return new AcceptanceDeadlineRun(deemed, terminated);
    }

    private async Task<bool> RunAsync(Guid caseId, string name, Func<CaseFile, Desk, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var desk = await desks.ForCaseAsync(caseId, null, ct);
        var outcome = await pipeline.ExecuteAsync(CaseFile.Kind, caseId, new CommandContext(name, Actor, $"job:{name}:{caseId}"), (s, at) => decide(s, desk, at), ct);
        return outcome is CommandOutcome.Succeeded;
    }

    private async Task<List<Guid>> CasesAsync(string sql, object arg, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql + " ORDER BY received_at LIMIT 500");
        cmd.Parameters.AddWithValue(arg);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}
