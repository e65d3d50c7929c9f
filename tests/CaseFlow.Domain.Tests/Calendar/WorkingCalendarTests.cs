using System.Globalization;
using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Official;

    private static DateTimeOffset At(string day, string time = "10:00") =>
        DateTimeOffset.Parse($"{day}T{time}:00+08:00", CultureInfo.InvariantCulture);

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-01-24", 5, "2025-02-07")] // Sunday 2025-01-26 is a make-up workday
    [InlineData("2024-04-30", 1, "2024-05-06")]
    [InlineData("2026-02-12", 5, "2026-02-26")]
    [InlineData("2025-09-26", 20, "2025-10-30")]
    public void The_reference_values_of_DOMAIN_5_1_hold(string from, int days, string due)
    {
        var deadline = Calendar.AddWorkingDays(At(from), days);
        Assert.Equal(Day(due), deadline.Day);
        Assert.Equal(DateTimeOffset.Parse($"{Day(due).AddDays(1):yyyy-MM-dd}T00:00:00+08:00", CultureInfo.InvariantCulture), deadline.EndsAt);
    }

    [Theory]
    [InlineData(2024, 251)]
    [InlineData(2025, 248)]
    [InlineData(2026, 248)]
    public void Working_days_per_year_match_the_official_counts(int year, int expected) =>
        Assert.Equal(expected, Calendar.WorkingDaysIn(year));

    /// <summary>
    /// The notices as their text reads (off = 放假, on = 调休上班), transcribed separately from the shipped data:
    /// every day of 2024–2026 must agree.
    /// </summary>
    private static readonly string[] Notices =
    [
        "2024: off 01-01..01-01, 02-10..02-17, 04-04..04-06, 05-01..05-05, 06-10..06-10, 09-15..09-17, 10-01..10-07; on 02-04, 02-18, 04-07, 04-28, 05-11, 09-14, 09-29, 10-12",
        "2025: off 01-01..01-01, 01-28..02-04, 04-04..04-06, 05-01..05-05, 05-31..06-02, 10-01..10-08; on 01-26, 02-08, 04-27, 09-28, 10-11",
        "2026: off 01-01..01-03, 02-15..02-23, 04-04..04-06, 05-01..05-05, 06-19..06-21, 09-25..09-27, 10-01..10-07; on 01-04, 02-14, 02-28, 05-09, 09-20, 10-10",
    ];

    [Fact]
    public void Every_day_of_2024_to_2026_agrees_with_the_notices()
    {
        foreach (var notice in Notices)
        {
            var year = int.Parse(notice[..4], CultureInfo.InvariantCulture);
            var parts = notice[6..].Split(';');
            var off = new HashSet<DateOnly>();
            foreach (var range in parts[0].Replace("off", "", StringComparison.Ordinal).Split(',', StringSplitOptions.TrimEntries))
            {
                var ends = range.Split("..");
                for (var d = Day($"{year}-{ends[0]}"); d <= Day($"{year}-{ends[1]}"); d = d.AddDays(1))
                    off.Add(d);
            }
            var on = parts[1].Replace("on", "", StringComparison.Ordinal).Split(',', StringSplitOptions.TrimEntries).Select(d => Day($"{year}-{d}")).ToHashSet();

            for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            {
                var expected = on.Contains(d) || (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !off.Contains(d));
                Assert.True(expected == Calendar.IsWorkingDay(d), $"{d:yyyy-MM-dd} should be a {(expected ? "working day" : "day off")}");
            }
        }
    }

    [Fact]
    public void The_starting_day_never_counts_even_when_it_is_a_working_day()
    {
        Assert.Equal(Day("2025-09-23"), Calendar.AddWorkingDays(At("2025-09-22", "08:00"), 1).Day);
        Assert.Equal(Day("2025-09-23"), Calendar.AddWorkingDays(At("2025-09-22", "23:59"), 1).Day);
        // An instant on Saturday evening Beijing time is still Saturday, although it is Saturday noon in UTC.
        Assert.Equal(Day("2025-09-22"), Calendar.AddWorkingDays(DateTimeOffset.Parse("2025-09-20T12:00:00Z", CultureInfo.InvariantCulture), 1).Day);
    }

    [Fact]
    public void A_suspension_of_three_working_days_moves_the_deadline_by_exactly_three_across_a_holiday()
    {
        var accepted = At("2025-09-22");
        var plain = Calendar.AddWorkingDays(accepted, 20);
        // Stopped from Monday 09-29 to Friday 10-10, across the National Day holiday (10-01..10-08).
        var stop = new ClockStop(At("2025-09-29"), At("2025-10-10"));
        Assert.Equal(3, Calendar.WorkingDaysBetween(stop.From, stop.To)); // 09-30, 10-09, 10-10
        var suspended = Calendar.AddWorkingDays(accepted, 20, [stop]);
        Assert.Equal(3, Calendar.WorkingDaysBetween(plain.EndsAt.AddTicks(-1), suspended.EndsAt.AddTicks(-1)));
        Assert.Equal(20, Calendar.WorkingDaysBetween(accepted, suspended.EndsAt.AddTicks(-1), [stop]));
    }

    [Fact]
    public void Working_days_between_two_instants_exclude_clock_stops_and_are_signed()
    {
        Assert.Equal(20, Calendar.WorkingDaysBetween(At("2025-09-26"), At("2025-10-30")));
        Assert.Equal(-20, Calendar.WorkingDaysBetween(At("2025-10-30"), At("2025-09-26")));
        Assert.Equal(0, Calendar.WorkingDaysBetween(At("2025-10-01"), At("2025-10-08"))); // all holiday
        Assert.Equal(18, Calendar.WorkingDaysBetween(At("2025-09-26"), At("2025-10-30"), [new ClockStop(At("2025-10-13"), At("2025-10-15"))]));
    }

    [Theory]
    [InlineData("2025-09-26", "09:00", true)]
    [InlineData("2025-09-26", "12:30", false)] // lunch
    [InlineData("2025-09-26", "17:45", false)]
    [InlineData("2025-09-28", "09:00", true)]  // Sunday make-up workday
    [InlineData("2025-10-02", "09:00", false)] // National Day
    public void Working_time_is_office_hours_on_working_days(string day, string time, bool expected) =>
        Assert.Equal(expected, Calendar.IsWithinWorkingTime(At(day, time)));

    [Fact]
    public void A_year_without_an_arrangement_is_a_clear_error_not_a_weekday_guess()
    {
        var error = Assert.Throws<CalendarYearNotPublishedException>(() => Calendar.AddWorkingDays(At("2026-12-28"), 10));
        Assert.Equal(2027, error.Year);
        Assert.Equal("calendar.year_not_published", error.Error.Code);
        Assert.Equal("calendar.year_not_published", Calendar.Covers(Day("2026-12-01"), Day("2027-01-31"))!.Code);
        Assert.Null(Calendar.Covers(Day("2024-01-01"), Day("2026-12-31")));
    }

    [Theory]
    [InlineData("2027-10-01", "2027-10-01", "calendar.date_both_holiday_and_workday")]
    [InlineData("2028-01-01", "2027-10-09", "calendar.date_outside_year")]
    [InlineData("2027-10-01", "2027-10-11", "calendar.makeup_day_not_weekend")]
    public void A_malformed_year_is_refused_with_a_code_naming_the_rule(string holiday, string makeUp, string code)
    {
        var arrangement = new HolidayArrangement(2027, [Day(holiday)], [Day(makeUp)], "国办发明电");
        Assert.Equal(code, arrangement.Validate()!.Code);
    }

    [Fact]
    public void The_shipped_arrangements_are_valid_and_a_published_year_extends_the_calendar()
    {
        Assert.All(OfficialArrangements.All, a => Assert.Null(a.Validate()));
        var y2027 = new HolidayArrangement(2027, [Day("2027-01-01")], [], "测试");
        var extended = new WorkingCalendar([.. OfficialArrangements.All, y2027]);
        Assert.False(extended.IsWorkingDay(Day("2027-01-01")));
        Assert.Equal(Day("2027-01-04"), extended.AddWorkingDays(At("2026-12-31"), 1).Day);
    }
}
