using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Calendar;

namespace CaseFlow.Api.Endpoints.Admin;

public sealed record PublishCalendarYearRequest(IReadOnlyList<DateOnly>? Holidays, IReadOnlyList<DateOnly>? MakeUpWorkdays, string? Source);

/// <summary>Administrators publish a year's holiday arrangement (节假日安排); every publication is an audited event.</summary>
public static class CalendarAdminEndpoints
{
    public static RouteGroupBuilder MapCalendarAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPut("/calendar/{year:int}", async (int year, PublishCalendarYearRequest request, HttpContext http, CommandHttp commands, CalendarProvider calendars, CaseFlow.Persistence.Deadlines.DeadlineWatch watch) =>
        {
            var arrangement = new HolidayArrangement(year, request.Holidays ?? [], request.MakeUpWorkdays ?? [], request.Source ?? "");
            var result = await commands.ExecuteAsync(http, "PublishHolidayArrangement", CalendarYear.Kind, CalendarYear.StreamId(year), request,
                $"/api/calendar/{year}", (state, actor, now) => CalendarYear.Decide(new PublishHolidayArrangement(arrangement), state, actor, now));
            calendars.Invalidate();
            // Every open case's deadlines are counted again on the next sweeper pass, which reads the calendar afresh
            // on whichever node sweeps (issue 16: provisional deadlines on the board stayed stale).
            if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
                await watch.InvalidateAsync(http.RequestAborted);
            return result;
        }).WithTags("Admin · 工作日历").WithName("PublishHolidayArrangement").WithSummary("发布节假日安排 · Publish or correct a year's holiday arrangement")
            .Command(CommandAnswer.CreatedOrUpdated)
            .WithDescription("发布或更正某年度节假日安排（放假日、调休上班日、依据文号）；校验后记为审计事件；在办件的期限按新安排重新计算");
        return admin;
    }
}
