using CaseFlow.Domain.Calendar;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;
using Npgsql;

namespace CaseFlow.Persistence.Calendar;

/// <summary>Inline: the arrangement in force for each published year.</summary>
public sealed class CalendarYearsProjection : IProjection
{
    public const string Table = "cf_calendar_years";

    public string Name => "calendar_years";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        if (e.Data is HolidayArrangementPublished p)
        {
            var t = w.Table(Table);
            w.Execute(
                $"""
                INSERT INTO {t} (year, holidays, make_up_workdays, source, published_by, published_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, make_up_workdays = EXCLUDED.make_up_workdays, source = EXCLUDED.source,
                    published_by = EXCLUDED.published_by, published_at = EXCLUDED.published_at, version = EXCLUDED.version
                """,
                p.Year, p.Holidays.ToArray(), p.MakeUpWorkdays.ToArray(), p.Source, p.PublishedByName, p.PublishedAt, e.Version);
        }
    }

    /// <summary>The working calendar in force: the shipped years, with published years added or replacing them.</summary>
    public static async Task<WorkingCalendar> LoadAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        var published = new List<HolidayArrangement>();
        await using var cmd = db.CreateCommand($"SELECT year, holidays, make_up_workdays, source FROM {Table}");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            published.Add(new HolidayArrangement(reader.GetInt32(0), reader.GetFieldValue<DateOnly[]>(1), reader.GetFieldValue<DateOnly[]>(2), reader.GetString(3)));
        return new WorkingCalendar([.. OfficialArrangements.All, .. published]);
    }
}
