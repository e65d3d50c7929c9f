using System.Collections.Frozen;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Calendar;

/// <summary>A period during which the clock stood still (特别程序, 补正), from one instant to another.</summary>
public sealed record ClockStop(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// A deadline: the last working day and the instant it ends (the next midnight, Beijing time).
/// <see cref="Provisional"/> when it reaches into a year whose holiday arrangement is not published yet.
/// </summary>
public sealed record WorkingDeadline(DateOnly Day, DateTimeOffset EndsAt, bool Provisional = false);

/// <summary>Asked about a year with no published arrangement: a clear error, never a weekday-only guess.</summary>
public sealed class CalendarYearNotPublishedException(int year)
    : Exception($"No holiday arrangement is published for {year}.")
{
    public int Year { get; } = year;

    public DomainError Error => DomainError.Rule("calendar.year_not_published",
        $"{Year} 年的节假日安排尚未发布，无法计算工作日。请管理员先发布该年度安排。");
}

/// <summary>
/// Working days in Asia/Shanghai (DOMAIN.md §5): Monday–Friday, minus public holidays, plus make-up workdays.
/// The day an event happens is never counted; day 1 is the next working day (民法典 Art. 201), and a deadline
/// ends with its last working day, Beijing time. Clock stops add back the working days they cover.
/// </summary>
public sealed class WorkingCalendar
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Office hours, Beijing time (configurable local practice): 08:30–12:00 and 14:30–17:30.</summary>
    public static readonly (TimeOnly From, TimeOnly To)[] OfficeHours =
        [(new TimeOnly(8, 30), new TimeOnly(12, 0)), (new TimeOnly(14, 30), new TimeOnly(17, 30))];

    private readonly FrozenDictionary<int, HolidayArrangement> _years;
    private readonly FrozenSet<DateOnly> _holidays;
    private readonly FrozenSet<DateOnly> _makeUps;
    private readonly FrozenSet<int> _provisional;

    public WorkingCalendar(IEnumerable<HolidayArrangement> arrangements)
        : this(arrangements, [])
    {
    }

    private WorkingCalendar(IEnumerable<HolidayArrangement> arrangements, IEnumerable<int> provisionalYears)
    {
        _provisional = provisionalYears.ToFrozenSet();
        // A later arrangement for the same year (a published correction) replaces the earlier one.
        var byYear = new Dictionary<int, HolidayArrangement>();
        foreach (var a in arrangements)
            byYear[a.Year] = a;
        _years = byYear.ToFrozenDictionary();
        _holidays = byYear.Values.SelectMany(a => a.Holidays).ToFrozenSet();
        _makeUps = byYear.Values.SelectMany(a => a.MakeUpWorkdays).ToFrozenSet();
    }

    public static WorkingCalendar Official { get; } = new(OfficialArrangements.All);

    public HolidayArrangement? Arrangement(int year) => _provisional.Contains(year) ? null : _years.GetValueOrDefault(year);

    /// <summary>
    /// For case deadlines only: the same calendar, answering also for unpublished years up to
    /// <paramref name="lastYear"/> with a provisional arrangement — weekends plus the fixed-date statutory holidays
    /// (元旦 1/1, 劳动节 5/1–5/2, 国庆 10/1–10/3; 国务院《全国年节及纪念日放假办法》). A window cannot refuse to accept a
    /// case in December because next year's arrangement is not out; deadlines that reach such a year are marked
    /// <see cref="WorkingDeadline.Provisional"/>. The calendar pages and the administrator still see the year as
    /// unpublished.
    /// </summary>
    public WorkingCalendar WithProvisionalYearsThrough(int lastYear)
    {
        var first = _years.Count == 0 ? lastYear : _years.Keys.Min();
        var missing = Enumerable.Range(first, Math.Max(0, lastYear - first + 1)).Where(y => !_years.ContainsKey(y)).ToList();
        if (missing.Count == 0)
            return this;
        var provisional = missing.Select(y => new HolidayArrangement(y,
            [new(y, 1, 1), new(y, 5, 1), new(y, 5, 2), new(y, 10, 1), new(y, 10, 2), new(y, 10, 3)], [], "provisional: fixed-date statutory holidays only"));
        return new WorkingCalendar(_years.Values.Concat(provisional), _provisional.Concat(missing));
    }

    public static DateOnly BeijingDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Beijing).DateTime);

    /// <summary>The first day of the Beijing-time month of an instant (ledgers and reports count by it).</summary>
    public static DateOnly BeijingMonth(DateTimeOffset instant)
    {
        var day = BeijingDate(instant);
        return new DateOnly(day.Year, day.Month, 1);
    }

    public bool IsWorkingDay(DateOnly day)
    {
        if (!_years.ContainsKey(day.Year))
            throw new CalendarYearNotPublishedException(day.Year);
        if (_makeUps.Contains(day))
            return true;
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);
    }

    public int WorkingDaysIn(int year)
    {
        var count = 0;
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
                count++;
        }
        return count;
    }

    /// <summary>Adds <paramref name="workingDays"/> working days to an instant; its own day is not counted.</summary>
    public WorkingDeadline AddWorkingDays(DateTimeOffset from, int workingDays, IReadOnlyList<ClockStop>? stops = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var extra = stops is null ? 0 : stops.Sum(s => WorkingDaysBetween(s.From, s.To));
        var day = BeijingDate(from);
        for (var left = workingDays + extra; left > 0;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
                left--;
        }
        var provisional = _provisional.Count > 0 && Enumerable.Range(BeijingDate(from).Year, day.Year - BeijingDate(from).Year + 1).Any(_provisional.Contains);
        return new WorkingDeadline(day, EndOf(day), provisional);
    }

    /// <summary>
    /// Working days from one instant to another: those after the first instant's day, up to and including the
    /// second instant's day, less the working days covered by clock stops. Negative when <paramref name="to"/>
    /// is earlier.
    /// </summary>
    public int WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ClockStop>? stops = null)
    {
        if (to < from)
            return -WorkingDaysBetween(to, from, stops);
        var count = 0;
        for (var d = BeijingDate(from).AddDays(1); d <= BeijingDate(to); d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
                count++;
        }
        var stopped = stops?.Where(s => s.From < to && s.To > from).Sum(s => WorkingDaysBetween(Max(s.From, from), Min(s.To, to))) ?? 0;
        return count - stopped;
    }

    /// <summary>
    /// Working days left, as of <paramref name="now"/>, until a deadline that ends at <paramref name="endsAt"/> (its
    /// last day counted); once it has ended, minus the working days since (at least −1).
    /// </summary>
    public int WorkingDaysLeft(DateTimeOffset now, DateTimeOffset endsAt) =>
        now >= endsAt ? -Math.Max(1, WorkingDaysBetween(endsAt.AddTicks(-1), now)) : WorkingDaysBetween(now, endsAt.AddTicks(-1));

    /// <summary>Whether an instant falls on a working day within office hours (Beijing time).</summary>
    public bool IsWithinWorkingTime(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Beijing);
        if (!IsWorkingDay(DateOnly.FromDateTime(local.DateTime)))
            return false;
        var time = TimeOnly.FromDateTime(local.DateTime);
        return OfficeHours.Any(h => time >= h.From && time < h.To);
    }

    /// <summary>The error to show when [from, to] reaches a year with no arrangement; null when covered.</summary>
    public DomainError? Covers(DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            if (!_years.ContainsKey(year))
                return new CalendarYearNotPublishedException(year).Error;
        }
        return null;
    }

    public static DateTimeOffset EndOf(DateOnly day) =>
        new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
