using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Persistence.Supervision;

/// <summary>What a report is broken down by.</summary>
public enum ReportDimension
{
    Centre,
    Department,
    Item,
}

/// <summary>A report over whole months <see cref="From"/>…<see cref="To"/> of a region subtree (GB/T 2260 prefix), optionally narrowed.</summary>
public sealed record ReportQuery(string RegionPrefix, DateOnly From, DateOnly To, ReportDimension By, string? CentreId = null, string? DepartmentId = null, string? ItemCode = null);

/// <summary>好差评 counts by level (the meaning, not a score).</summary>
public sealed record SatisfactionCounts(int VerySatisfied, int Satisfied, int Basic, int Dissatisfied, int VeryDissatisfied)
{
    public int Total => VerySatisfied + Satisfied + Basic + Dissatisfied + VeryDissatisfied;
}

/// <summary>
/// One line of a report. Rates are percentages with one decimal; the average and the 90th percentile are over
/// decisions whose working days are known, and null when there are none.
/// </summary>
public sealed record ReportLine(
    string Key, string Name, int Received, int Accepted, int Rejected, int Decided, int OnTime, int Overdue, decimal? OnTimeRate,
    double? AverageWorkingDays, int? P90WorkingDays, SatisfactionCounts Satisfaction, decimal? SatisfactionRate);

public sealed record ServiceReport(string From, string To, string By, IReadOnlyList<ReportLine> Lines, ReportLine Total);

/// <summary>Reads the pre-aggregated monthly rows of <see cref="ServiceReportProjection"/> (index on region prefix and month).</summary>
public static class ServiceReports
{
    public static async Task<ServiceReport> QueryAsync(NpgsqlDataSource db, ReportQuery q, CancellationToken ct = default)
    {
        var (key, name, join) = q.By switch
        {
            ReportDimension.Centre => ("r.centre_id", "max(ce.name)", "LEFT JOIN cf_centres ce ON ce.centre_code = r.centre_id"),
            ReportDimension.Department => ("r.department_id", "max(dn.name)",
                "LEFT JOIN LATERAL (SELECT d.name FROM cf_departments d WHERE d.department_id = r.department_id LIMIT 1) dn ON true"),
            _ => ("r.item_code", "max(r.item_name)", ""),
        };
        // The histogram is summed bucket by bucket with plain sum() (much faster than an array-adding aggregate).
        var histogram = string.Join(", ", Enumerable.Range(1, ServiceReportProjection.HistogramBuckets).Select(i => $"sum(r.decide_hist[{i}])"));
        await using var cmd = db.CreateCommand(
            $"""
            SELECT {key}, coalesce({name}, {key}), sum(r.received)::int, sum(r.accepted)::int, sum(r.rejected)::int, sum(r.decided)::int,
                   sum(r.on_time)::int, sum(r.overdue)::int, sum(r.timed)::int, sum(r.decide_days)::bigint, ARRAY[{histogram}]::int[],
                   sum(r.rated_very_satisfied)::int, sum(r.rated_satisfied)::int, sum(r.rated_basic)::int, sum(r.rated_dissatisfied)::int, sum(r.rated_very_dissatisfied)::int
            FROM cf_report_monthly r {join}
            WHERE r.region_code LIKE $1 AND r.month >= $2 AND r.month <= $3
              AND ($4::text IS NULL OR r.centre_id = $4) AND ($5::text IS NULL OR r.department_id = $5) AND ($6::text IS NULL OR r.item_code = $6)
            GROUP BY {key} ORDER BY {key}
            """);
        cmd.Parameters.AddWithValue(q.RegionPrefix + "%");
        cmd.Parameters.AddWithValue(new DateOnly(q.From.Year, q.From.Month, 1));
        cmd.Parameters.AddWithValue(new DateOnly(q.To.Year, q.To.Month, 1));
        foreach (var v in new[] { q.CentreId, q.DepartmentId, q.ItemCode })
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var raw = new List<Raw>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                raw.Add(new Raw(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                    reader.GetInt32(7), reader.GetInt32(8), reader.GetInt64(9), reader.GetFieldValue<int[]>(10),
                    new SatisfactionCounts(reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15))));
            }
        }
        var total = raw.Aggregate(new Raw("", "合计", 0, 0, 0, 0, 0, 0, 0, 0, new int[ServiceReportProjection.HistogramBuckets], new SatisfactionCounts(0, 0, 0, 0, 0)), (a, b) => a.Plus(b));
        return new ServiceReport(q.From.ToString("yyyy-MM"), q.To.ToString("yyyy-MM"), q.By.ToString(), raw.Select(r => r.Line()).ToList(), total.Line());
    }

    private sealed record Raw(string Key, string Name, int Received, int Accepted, int Rejected, int Decided, int OnTime, int Overdue, int Timed, long Days, int[] Histogram, SatisfactionCounts Satisfaction)
    {
        public Raw Plus(Raw o) => this with
        {
            Received = Received + o.Received, Accepted = Accepted + o.Accepted, Rejected = Rejected + o.Rejected, Decided = Decided + o.Decided,
            OnTime = OnTime + o.OnTime, Overdue = Overdue + o.Overdue, Timed = Timed + o.Timed, Days = Days + o.Days,
            Histogram = Histogram.Zip(o.Histogram, (x, y) => x + y).ToArray(),
            Satisfaction = new SatisfactionCounts(Satisfaction.VerySatisfied + o.Satisfaction.VerySatisfied, Satisfaction.Satisfied + o.Satisfaction.Satisfied,
                Satisfaction.Basic + o.Satisfaction.Basic, Satisfaction.Dissatisfied + o.Satisfaction.Dissatisfied, Satisfaction.VeryDissatisfied + o.Satisfaction.VeryDissatisfied),
        };

        public ReportLine Line() => new(Key, Name, Received, Accepted, Rejected, Decided, OnTime, Overdue, Percent(OnTime, Decided),
            Timed == 0 ? null : Math.Round((double)Days / Timed, 1), Percentile(Histogram, Timed, 0.9), Satisfaction,
            // 好评率: 非常满意, 满意 and 基本满意 are 好评, 不满意 and 非常不满意 差评 (国办发〔2019〕51号).
            Percent(Satisfaction.VerySatisfied + Satisfaction.Satisfied + Satisfaction.Basic, Satisfaction.Total));
    }

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1);

    /// <summary>The smallest number of working days within which at least <paramref name="p"/> of the decisions were made.</summary>
    public static int? Percentile(int[] histogram, int count, double p)
    {
        if (count == 0)
            return null;
        var needed = (int)Math.Ceiling(p * count);
        var seen = 0;
        for (var days = 0; days < histogram.Length; days++)
        {
            seen += histogram[days];
            if (seen >= needed)
                return days;
        }
        return histogram.Length - 1;
    }
}
