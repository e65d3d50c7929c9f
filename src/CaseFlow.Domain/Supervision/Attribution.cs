using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Supervision;

/// <summary>One step as it was held: its share, the working days it used, those beyond the share and whom they are charged to, and who held it for how many working days.</summary>
public sealed record StepHolding(
    string PartId, int StepIndex, string StepName, string DepartmentId, string DepartmentName, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    int ShareWorkingDays, int UsedWorkingDays, int OverWorkingDays, IReadOnlyList<Charge> Charges, IReadOnlyList<Charge> Held);

/// <summary>Working days beyond a step's share charged to the person (and their department) holding it on those days.</summary>
public sealed record Charge(string PersonId, string PersonName, string DepartmentId, int WorkingDays);

/// <summary>Working days beyond the steps' shares charged to a department (the sum over its people).</summary>
public sealed record DepartmentCharge(string DepartmentId, int WorkingDays);

/// <summary>The whole case: each step's holding and the totals per person and per department.</summary>
public sealed record CaseAttribution(IReadOnlyList<StepHolding> Steps, IReadOnlyList<Charge> ByPerson, IReadOnlyList<DepartmentCharge> ByDepartment);

/// <summary>
/// 限时办结 attribution (DOMAIN.md §6; issue 8): for each step, the working days it used beyond its share are
/// charged, day by day, to whoever held the case on that day — not to whoever touched it last. Clock stops
/// (special procedures, corrections) are nobody's: their days are not counted. 承办 is held by the part's holder
/// (a reassignment moves the days after it to the new holder); later steps by the person who did them.
/// </summary>
public static class Attribution
{
    public static CaseAttribution For(CaseFile s, IReadOnlyList<object> events, WorkingCalendar calendar, DateTimeOffset now)
    {
        var stops = s.Work.ClockStops(now);
        var steps = new List<StepHolding>();
        var holders = new Dictionary<string, List<(DateTimeOffset From, string Id, string Name)>>();
        var open = new Dictionary<string, (int Index, DateTimeOffset Start)>();
        foreach (var e in events)
        {
            switch (e)
            {
                case CaseClaimed c:
                    holders[c.PartId] = [(c.ClaimedAt, c.ApproverId, c.ApproverName)];
                    open[c.PartId] = (0, c.ClaimedAt);
                    break;
                case PartReassigned r when holders.TryGetValue(r.PartId, out var list):
                    list.Add((r.ReassignedAt, r.ToId, r.ToName));
                    break;
                case StepCompleted x:
                    steps.Add(Hold(s, x.PartId, x.StepIndex, x.StepName, x.StartedAt, x.CompletedAt, x.ShareWorkingDays,
                        x.StepIndex == 0 ? holders.GetValueOrDefault(x.PartId) ?? [] : [(x.StartedAt, x.HandlerId, x.HandlerName)], stops, calendar));
                    open[x.PartId] = (x.Action switch { StepAction.Pass => x.StepIndex + 1, StepAction.ReturnToPrevious => Math.Max(0, x.StepIndex - 1), _ => x.StepIndex }, x.CompletedAt);
                    break;
                case PartDecided d:
                    open.Remove(d.PartId);
                    break;
            }
        }
        // Steps still held count up to now, charged to the part's holder.
        foreach (var part in s.Work.Parts.Where(p => p.Stage == PartStage.Claimed && open.ContainsKey(p.Plan.PartId)))
        {
            var step = part.CurrentStep;
            steps.Add(Hold(s, part.Plan.PartId, step.Index, step.Name, part.StepStartedAt, null, step.ShareWorkingDays,
                holders.GetValueOrDefault(part.Plan.PartId) ?? [], stops, calendar, now));
        }
        var byPerson = steps.SelectMany(h => h.Charges).GroupBy(c => (c.PersonId, c.DepartmentId))
            .Select(g => new Charge(g.Key.PersonId, g.First().PersonName, g.Key.DepartmentId, g.Sum(c => c.WorkingDays))).Where(c => c.WorkingDays > 0).ToList();
        var byDepartment = byPerson.GroupBy(c => c.DepartmentId).Select(g => new DepartmentCharge(g.Key, g.Sum(c => c.WorkingDays))).ToList();
        return new CaseAttribution(steps, byPerson, byDepartment);
    }

    private static StepHolding Hold(
        CaseFile s, string partId, int index, string name, DateTimeOffset start, DateTimeOffset? end, int share,
        IReadOnlyList<(DateTimeOffset From, string Id, string Name)> holders, IReadOnlyList<ClockStop> stops, WorkingCalendar calendar, DateTimeOffset? now = null)
    {
        var part = s.Work.Part(partId)!;
        var until = end ?? now!.Value;
        var charges = new Dictionary<string, (string Name, int Days)>();
        var held = new Dictionary<string, (string Name, int Days)>();
        var used = 0;
        // Walk the working days after the step's start day up to its end day; a day inside a clock stop is nobody's.
        for (var day = WorkingCalendar.EndOf(WorkingCalendar.BeijingDate(start)); day <= until; day = day.AddDays(1))
        {
            var date = WorkingCalendar.BeijingDate(day);
            if (!calendar.IsWorkingDay(date) || stops.Any(x => WorkingCalendar.BeijingDate(x.From) < date && date <= WorkingCalendar.BeijingDate(x.To)))
                continue;
            used++;
            var holder = holders.LastOrDefault(h => WorkingCalendar.BeijingDate(h.From) < date);
            if (holder.Id is null)
                holder = holders.FirstOrDefault();
            if (holder.Id is null)
                continue;
            held[holder.Id] = (holder.Name, held.GetValueOrDefault(holder.Id).Days + 1);
            if (used > share)
                charges[holder.Id] = (holder.Name, charges.GetValueOrDefault(holder.Id).Days + 1);
        }
        return new StepHolding(partId, index, name, part.Plan.DepartmentId, part.Plan.DepartmentName, start, end, share, used, Math.Max(0, used - share),
            charges.Select(c => new Charge(c.Key, c.Value.Name, part.Plan.DepartmentId, c.Value.Days)).ToList(),
            held.Select(c => new Charge(c.Key, c.Value.Name, part.Plan.DepartmentId, c.Value.Days)).ToList());
    }
}
