using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Tests.Calendar;

public sealed class ProvisionalYearTests
{
    private static readonly DateTimeOffset NewYearsEve = new(2026, 12, 31, 10, 0, 0, WorkingCalendar.Beijing);

    [Fact]
    public void A_deadline_reaching_an_unpublished_year_is_computed_provisionally_and_marked_so()
    {
        Assert.Throws<CalendarYearNotPublishedException>(() => WorkingCalendar.Official.AddWorkingDays(NewYearsEve, 1));

        var forDeadlines = WorkingCalendar.Official.WithProvisionalYearsThrough(2027);
        var due = forDeadlines.AddWorkingDays(NewYearsEve, 1);
        Assert.Equal(new DateOnly(2027, 1, 4), due.Day); // 元旦 Friday, then the weekend
        Assert.True(due.Provisional);
        Assert.Null(forDeadlines.Arrangement(2027)); // still unpublished for everyone else

        var inYear = forDeadlines.AddWorkingDays(new DateTimeOffset(2026, 9, 25, 10, 0, 0, WorkingCalendar.Beijing), 5);
        Assert.False(inYear.Provisional);
        Assert.Equal(WorkingCalendar.Official.AddWorkingDays(new DateTimeOffset(2026, 9, 25, 10, 0, 0, WorkingCalendar.Beijing), 5).Day, inYear.Day);
    }
}
