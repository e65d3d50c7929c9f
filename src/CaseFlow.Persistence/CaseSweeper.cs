using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Commands;
using Npgsql;

namespace CaseFlow.Persistence;

/// <summary>What one pass of the sweeper did.</summary>
public sealed record SweepRun(int DeemedAccepted, int Terminated, int Reassigned, int Refreshed = 0, int Warned = 0, int Reminded = 0, int DefaultRatings = 0);

/// <summary>What the sweeper found due on one case; the action is re-decided by the case's decider when it runs.</summary>
public enum DueAction
{
    DeemAccepted,
    TerminateForMissedDeficiency,
    ReassignPart,
    RaiseDeadlineWarnings,
    RemindPickup,
    RecordDefaultRating,
    EscalateSupervision,
    /// <summary>预约: the reminder one working day before (the id is the booking's).</summary>
    RemindAppointment,
    /// <summary>预约: the slot ended without the applicant (the id is the booking's).</summary>
    RecordAppointmentNoShow,
    /// <summary>A complaint's answer deadline turned yellow or red (issue 17); <see cref="DueCaseAction.CaseId"/> is the complaint's id.</summary>
    RaiseComplaintWarnings,
    /// <summary>A clerk's temporary leave from the window is past its expected return (issue 17); the id is the clerk's whereabouts stream.</summary>
    FlagOverdueReturn,
}

/// <summary>
/// One due action on one case: a message on the durable local queue <c>case-actions</c> (issue 15). Arriving late or
/// twice changes nothing wrongly: the decider re-checks every condition against the case as it is then.
/// </summary>
public sealed record DueCaseAction(DueAction Action, Guid CaseId, string? PartId = null, string? ToId = null, string? ToName = null, string? Reason = null, Guid? OrderId = null);

/// <summary>Another command moved the case between load and write: retried with back-off (Wolverine, <see cref="DueCaseActionHandler"/>).</summary>
public sealed class DueActionConflictException(DueCaseAction action)
    : Exception($"case {action.CaseId} changed while {action.Action} was written")
{
    public DueCaseAction DueAction => action;
}

/// <summary>
/// What nobody may forget: a case received without notice or decision for 5 working days is accepted as of its
/// receipt date, recorded against the receiving clerk (DOMAIN.md §5 rule 3); a 容缺 case whose due date passed with
/// materials outstanding is terminated (§6); a part held by someone who is now away goes to the other holder of their
/// AB post (§6 AB岗), with the reason; deadline warnings, pickup reminders, default ratings and missed 督办 orders.
/// A pass reads the injected clock and finds what is due (<see cref="ScanAsync"/>); each finding is a
/// <see cref="DueCaseAction"/> run by <see cref="ExecuteAsync"/>. In a host one node scans (<see cref="CaseSweeperAgent"/>,
/// placed by Wolverine) and queues the actions; tests and benchmarks run a pass inline (<see cref="RunOnceAsync"/>).
/// The deciders re-check every condition: an action run twice or by two nodes records nothing twice.
/// </summary>
public sealed class CaseSweeper(
    NpgsqlDataSource db, CommandPipeline pipeline, CaseDesk desks, Deadlines.DeadlineWatch watch, Domain.Handover.RatingPolicy ratings, TimeProvider clock,
    Appointments.AppointmentDesk appointments, Complaints.ComplaintWatch complaints)
{
    public static readonly Actor Actor = new("system:case-sweeper", "CaseFlow 期限监控", Role.System, "system", "CaseFlow", Channel.System);

    /// <summary>One pass with every action run here, in order, before it returns (tests, benchmarks).</summary>
    public async Task<SweepRun> RunOnceAsync(CancellationToken ct = default)
    {
        var done = new Dictionary<DueAction, int>();
        var context = await PassContextAsync(ct);
        var refreshed = await ScanAsync(async action =>
        {
            if (await ExecuteAsync(action, context, throwOnConflict: false, ct))
                done[action.Action] = done.GetValueOrDefault(action.Action) + 1;
        }, context, ct);
        int Count(DueAction a) => done.GetValueOrDefault(a);
        // The warnings just recorded moved their cases: re-read them now, not at the next pass (queued actions run
        // after the scan, so only an inline pass does this).
        if (Count(DueAction.RaiseDeadlineWarnings) > 0)
            refreshed += await watch.RefreshAsync(context.Calendar, context.Rules, clock.GetUtcNow(), 1000, ct);
        if (Count(DueAction.RaiseComplaintWarnings) > 0)
            refreshed += await complaints.RefreshAsync(context.Calendar, context.Rules, 1000, ct);
        return new SweepRun(Count(DueAction.DeemAccepted), Count(DueAction.TerminateForMissedDeficiency), Count(DueAction.ReassignPart), refreshed,
            Count(DueAction.RaiseDeadlineWarnings), Count(DueAction.RemindPickup), Count(DueAction.RecordDefaultRating));
    }

    /// <summary>The calendar and warning rules a pass decides by.</summary>
    public sealed record SweepContext(WorkingCalendar Calendar, Domain.Deadlines.WarningRuleSet Rules);

    public async Task<SweepContext> ContextAsync(CancellationToken ct) => new(await desks.CalendarAsync(ct), await watch.RulesAsync(ct));

    /// <summary>
    /// The context a pass scans by: the calendar read afresh, not from this node's cache (a minute old at most), so
    /// that a holiday arrangement published on another node re-evaluates the watch with the new calendar (issue 16).
    /// </summary>
    public Task<SweepContext> PassContextAsync(CancellationToken ct)
    {
        desks.ForgetCalendar();
        return ContextAsync(ct);
    }

    private sealed record CachedContext(SweepContext Context, long ReadAt);

    private volatile CachedContext? _cached; // one reference: several handlers read it at once

    /// <summary>
    /// The context for one queued action: read at most once a second (real time, a cadence) rather than per action.
    /// A rule or calendar change reaches the actions a second later; the deciders never act on a stale due date,
    /// as the case's own deadlines are folded from its events.
    /// </summary>
    public async Task<SweepContext> RecentContextAsync(CancellationToken ct)
    {
        if (_cached is { } c && Environment.TickCount64 - c.ReadAt < 1000)
            return c.Context;
        var context = await ContextAsync(ct);
        _cached = new CachedContext(context, Environment.TickCount64);
        return context;
    }

    /// <summary>
    /// Finds what is due now and hands each action to <paramref name="act"/> (run inline, or queued). Re-reads the
    /// deadline watch first (rules and calendar changes). Returns how many watch rows were refreshed.
    /// </summary>
    public async Task<int> ScanAsync(Func<DueCaseAction, Task> act, SweepContext context, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.BeijingDate(now);
        // 5 working days are never fewer than 5 calendar days: a cheap index filter, the decider decides.
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'Received' AND received_at <= $1", now.AddDays(-5), ct))
            await act(new DueCaseAction(DueAction.DeemAccepted, id));
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'AcceptedWithDeficiency' AND deficiency_due < $1", today, ct))
            await act(new DueCaseAction(DueAction.TerminateForMissedDeficiency, id));
        foreach (var (caseId, partId, toId, toName, reason) in await AwayHoldersAsync(now, ct))
            await act(new DueCaseAction(DueAction.ReassignPart, caseId, partId, toId, toName, reason));
        // Deadlines: re-read what changed, then raise every level that has come (each once: the case stream's
        // version check makes a second identical command a conflict or a no-op).
        var refreshed = 0;
        for (int n; (n = await watch.RefreshAsync(context.Calendar, context.Rules, now, 500, ct)) > 0 && refreshed < 200_000;)
            refreshed += n;
        foreach (var id in await watch.DueAsync(now, 1000, ct))
            await act(new DueCaseAction(DueAction.RaiseDeadlineWarnings, id));
        // Complaints' answer deadlines: the same watch table and rules (issue 17).
        for (int n; (n = await complaints.RefreshAsync(context.Calendar, context.Rules, 500, ct)) > 0 && refreshed < 200_000;)
            refreshed += n;
        foreach (var id in await complaints.DueAsync(now, 1000, ct))
            await act(new DueCaseAction(DueAction.RaiseComplaintWarnings, id));
        // 去向留言: clerks still away past their expected return, flagged to the supervisor once (issue 17).
        foreach (var id in await Organisation.WindowLeaveProjection.OverdueAsync(db, now, 500, ct))
            await act(new DueCaseAction(DueAction.FlagOverdueReturn, id));
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'ResultReady' AND NOT mailed AND (remind_after IS NULL OR remind_after <= $1)", now, ct))
            await act(new DueCaseAction(DueAction.RemindPickup, id));
        foreach (var id in await CasesAsync("SELECT case_id FROM cf_cases WHERE status = 'Closed' AND NOT rated AND closed_at <= $1", now.AddDays(-ratings.DefaultAfterNaturalDays), ct))
            await act(new DueCaseAction(DueAction.RecordDefaultRating, id));
        // 督办 orders past their due date and unanswered are escalated (红牌).
        var orders = new List<(Guid, Guid)>();
        await using (var cmd = db.CreateCommand("SELECT case_id, order_id FROM cf_supervision_orders WHERE status = 'Open' AND due_on < $1 LIMIT 500"))
        {
            cmd.Parameters.AddWithValue(today);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                orders.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }
        foreach (var (caseId, orderId) in orders)
            await act(new DueCaseAction(DueAction.EscalateSupervision, caseId, OrderId: orderId));
        // 预约: reminders one working day before, no-shows once the slot has ended (issue 17).
        var (reminders, noShows) = await appointments.DueAsync(now, ct);
        foreach (var id in reminders)
            await act(new DueCaseAction(DueAction.RemindAppointment, id));
        foreach (var id in noShows)
            await act(new DueCaseAction(DueAction.RecordAppointmentNoShow, id));
        return refreshed;
    }

    /// <summary>
    /// Runs one due action as a command on its case, re-decided now. True when it recorded something. A lost race
    /// is false, or <see cref="DueActionConflictException"/> when <paramref name="throwOnConflict"/> (the queue retries it).
    /// </summary>
    public async Task<bool> ExecuteAsync(DueCaseAction a, SweepContext? context, bool throwOnConflict, CancellationToken ct = default)
    {
        context ??= await RecentContextAsync(ct);
        var correlation = $"job:{a.Action}:{a.OrderId ?? a.CaseId}";
        CommandOutcome outcome;
        switch (a.Action)
        {
            case DueAction.RemindPickup:
                outcome = await RemindAsync(a.CaseId, context.Calendar, correlation, ct);
                break;
            case DueAction.RaiseDeadlineWarnings:
                outcome = await pipeline.ExecuteAsync(CaseFile.Kind, a.CaseId, new CommandContext("RaiseDeadlineWarnings", Actor, correlation),
                    (s, at) => context.Rules.Decide(new Domain.Deadlines.RaiseDeadlineWarnings(), s, Actor, context.Calendar, at), ct);
                break;
            case DueAction.RecordDefaultRating:
                outcome = await pipeline.ExecuteAsync(CaseFile.Kind, a.CaseId, new CommandContext("RecordDefaultRating", Actor, correlation),
                    (s, at) => Domain.Handover.HandoverDecider.Decide(new Domain.Handover.RecordDefaultRating(), s, Actor, ratings, at), ct);
                break;
            case DueAction.RaiseComplaintWarnings:
                outcome = await pipeline.ExecuteAsync(Domain.Complaints.Complaint.Kind, a.CaseId, new CommandContext("RaiseComplaintWarnings", Actor, correlation),
                    (s, at) => Domain.Complaints.ComplaintDecider.Decide(new Domain.Complaints.RaiseComplaintWarnings(), s, context.Rules, context.Calendar, Actor, at), ct);
                break;
            case DueAction.FlagOverdueReturn:
                outcome = await pipeline.ExecuteAsync(Domain.Organisation.WindowWhereabouts.Kind, a.CaseId, new CommandContext("FlagOverdueReturn", Actor, correlation),
                    (s, at) => s.Decide(new Domain.Organisation.FlagOverdueReturn(), Actor, at), ct);
                break;
            case DueAction.EscalateSupervision:
                outcome = await pipeline.ExecuteAsync(CaseFile.Kind, a.CaseId, new CommandContext("EscalateSupervision", Actor, correlation),
                    (s, at) => Domain.Supervision.SupervisionDecider.Decide(new Domain.Supervision.EscalateSupervision(a.OrderId!.Value), s, Actor, at), ct);
                break;
            case DueAction.RemindAppointment:
                outcome = await pipeline.ExecuteAsync(Domain.Appointments.Appointment.Kind, a.CaseId, new CommandContext("RemindAppointment", Actor, correlation),
                    (s, at) => Domain.Appointments.AppointmentDecider.Decide(new Domain.Appointments.SendAppointmentReminder(), s, at), ct);
                break;
            case DueAction.RecordAppointmentNoShow:
                outcome = await pipeline.ExecuteAsync(Domain.Appointments.Appointment.Kind, a.CaseId, new CommandContext("RecordAppointmentNoShow", Actor, correlation),
                    (s, at) => Domain.Appointments.AppointmentDecider.Decide(new Domain.Appointments.RecordNoShow(), s, at), ct);
                break;
            default:
                var desk = await desks.ForCaseAsync(a.CaseId, null, ct: ct);
                Func<CaseFile, DateTimeOffset, Decision> decide = a.Action switch
                {
                    DueAction.DeemAccepted => (s, at) => CaseDecider.Decide(new DeemAccepted(), s, Actor, desk, at),
                    DueAction.TerminateForMissedDeficiency => (s, at) => CaseDecider.Decide(new TerminateForMissedDeficiency(), s, Actor, desk, at),
                    DueAction.ReassignPart => (s, at) => BackOfficeDecider.Decide(new ReassignPart(a.PartId!, a.ToId!, a.ToName!, a.Reason!), s, Actor, desk, at),
                    _ => throw new ArgumentOutOfRangeException(nameof(a), a.Action, "unknown due action"),
                };
                outcome = await pipeline.ExecuteAsync(CaseFile.Kind, a.CaseId, new CommandContext(a.Action.ToString(), Actor, correlation), decide, ct);
                break;
        }
        if (outcome is CommandOutcome.Conflict && throwOnConflict)
            throw new DueActionConflictException(a);
        return outcome is CommandOutcome.Succeeded;
    }

    private async Task<CommandOutcome> RemindAsync(Guid id, WorkingCalendar calendar, string correlation, CancellationToken ct)
    {
        var pickup = Domain.Handover.PickupFile.StreamIdFor(id);
        Domain.Handover.PickupFile? seen = null;
        var outcome = await pipeline.ExecuteAsync(Domain.Handover.PickupFile.Kind, pickup, new CommandContext("RemindPickup", Actor, correlation),
            (p, at) => (seen = p).Decide(new Domain.Handover.RemindPickup(), Actor, calendar, at), ct);
        if (outcome is CommandOutcome.Conflict)
            return outcome;
        // When the next reminder may be due: this case is not read again before then.
        var sent = (seen?.Reminders ?? 0) + (outcome is CommandOutcome.Succeeded ? 1 : 0);
        var next = seen is null || seen.Id == Guid.Empty || seen.Completed || sent >= Domain.Handover.PickupFile.MaxReminders
            ? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)
            : calendar.AddWorkingDays(seen.DeliveredAt, Domain.Handover.PickupFile.ReminderEveryWorkingDays * (sent + 1)).EndsAt.AddDays(-1);
        await using var update = db.CreateCommand("UPDATE cf_cases SET remind_after = $2 WHERE case_id = $1");
        update.Parameters.AddWithValue(id);
        update.Parameters.AddWithValue(next.ToUniversalTime());
        await update.ExecuteNonQueryAsync(ct);
        return outcome;
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
