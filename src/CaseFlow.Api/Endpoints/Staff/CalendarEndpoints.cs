using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Calendar;
using CaseFlow.Persistence.Calendar;

namespace CaseFlow.Api.Endpoints.Staff;

public sealed record CalendarYearView(int Year, string Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> MakeUpWorkdays, int WorkingDays);

public sealed record DeadlineView(DateTimeOffset From, int WorkingDays, DateOnly DueDay, DateTimeOffset EndsAt);

/// <summary>The working-day calendar, for every member of staff: a year's arrangement and deadline arithmetic.</summary>
public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendar(this RouteGroupBuilder staff)
    {
        var group = staff.MapGroup("/calendar").WithTags("Staff · 工作日历");

        group.MapGet("/{year:int}", async Task<IResult> (int year, CalendarProvider calendars, HttpContext http) =>
        {
            var calendar = await calendars.GetAsync(http.RequestAborted);
            if (calendar.Arrangement(year) is not { } a)
                return Problems.From(new CalendarYearNotPublishedException(year).Error);
            return Results.Ok(new CalendarYearView(year, a.Source, a.Holidays.Order().ToList(), a.MakeUpWorkdays.Order().ToList(), calendar.WorkingDaysIn(year)));
        }).WithName("GetCalendarYear").WithSummary("年度工作日历 · A year's holidays, make-up workdays and working days")
            .Reads<CalendarYearView>().Refuses(StatusCodes.Status422UnprocessableEntity)
            .WithDescription("某年度的放假日、调休上班日和全年工作日数");

        group.MapGet("/deadline", async Task<IResult> (DateTimeOffset? from, int? workingDays, CalendarProvider calendars, HttpContext http) =>
        {
            if (workingDays is null or < 0 or > 400)
                return Problems.Problem(400, "calendar.working_days_invalid", "请填写 0 至 400 之间的工作日数（workingDays）。");
            var start = from ?? calendars.Clock.GetUtcNow();
            var calendar = await calendars.GetAsync(http.RequestAborted);
            // Refused only when the count really reaches an unpublished year (issue 16: a late-November start was
            // refused because a fixed margin reached into the next year), and that year is named in the error.
            try
            {
                var deadline = calendar.AddWorkingDays(start, workingDays.Value);
                return Results.Ok(new DeadlineView(start, workingDays.Value, deadline.Day, deadline.EndsAt));
            }
            catch (CalendarYearNotPublishedException missing)
            {
                return Problems.From(missing.Error);
            }
        }).WithName("ComputeDeadline").WithSummary("计算截止日 · The deadline N working days from a moment")
            .Reads<DeadlineView>().Refuses(StatusCodes.Status422UnprocessableEntity)
            .WithDescription("从某一时刻起算 N 个工作日的截止日（当日不计入，截止到最后一个工作日的北京时间 24 时）");

        return staff;
    }
}
