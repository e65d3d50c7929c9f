using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Calendar;

/// <summary>
/// An administrator published (or corrected) a year's holiday arrangement. Before and after are both in the
/// event, so the audit needs nothing else: who, when, what it was, what it became.
/// </summary>
public sealed record HolidayArrangementPublished(
    int Year,
    IReadOnlyList<DateOnly> Holidays,
    IReadOnlyList<DateOnly> MakeUpWorkdays,
    string Source,
    IReadOnlyList<DateOnly>? PreviousHolidays,
    IReadOnlyList<DateOnly>? PreviousMakeUpWorkdays,
    string PublishedById,
    string PublishedByName,
    DateTimeOffset PublishedAt);

public sealed record PublishHolidayArrangement(HolidayArrangement Arrangement);

/// <summary>One stream per calendar year; its state is the arrangement in force (null before publication).</summary>
public sealed record CalendarYear(HolidayArrangement? Current)
{
    public static readonly StreamKind<CalendarYear> Kind = new("calendar-year", new CalendarYear((HolidayArrangement?)null), Evolve);

    /// <summary>The stream of a year has a fixed id, so two publications of one year meet on one stream.</summary>
    public static Guid StreamId(int year) => StableId.For("calendar-year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static CalendarYear Evolve(CalendarYear state, object @event) => @event switch
    {
        HolidayArrangementPublished e => new CalendarYear(new HolidayArrangement(e.Year, e.Holidays, e.MakeUpWorkdays, e.Source)),
        _ => state,
    };

    /// <summary>Admin only; validated (DOMAIN.md §5.1); a shipped year's official arrangement counts as "before".</summary>
    public static Decision Decide(PublishHolidayArrangement c, CalendarYear state, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return DomainError.Forbidden("calendar.admin_only", "只有系统管理员可以发布节假日安排。");
        if (c.Arrangement.Validate() is { } error)
            return error;
        var before = state.Current ?? OfficialArrangements.All.FirstOrDefault(a => a.Year == c.Arrangement.Year);
        var holidays = c.Arrangement.Holidays.Order().ToList();
        var makeUps = c.Arrangement.MakeUpWorkdays.Order().ToList();
        if (before is not null && before.Holidays.Order().SequenceEqual(holidays) && before.MakeUpWorkdays.Order().SequenceEqual(makeUps) && state.Current is not null)
            return DomainError.Rule("calendar.unchanged", "该年度节假日安排与当前发布的一致，无需重复发布。");
        return Decision.Append(new HolidayArrangementPublished(
            c.Arrangement.Year, holidays, makeUps, c.Arrangement.Source.Trim(),
            before?.Holidays.Order().ToList(), before?.MakeUpWorkdays.Order().ToList(), actor.Id, actor.Name, now));
    }
}
