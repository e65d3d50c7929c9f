using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Commands;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence;

/// <summary>What one pass of the sweeper did.</summary>
public sealed record SweepRun(int DeemedAccepted, int Terminated, int Reassigned, int Refreshed = 0, int Warned = 0, int Reminded = 0, int DefaultRatings = 0);

/// <summary>
/// What nobody may forget, once a minute: a case received without notice or decision for 5 working days is
/// accepted as of its receipt date, recorded against the receiving clerk (DOMAIN.md §5 rule 3); a 容缺 case whose
/// due date passed with materials outstanding is terminated (§6); a part held by someone who is now away goes to
/// the other holder of their AB post (§6 AB岗), with the reason. Each pass reads the injected clock, so tests move
/// the clock and run one pass. The deciders re-check every condition; two hosts sweeping at once cannot record
/// anything twice (the second command finds the case already moved on).
/// </summary>
public sealed class CaseSweeper(
    NpgsqlDataSource db, CommandPipeline pipeline, CaseDesk desks, Deadlines.DeadlineWatch watch, Domain.Handover.RatingPolicy ratings, TimeProvider clock, ILogger<CaseSweeper> logger,
    Resilience.BackgroundHealth health)
    : BackgroundService
{
    public static readonly Actor Actor = new("system:case-sweeper", "CaseFlow 期限监控", Role.System, "system", "CaseFlow", Channel.System);

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await RunOnceAsync(stoppingToken);
                if (run.DeemedAccepted + run.Terminated + run.Reassigned + run.Warned + run.Reminded + run.DefaultRatings > 0)
                    logger.LogInformation("Sweep: {Deemed} deemed accepted, {Terminated} terminated, {Reassigned} reassigned, {Warned} warned, {Reminded} reminded, {Defaults} default ratings",
                        run.DeemedAccepted, run.Terminated, run.Reassigned, run.Warned, run.Reminded, run.DefaultRatings);
                await pipeline.ForgetExpiredKeysAsync(stoppingToken);
                health.Succeeded("case sweeper");
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Real time, not the injected clock: a retry must happen even while the clock stands still.
                await Task.Delay(health.Failed("case sweeper", e), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task<SweepRun> RunOnceAsync(CancellationToken ct = default)
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
        var reassigned = 0;
        foreach (var (caseId, partId, toId, toName, reason) in await AwayHoldersAsync(now, ct))
        {
            if (await RunAsync(caseId, "ReassignPart", (s, desk, at) => BackOfficeDecider.Decide(new ReassignPart(partId, toId, toName, reason), s, Actor, desk, at), ct))
                reassigned++;
        }
        // Deadlines: re-read what changed, then raise every level that has come (each once: the case stream's
        // version check makes a second sweeper's identical command a conflict or a no-op).
        var calendar = await desks.CalendarAsync(ct);
        var rules = await watch.RulesAsync(ct);
        var refreshed = 0;
        for (int n; (n = await watch.RefreshAsync(calendar, rules, now, 500, ct)) > 0 && refreshed < 200_000;)
            refreshed += n;
        var warned = 0;
        foreach (var id in await watch.DueAsync(now, 1000, ct))
        {
            var outcome = await pipeline.ExecuteAsync(CaseFile.Kind, id, new CommandContext("RaiseDeadlineWarnings", Actor, $"job:warnings:{id}"),
                (s, at) => rules.Decide(new Domain.Deadlines.RaiseDeadlineWarnings(), s, Actor, calendar, at), ct);
            if (outcome is CommandOutcome.Succeeded)
                warned++;
        }
        if (warned > 0)
            refreshed += await watch.RefreshAsync(calendar, rules, now, 1000, ct);

        var reminded = 0;
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'ResultReady' AND NOT mailed AND (remind_after IS NULL OR remind_after <= $1)", now, ct))
        {
            var pickup = Domain.Handover.PickupFile.StreamIdFor(id);
            Domain.Handover.PickupFile? seen = null;
            var outcome = await pipeline.ExecuteAsync(Domain.Handover.PickupFile.Kind, pickup, new CommandContext("RemindPickup", Actor, $"job:pickup:{id}"),
                (p, at) => (seen = p).Decide(new Domain.Handover.RemindPickup(), Actor, calendar, at), ct);
            if (outcome is CommandOutcome.Succeeded)
                reminded++;
            // When the next reminder may be due: this case is not read again before then.
            var sent = (seen?.Reminders ?? 0) + (outcome is CommandOutcome.Succeeded ? 1 : 0);
            var next = seen is null || seen.Id == Guid.Empty || seen.Completed || sent >= Domain.Handover.PickupFile.MaxReminders
                ? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)
                : calendar.AddWorkingDays(seen.DeliveredAt, Domain.Handover.PickupFile.ReminderEveryWorkingDays * (sent + 1)).EndsAt.AddDays(-1);
            await using var update = db.CreateCommand("UPDATE cf_cases SET remind_after = $2 WHERE case_id = $1");
            update.Parameters.AddWithValue(id);
            update.Parameters.AddWithValue(next.ToUniversalTime());
            await update.ExecuteNonQueryAsync(ct);
        }

        var defaults = 0;
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'Closed' AND NOT rated AND closed_at <= $1", now.AddDays(-ratings.DefaultAfterNaturalDays), ct))
        {
            var outcome = await pipeline.ExecuteAsync(CaseFile.Kind, id, new CommandContext("RecordDefaultRating", Actor, $"job:rating:{id}"),
                (s, at) => Domain.Handover.HandoverDecider.Decide(new Domain.Handover.RecordDefaultRating(), s, Actor, ratings, at), ct);
            if (outcome is CommandOutcome.Succeeded)
                defaults++;
        }
        // 督办 orders past their due date and unanswered are escalated (红牌).
        await using (var cmd = db.CreateCommand("SELECT case_id, order_id FROM cf_supervision_orders WHERE status = 'Open' AND due_on < $1 LIMIT 500"))
        {
            cmd.Parameters.AddWithValue(today);
            var due = new List<(Guid, Guid)>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    due.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
            foreach (var (caseId, orderId) in due)
            {
                await pipeline.ExecuteAsync(CaseFile.Kind, caseId, new CommandContext("EscalateSupervision", Actor, $"job:supervision:{orderId}"),
                    (s, at) => Domain.Supervision.SupervisionDecider.Decide(new Domain.Supervision.EscalateSupervision(orderId), s, Actor, at), ct);
            }
        }
        return new SweepRun(deemed, terminated, reassigned, refreshed, warned, reminded, defaults);
    }

    /// <summary>Parts held by someone whose declared absence covers now, with the other holder of their post.</summary>
    private async Task<List<(Guid CaseId, string PartId, string ToId, string ToName, string Reason)>> AwayHoldersAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT p.case_id, p.part_id,
                   CASE WHEN post.a_holder_id = p.holder_id THEN post.b_holder_id ELSE post.a_holder_id END,
                   CASE WHEN post.a_holder_id = p.holder_id THEN post.b_holder_name ELSE post.a_holder_name END,
                   p.holder_name, a.whereabouts, a.to_at
            FROM cf_case_parts p
            JOIN cf_absences a ON a.holder_id = p.holder_id AND a.from_at <= $1 AND a.to_at > $1
            JOIN cf_posts post ON p.holder_id IN (post.a_holder_id, post.b_holder_id)
            WHERE p.stage IN ('Claimed', 'ReturnedToWindow')
            ORDER BY p.dispatched_at LIMIT 500
            """);
        cmd.Parameters.AddWithValue(now);
        var found = new List<(Guid, string, string, string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var until = reader.GetFieldValue<DateTimeOffset>(6).ToOffset(WorkingCalendar.Beijing);
            found.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                $"AB岗：{reader.GetString(4)}不在岗（{Whereabouts(reader.GetString(5))}，至 {until:yyyy-MM-dd HH:mm}），由 B 岗接办"));
        }
        return found;
    }

    private static string Whereabouts(string value) => value switch
    {
        "Leave" => "请假",
        "Out" => "外出",
        "Countryside" => "下乡",
        "Meeting" => "会议",
        _ => value,
    };

    private async Task<bool> RunAsync(Guid caseId, string name, Func<CaseFile, Desk, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var desk = await desks.ForCaseAsync(caseId, null, ct: ct);
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
