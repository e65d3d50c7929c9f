using CaseFlow.Domain.Calendar;
using Npgsql;

namespace CaseFlow.Persistence.Calendar;

/// <summary>
/// The working calendar in force, cached: shipped years plus those administrators published. Reloaded after a
/// publication on this host and at most a minute after one on another host. Every command, view and sweeper pass
/// reads it from here, never from the database each time.
/// </summary>
public sealed class CalendarProvider(NpgsqlDataSource db, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private (WorkingCalendar Published, WorkingCalendar ForDeadlines, int LastYear, DateTimeOffset LoadedAt)? _cached;

    public TimeProvider Clock => clock;

    /// <summary>The published years only (calendar pages, the administrator).</summary>
    public async Task<WorkingCalendar> GetAsync(CancellationToken ct = default) => (await LoadAsync(ct)).Published;

    /// <summary>
    /// What case deadlines are counted with: the published years and provisional ones through next year
    /// (<see cref="WorkingCalendar.WithProvisionalYearsThrough"/>), so that acceptance never stops at a year end.
    /// </summary>
    public async Task<WorkingCalendar> ForDeadlinesAsync(CancellationToken ct = default) => (await LoadAsync(ct)).ForDeadlines;

    public void Invalidate() => _cached = null;

    private async Task<(WorkingCalendar Published, WorkingCalendar ForDeadlines, int LastYear, DateTimeOffset LoadedAt)> LoadAsync(CancellationToken ct)
    {
        // The cache's age is wall-clock time (how stale the data may be), not the domain's clock.
        var now = TimeProvider.System.GetUtcNow();
        var lastYear = WorkingCalendar.BeijingDate(clock.GetUtcNow()).Year + 1;
        if (_cached is { } c && now - c.LoadedAt < MaxAge && c.LastYear == lastYear)
            return c;
        var published = await CalendarYearsProjection.LoadAsync(db, ct);
        var loaded = (published, published.WithProvisionalYearsThrough(lastYear), lastYear, now);
        _cached = loaded;
        return loaded;
    }
}
