using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Deadlines;

public enum WarningLevel
{
    Green,
    /// <summary>黄灯: approaching.</summary>
    Yellow,
    /// <summary>红灯: overdue.</summary>
    Red,
}

/// <summary>
/// One warning rule (监察规则), configurable data (DOMAIN.md §5 rule 11): for a scope, a yellow rule fires when at most
/// <see cref="RemainingWorkingDays"/> are left or at least <see cref="UsedPercent"/> of the limit is used (either
/// may be null); a red rule fires when the deadline has passed.
/// </summary>
public sealed record WarningRule(string Id, DeadlineScope Scope, WarningLevel Level, int? RemainingWorkingDays, int? UsedPercent);

/// <summary>The administrator published a new set of warning rules.</summary>
public sealed record WarningRulesPublished(IReadOnlyList<WarningRule> Rules, string Note, string PublishedById, string PublishedByName, DateTimeOffset PublishedAt);

public sealed record PublishWarningRules(IReadOnlyList<WarningRule> Rules, string Note);

/// <summary>A yellow warning was raised on a deadline of the case: once per case, deadline and level.</summary>
public sealed record DeadlineWarningRaised(
    Guid CaseId, DeadlineScope Scope, string Target, string RuleId, DateOnly DueOn, int RemainingWorkingDays, string? DepartmentId, string? HolderId, DateTimeOffset RaisedAt) : ISystemAnnotation;

/// <summary>A deadline of the case passed (红灯): once per case and deadline.</summary>
public sealed record DeadlineWentOverdue(
    Guid CaseId, DeadlineScope Scope, string Target, string RuleId, DateOnly DueOn, string? DepartmentId, string? HolderId, DateTimeOffset OverdueAt) : ISystemAnnotation;

/// <summary>The sweeper's command: raise whatever levels are due and not yet raised on this case.</summary>
public sealed record RaiseDeadlineWarnings;

/// <summary>The rule set in force (a stream of publications; the shipped defaults until one exists).</summary>
public sealed record WarningRuleSet(IReadOnlyList<WarningRule> Rules, long Version)
{
    public static readonly Guid StreamId = StableId.For("warning-rules", "default");

    /// <summary>Defaults (DOMAIN.md §5 rule 11): yellow at ≤ 1 working day left or ≥ 80 % used, red when overdue; every scope.</summary>
    public static readonly IReadOnlyList<WarningRule> Defaults = Enum.GetValues<DeadlineScope>()
        .SelectMany(s => new[]
        {
            new WarningRule($"JC-{(int)s + 1:D2}-Y", s, WarningLevel.Yellow, 1, 80),
            new WarningRule($"JC-{(int)s + 1:D2}-R", s, WarningLevel.Red, null, null),
        }).ToList();

    public static readonly StreamKind<WarningRuleSet> Kind = new("warning-rules", new WarningRuleSet(Defaults, 0),
        (s, e) => e is WarningRulesPublished p ? new WarningRuleSet(p.Rules, s.Version + 1) : s);

    /// <summary>
    /// The yellow rule of a scope. A scope added after the rules in force were published (the complaint's answer,
    /// issue 17) has no rule of its own in them: its shipped default applies until an administrator publishes one.
    /// </summary>
    public WarningRule? Yellow(DeadlineScope scope) => (Rules.Any(r => r.Scope == scope) ? Rules : Defaults)
        .FirstOrDefault(r => r.Scope == scope && r.Level == WarningLevel.Yellow);

    public WarningRule Red(DeadlineScope scope) => Rules.FirstOrDefault(r => r.Scope == scope && r.Level == WarningLevel.Red) ?? new($"JC-{scope}-R", scope, WarningLevel.Red, null, null);

    /// <summary>The instant a deadline turns yellow under these rules (null: never before red).</summary>
    public DateTimeOffset? YellowFrom(Deadline d, WorkingCalendar calendar)
    {
        if (Yellow(d.Scope) is not { } rule)
            return null;
        var candidates = new List<DateTimeOffset>();
        if (rule.RemainingWorkingDays is { } left)
        {
            // The first day from which at most `left` working days remain up to and including the due day.
            var day = d.Due.Day;
            var count = 0;
            while (true)
            {
                var previous = day.AddDays(-1);
                if (calendar.IsWorkingDay(day))
                    count++;
                if (count > left)
                    break;
                day = previous;
            }
            candidates.Add(WorkingCalendar.EndOf(day.AddDays(-1))); // from the start of that day
        }
        if (rule.UsedPercent is { } percent)
        {
            var used = (int)Math.Ceiling(d.LimitWorkingDays * percent / 100.0);
            // From the start of the working day on which `used` working days have gone by.
            candidates.Add(used == 0 ? d.StartedAt : WorkingCalendar.EndOf(calendar.AddWorkingDays(d.StartedAt, used).Day.AddDays(-1)));
        }
        return candidates.Count == 0 ? null : candidates.Min() < d.StartedAt ? d.StartedAt : candidates.Min();
    }

    public WarningLevel LevelAt(Deadline d, WorkingCalendar calendar, DateTimeOffset now) =>
        now >= d.Due.EndsAt ? WarningLevel.Red : YellowFrom(d, calendar) is { } yellow && now >= yellow ? WarningLevel.Yellow : WarningLevel.Green;

    public Decision Decide(PublishWarningRules c, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return DomainError.Forbidden("warning.admin_only", "只有管理员可以维护预警规则。");
        var rules = c.Rules ?? [];
        if (rules.Count == 0 || rules.Any(r => string.IsNullOrWhiteSpace(r.Id) || r.Id.Length > 30))
            return DomainError.Validation("warning.rule_id_required", "每条规则须有编号（监察规则编号，不超过 30 个字符）。");
        if (rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return DomainError.Validation("warning.rule_id_repeated", $"规则编号 {twice.Key} 重复。");
        if (rules.GroupBy(r => (r.Scope, r.Level)).FirstOrDefault(g => g.Count() > 1) is { } both)
            return DomainError.Validation("warning.rule_repeated", $"同一监察对象同一级别只能有一条规则（{both.Key.Scope} {both.Key.Level}）。");
        if (rules.Any(r => r.Level == WarningLevel.Green))
            return DomainError.Validation("warning.level_invalid", "预警级别只能是黄灯（Yellow）或红灯（Red）。");
        if (rules.FirstOrDefault(r => r.Level == WarningLevel.Yellow && (r.RemainingWorkingDays is null && r.UsedPercent is null
                || r.RemainingWorkingDays < 0 || r.UsedPercent is < 1 or > 100)) is { } bad)
            return DomainError.Validation("warning.threshold_invalid", $"黄灯规则 {bad.Id} 须设置剩余工作日（≥ 0）或已用时限比例（1–100%）。");
        var missing = Enum.GetValues<DeadlineScope>().Where(scope => !rules.Any(r => r.Scope == scope && r.Level == WarningLevel.Red)).ToList();
        if (missing.Count > 0)
            return DomainError.Validation("warning.red_rule_required", $"每个监察对象都须有红灯（超期）规则，缺少：{string.Join("、", missing)}。");
        return Decision.Append(new WarningRulesPublished(rules, c.Note?.Trim() ?? "", actor.Id, actor.Name, now));
    }

    /// <summary>
    /// The sweeper's decision: for every running deadline of the case, the levels reached and not yet raised —
    /// yellow then red, each once per deadline (after downtime both may come in one pass).
    /// </summary>
    public Decision Decide(RaiseDeadlineWarnings c, CaseFile s, Actor actor, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (actor.Role != Role.System)
            return DomainError.Forbidden("case.system_only", "预警由系统按规则自动记录。");
        var events = new List<object>();
        foreach (var d in DeadlineEngine.Running(s, calendar, now))
        {
            var level = LevelAt(d, calendar, now);
            var raised = s.RaisedLevel(d.Key);
            if (level >= WarningLevel.Yellow && raised < WarningLevel.Yellow && Yellow(d.Scope) is { } yellow)
                events.Add(new DeadlineWarningRaised(s.Id, d.Scope, d.Target, yellow.Id, d.Due.Day, Math.Max(0, DeadlineEngine.Remaining(calendar, d, now)), d.DepartmentId, d.HolderId, now));
            if (level == WarningLevel.Red && raised < WarningLevel.Red)
                events.Add(new DeadlineWentOverdue(s.Id, d.Scope, d.Target, Red(d.Scope).Id, d.Due.Day, d.DepartmentId, d.HolderId, now));
        }
        return events.Count == 0 ? DomainError.Rule("case.no_warning_due", "没有需要发出的预警。") : Decision.Append([.. events]);
    }
}
