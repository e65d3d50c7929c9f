using CaseFlow.Domain.Calendar;
using CaseFlow.Persistence.Calendar;
using Npgsql;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// The working calendar in force, cached: shipped years plus those administrators published. Reloaded after a
/// publication on this host and at most a minute after one on another host.
/// </summary>
public sealed class CalendarProvider(NpgsqlDataSource db, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private (WorkingCalendar Calendar, DateTimeOffset LoadedAt)? _cached;

    public async Task<WorkingCalendar> GetAsync(CancellationToken ct = default)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (_cached is { } c && now - c.LoadedAt < MaxAge)
            return c.Calendar;
        var calendar = await CalendarYearsProjection.LoadAsync(db, ct);
        _cached = (calendar, now);
        return calendar;
    }

    public void Invalidate() => _cached = null;

    public TimeProvider Clock => clock;
}
