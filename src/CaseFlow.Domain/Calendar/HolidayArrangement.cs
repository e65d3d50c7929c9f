using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Calendar;

/// <summary>
/// One year's official holiday arrangement (节假日安排): days off that would otherwise be workdays or weekend days
/// inside a holiday, and make-up workdays (调休上班) on weekends. DOMAIN.md §5.1: arrangements are data.
/// </summary>
public sealed record HolidayArrangement(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> MakeUpWorkdays, string Source)
{
    /// <summary>The rules a published year must satisfy; each broken rule has its own code.</summary>
    public DomainError? Validate()
    {
        if (Year is < 2000 or > 2100)
            return DomainError.Validation("calendar.year_out_of_range", "年份应在 2000 至 2100 之间。");
        if (string.IsNullOrWhiteSpace(Source))
            return DomainError.Validation("calendar.source_required", "请注明节假日安排的依据（如国务院办公厅通知文号）。");
        if (Holidays.Count == 0)
            return DomainError.Validation("calendar.no_holidays", "节假日安排至少应包含一个法定节假日。");
        var outside = Holidays.Concat(MakeUpWorkdays).Where(d => d.Year != Year).ToList();
        if (outside.Count > 0)
            return DomainError.Validation("calendar.date_outside_year", $"日期 {string.Join("、", outside.Select(Show))} 不在 {Year} 年内。");
        var both = Holidays.Intersect(MakeUpWorkdays).ToList();
        if (both.Count > 0)
            return DomainError.Validation("calendar.date_both_holiday_and_workday", $"日期 {string.Join("、", both.Select(Show))} 不能既是放假日又是调休上班日。");
        var weekdayMakeUps = MakeUpWorkdays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        if (weekdayMakeUps.Count > 0)
            return DomainError.Validation("calendar.makeup_day_not_weekend", $"调休上班日 {string.Join("、", weekdayMakeUps.Select(Show))} 本身就是工作日，应为周六或周日。");
        var duplicates = Holidays.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key)
            .Concat(MakeUpWorkdays.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key)).ToList();
        if (duplicates.Count > 0)
            return DomainError.Validation("calendar.date_repeated", $"日期 {string.Join("、", duplicates.Select(Show))} 重复列出。");
        return null;
    }

    private static string Show(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
