using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Deadlines;

/// <summary>What a deadline is for (监察对象).</summary>
public enum DeadlineScope
{
    /// <summary>The case's promised completion (承诺办结).</summary>
    Case,
    /// <summary>One approval step's share (DOMAIN.md §5 rule 8).</summary>
    Step,
    /// <summary>Handing out or sending the result: 10 working days after the decision (Art. 44).</summary>
    Pickup,
    /// <summary>The window's 5 working days to notify or decide after receipt (Art. 32).</summary>
    NoticePeriod,
    /// <summary>The township window's 3 working days on a village agent's submission.</summary>
    AgentForwarding,
    /// <summary>The return visit after a named bad rating.</summary>
    ReturnVisit,
    /// <summary>The rectification after a named bad rating (default 15 working days).</summary>
    Rectification,
    /// <summary>The answer to a complaint (投诉举报, issue 17): configurable working days from its registration.</summary>
    Complaint,
}

/// <summary>
/// One running deadline of a case: what it is for, which part/step (<see cref="Target"/>), when it started, its
/// limit and its due time. <see cref="Holder"/> is who has to act (for boards and notifications).
/// </summary>
public sealed record Deadline(DeadlineScope Scope, string Target, DateTimeOffset StartedAt, int LimitWorkingDays, WorkingDeadline Due, string? DepartmentId, string? HolderId)
{
    public string Key => $"{Scope}:{Target}";
}

/// <summary>
/// The one computation of due times (issue 7): from a case's events — acceptance, limits, extension, clock stops,
/// step starts, the decision — the deadlines running now. Every view, board and the sweeper use this.
/// </summary>
public static class DeadlineEngine
{
    /// <summary>Working days to hand out or send the result after the decision (Art. 44; DOMAIN.md §5 rule 9).</summary>
    public const int PickupWorkingDays = 10;

    /// <summary>
    /// The day a result should be handed out by: 10 working days from the decision (行政许可法 Art. 44). One rule
    /// for the board, the pickup stream and the case view (issue 16: the pickup stream counted from the result's
    /// registration).
    /// </summary>
    public static WorkingDeadline PickupDue(WorkingCalendar calendar, DateTimeOffset decidedAt) => calendar.AddWorkingDays(decidedAt, PickupWorkingDays);

    public static IReadOnlyList<Deadline> Running(CaseFile s, WorkingCalendar calendar, DateTimeOffset now)
    {
        var running = new List<Deadline>();
        if (s.Receipt is not { } r)
            return running;
        switch (s.Status)
        {
            case CaseStatus.Received:
                running.Add(new Deadline(DeadlineScope.NoticePeriod, "notice", r.ReceivedAt, CaseDecider.NoticePeriodWorkingDays,
                    calendar.AddWorkingDays(r.ReceivedAt, CaseDecider.NoticePeriodWorkingDays), null, r.ReceivedById));
                if (s.Agent is { } agent)
                    running.Add(new Deadline(DeadlineScope.AgentForwarding, "agent", agent.SubmittedAt, CaseDecider.AgentActByWorkingDays, agent.ActBy, null, r.WindowId));
                break;
            case CaseStatus.Accepted or CaseStatus.AcceptedWithDeficiency when s.Work.Decision is null && s.ClockStartedAt is { } start:
                var stops = s.Work.ClockStops(now);
                var lead = s.Work.Parts.FirstOrDefault(p => p.Plan.Lead) ?? s.Work.Parts.FirstOrDefault();
                var limit = s.Item.PromisedLimitWorkingDays + s.ExtensionWorkingDays;
                running.Add(new Deadline(DeadlineScope.Case, "case", start, limit, calendar.AddWorkingDays(start, limit, stops), lead?.Plan.DepartmentId, lead?.HolderId));
                foreach (var part in s.Work.Parts.Where(p => p.Stage is PartStage.Waiting or PartStage.Claimed))
                {
                    var share = part.CurrentStep.ShareWorkingDays;
                    var stepStops = stops.Where(x => x.To > part.StepStartedAt).ToList();
                    running.Add(new Deadline(DeadlineScope.Step, $"{part.Plan.PartId}#{part.Step}", part.StepStartedAt, share,
                        calendar.AddWorkingDays(part.StepStartedAt, share, stepStops), part.Plan.DepartmentId, part.HolderId));
                }
                break;
            case CaseStatus.Decided or CaseStatus.ResultReady when s.Work.Decision is { } decided && s.Closure is null && s.Handover.Mailed is null:
                running.Add(new Deadline(DeadlineScope.Pickup, "pickup", decided.DecidedAt, PickupWorkingDays,
                    PickupDue(calendar, decided.DecidedAt), null, r.ReceivedById));
                break;
        }
        if (s.Handover.Rectification is { } task)
        {
            if (s.Handover.ReturnVisit is null)
                running.Add(new Deadline(DeadlineScope.ReturnVisit, $"round{task.Round}", task.OpenedAt, calendar.WorkingDaysBetween(task.OpenedAt, task.ReturnVisitDue.EndsAt.AddTicks(-1)), task.ReturnVisitDue, null, r.ReceivedById));
            if (s.Handover.Rectified is null)
                running.Add(new Deadline(DeadlineScope.Rectification, $"round{task.Round}", task.OpenedAt, calendar.WorkingDaysBetween(task.OpenedAt, task.RectificationDue.EndsAt.AddTicks(-1)), task.RectificationDue, null, r.ReceivedById));
        }
        return running;
    }

    /// <summary>Working days left until the deadline ends, as of <paramref name="now"/>; negative when overdue.</summary>
    public static int Remaining(WorkingCalendar calendar, Deadline d, DateTimeOffset now) => calendar.WorkingDaysLeft(now, d.Due.EndsAt);
}
