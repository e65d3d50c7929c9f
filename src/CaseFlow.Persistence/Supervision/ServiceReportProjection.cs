using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Handover;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Supervision;

/// <summary>
/// Async: the service reports (issue 8), pre-aggregated per month (Beijing time), centre, department and item:
/// received, accepted, rejected, decided on time or late, the working days decisions took (sum and histogram,
/// for the average and the 90th percentile), and the 好差评 distribution. Each figure counts in the month its
/// event happened. The case's dimensions are remembered at receipt in <c>cf_report_cases</c>, so the projection
/// needs no other table and a rebuild gives the same rows.
/// </summary>
public sealed class ServiceReportProjection : IProjection
{
    public const string Table = "cf_report_monthly";
    public const string Cases = "cf_report_cases";
    public const int HistogramBuckets = 61;

    public string Name => "service_reports";

    public IReadOnlyList<string> Tables => [Cases, Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        switch (e.Data)
        {
            case CaseReceived r:
                w.Execute(
                    $"""
                    INSERT INTO {w.Table(Cases)} (case_id, region_code, centre_id, department_id, item_code, item_name)
                    VALUES ($1, coalesce((SELECT region_code FROM cf_centres WHERE centre_code = $2), ''), $2, $3, $4, $5)
                    ON CONFLICT (case_id) DO NOTHING
                    """,
                    r.CaseId, r.CentreId, CaseFile.DepartmentOf(r.Item), r.Item.ImplementationCode, r.Item.Name);
                Bump(w, r.CaseId, r.ReceivedAt, [("received", "1")]);
                break;
            case CaseAccepted a:
                Bump(w, a.CaseId, a.AcceptedAt, [("accepted", "1")]);
                break;
            case CaseAcceptedWithDeficiency a:
                Bump(w, a.CaseId, a.AcceptedAt, [("accepted", "1")]);
                break;
            case CaseDeemedAccepted d:
                Bump(w, d.CaseId, d.RecordedAt, [("accepted", "1")]);
                break;
            case CaseRejected x:
                Bump(w, x.CaseId, x.RejectedAt, [("rejected", "1")]);
                break;
            case CaseCompletedOnTheSpot c:
                // 即办件: accepted and decided in the same visit, in no working days.
                Decided(w, c.CaseId, c.CompletedAt, overdue: false, workingDays: 0, accepted: true);
                break;
            case CaseDecided d:
                Decided(w, d.CaseId, d.DecidedAt, d.Overdue, d.WorkingDaysUsed, accepted: false);
                break;
            case ServiceRated x:
                Rated(w, x.CaseId, x.RatedAt, x.Level);
                break;
            case DefaultRatingRecorded x:
                Rated(w, x.CaseId, x.RecordedAt, x.Level);
                break;
            case RatingVoided x:
                // The voided rating leaves the month it was counted in.
                Upsert(w, "c.rated_month", Levels.Select(l => (Column(l), $"CASE WHEN c.rated_level = '{l}' THEN -1 ELSE 0 END")).ToArray(),
                    "c.rated_month IS NOT NULL", [x.CaseId]);
                w.Execute($"UPDATE {w.Table(Cases)} SET rated_month = NULL, rated_level = NULL WHERE case_id = $1", x.CaseId);
                break;
        }
    }

    private static readonly RatingLevel[] Levels = Enum.GetValues<RatingLevel>();

    public static string Column(RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied => "rated_very_satisfied",
        RatingLevel.Satisfied => "rated_satisfied",
        RatingLevel.Basic => "rated_basic",
        RatingLevel.Dissatisfied => "rated_dissatisfied",
        _ => "rated_very_dissatisfied",
    };

    private static DateOnly Month(DateTimeOffset at) => Domain.Calendar.WorkingCalendar.BeijingMonth(at);

    private static void Decided(ProjectionWriter w, Guid caseId, DateTimeOffset at, bool overdue, int? workingDays, bool accepted)
    {
        (string, string)[] bumps =
        [
            ("decided", "1"), ("on_time", overdue ? "0" : "1"), ("overdue", overdue ? "1" : "0"),
            ("timed", "($3::int IS NOT NULL)::int"), ("decide_days", "coalesce($3::int, 0)"),
            ("decide_hist", $"CASE WHEN $3::int IS NULL THEN array_fill(0, ARRAY[{HistogramBuckets}]) " +
                $"ELSE (SELECT array_agg(CASE WHEN i = least($3::int, {HistogramBuckets - 1}) + 1 THEN 1 ELSE 0 END ORDER BY i) FROM generate_series(1, {HistogramBuckets}) i) END"),
        ];
        Upsert(w, "$2", accepted ? [.. bumps, ("accepted", "1")] : bumps, null, [caseId, Month(at), workingDays]);
    }

    private static void Rated(ProjectionWriter w, Guid caseId, DateTimeOffset at, RatingLevel level)
    {
        Bump(w, caseId, at, [(Column(level), "1")]);
        w.Execute($"UPDATE {w.Table(Cases)} SET rated_month = $2, rated_level = $3 WHERE case_id = $1", caseId, Month(at), level.ToString());
    }

    private static void Bump(ProjectionWriter w, Guid caseId, DateTimeOffset at, (string Column, string Value)[] bumps) =>
        Upsert(w, "$2", bumps, null, [caseId, Month(at)]);

    /// <summary>Adds to the case's row of a month (created at zero); the case is <c>$1</c>, its dimensions are <c>c</c>.</summary>
    private static void Upsert(ProjectionWriter w, string month, (string Column, string Value)[] bumps, string? where, object?[] args)
    {
        var t = w.Table(Table);
        var columns = string.Join(", ", bumps.Select(b => b.Column));
        var values = string.Join(", ", bumps.Select(b => b.Value));
        var updates = string.Join(", ", bumps.Select(b => b.Column == "decide_hist"
            ? $"decide_hist = cf_add_int_arrays({t}.decide_hist, EXCLUDED.decide_hist)"
            : $"{b.Column} = {t}.{b.Column} + EXCLUDED.{b.Column}"));
        w.Execute(
            $"INSERT INTO {t} (month, centre_id, department_id, item_code, region_code, item_name, {columns}) " +
            $"SELECT {month}, c.centre_id, c.department_id, c.item_code, c.region_code, c.item_name, {values} FROM {w.Table(Cases)} c " +
            $"WHERE c.case_id = $1{(where is null ? "" : " AND " + where)} " +
            $"ON CONFLICT (month, centre_id, department_id, item_code) DO UPDATE SET {updates}",
            args);
    }
}
