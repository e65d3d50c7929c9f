using System.Globalization;
using System.Text;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Supervision;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

/// <summary>
/// The service reports (issue 8): per centre, department or item over whole months — received, accepted,
/// rejected, decided, on-time rate, average and 90th-percentile working days to decide, overdue, 好差评 — and the
/// quarterly summary for 量化考核; CSV for spreadsheets. Supervisors see their region subtree; department staff
/// see their own department's figures.
/// </summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder supervision)
    {
        supervision.MapGet("/reports", (HttpContext http, NpgsqlDataSource db, string? from, string? to, string? by, string? region, string? centreId, string? departmentId, string? item, string? format) =>
        {
            if (!LedgerEndpoints.TryMonth(from, out var first) || !LedgerEndpoints.TryMonth(to, out var last) || last < first)
                return Task.FromResult(Problems.Problem(400, "report.period_invalid", "请以 yyyy-MM 格式指定起止月份（from、to），且起始月份不晚于截止月份，例如 from=2025-07&to=2025-09。"));
            return SupervisorReportAsync(http, db, first, last, by, region, centreId, departmentId, item, format, $"report-{from}-{to}");
        }).WithTags("Supervision · 统计报表").WithName("GetServiceReport").WithSummary("统计报表 · The service report over whole months, as JSON or CSV")
            .Reads<ServiceReport>().AlsoAs("text/csv", "format=csv：UTF-8（带 BOM）的 CSV 表格 · With format=csv: CSV in UTF-8 with a BOM, for spreadsheets")
            .WithDescription("统计报表（按月汇总）：按中心、部门或事项统计收件、受理、不予受理、办结、按时办结率、平均及90%办结工作日、超期、好差评；format=csv 导出");

        supervision.MapGet("/reports/quarterly", (HttpContext http, NpgsqlDataSource db, string? quarter, string? by, string? region, string? centreId, string? departmentId, string? item, string? format) =>
        {
            if (!TryQuarter(quarter, out var first, out var last))
                return Task.FromResult(Problems.Problem(400, "report.quarter_invalid", "请以 yyyyQn 格式指定季度，例如 quarter=2025Q3。"));
            return SupervisorReportAsync(http, db, first, last, by ?? "centre", region, centreId, departmentId, item, format, $"quarterly-{quarter}");
        }).WithTags("Supervision · 统计报表").WithName("GetQuarterlyReport").WithSummary("季度考核汇总 · The quarterly summary for assessment, as JSON or CSV")
            .Reads<ServiceReport>().AlsoAs("text/csv", "format=csv：UTF-8（带 BOM）的 CSV 表格 · With format=csv: CSV in UTF-8 with a BOM, for spreadsheets")
            .WithDescription("季度量化考核汇总：本人监察范围内按中心（或部门、事项）的季度指标及合计；format=csv 导出");
        return supervision;
    }

    /// <summary>A department's own figures, per item, for its approvers and head.</summary>
    public static RouteGroupBuilder MapDepartmentReports(this RouteGroupBuilder department)
    {
        department.MapGet("/reports/department", async Task<IResult> (HttpContext http, NpgsqlDataSource db, string? from, string? to, string? format) =>
        {
            if (!LedgerEndpoints.TryMonth(from, out var first) || !LedgerEndpoints.TryMonth(to, out var last) || last < first)
                return Problems.Problem(400, "report.period_invalid", "请以 yyyy-MM 格式指定起止月份（from、to），且起始月份不晚于截止月份，例如 from=2025-07&to=2025-09。");
            var mine = http.User.DepartmentId();
            if (string.IsNullOrEmpty(mine))
                return Problems.Problem(403, "report.no_department", "您不属于任何部门，没有部门统计可看。");
            var report = await ServiceReports.QueryAsync(db, new ReportQuery("", first, last, ReportDimension.Item, DepartmentId: mine), http.RequestAborted);
            return format == "csv" ? Csv(report, $"department-{from}-{to}") : Results.Ok(report);
        }).WithTags("Staff · 本部门统计").WithName("GetDepartmentReport").WithSummary("本部门统计 · My department's report per item, as JSON or CSV")
            .Reads<ServiceReport>().AlsoAs("text/csv", "format=csv：UTF-8（带 BOM）的 CSV 表格 · With format=csv: CSV in UTF-8 with a BOM, for spreadsheets")
            .WithDescription("本部门统计：按事项统计收件、受理、办结、按时办结率、办结工作日、好差评；format=csv 导出");
        return department;
    }

    private static async Task<IResult> SupervisorReportAsync(
        HttpContext http, NpgsqlDataSource db, DateOnly first, DateOnly last, string? by, string? region, string? centreId, string? departmentId, string? item, string? format, string fileName)
    {
        ReportDimension? dimension = (by ?? "centre") switch
        {
            "centre" => ReportDimension.Centre,
            "department" => ReportDimension.Department,
            "item" => ReportDimension.Item,
            _ => null,
        };
        if (dimension is null)
            return Problems.Problem(400, "report.by_invalid", "by 只能是 centre（中心）、department（部门）或 item（事项）。");
        var (subtree, denied) = Jurisdiction.Subtree(http, region);
        if (denied is not null)
            return denied;
        var report = await ServiceReports.QueryAsync(db, new ReportQuery(subtree, first, last, dimension.Value, centreId, departmentId, item), http.RequestAborted);
        return format == "csv" ? Csv(report, fileName) : Results.Ok(report);
    }

    private static bool TryQuarter(string? value, out DateOnly first, out DateOnly last)
    {
        first = last = default;
        if (value is not { Length: 6 } || value[4] is not ('Q' or 'q') || !int.TryParse(value[..4], CultureInfo.InvariantCulture, out var year) || value[5] is < '1' or > '4')
            return false;
        first = new DateOnly(year, (value[5] - '1') * 3 + 1, 1);
        last = first.AddMonths(2);
        return true;
    }

    /// <summary>UTF-8 with BOM and Chinese headers, so that spreadsheet programs used in China open it correctly.</summary>
    private static IResult Csv(ServiceReport report, string fileName)
    {
        var text = new StringBuilder("\uFEFF统计对象代码,名称,收件,受理,不予受理,办结,按时办结,超期办结,按时办结率(%),平均办结工作日,90%办结工作日,非常满意,满意,基本满意,不满意,非常不满意,好评率(%)\r\n");
        foreach (var line in report.Lines.Append(report.Total))
        {
            var s = line.Satisfaction;
            text.AppendJoin(',', new object?[]
            {
                line.Key, line.Name, line.Received, line.Accepted, line.Rejected, line.Decided, line.OnTime, line.Overdue, line.OnTimeRate?.ToString("0.0", CultureInfo.InvariantCulture),
                line.AverageWorkingDays?.ToString("0.0", CultureInfo.InvariantCulture), line.P90WorkingDays, s.VerySatisfied, s.Satisfied, s.Basic, s.Dissatisfied, s.VeryDissatisfied,
                line.SatisfactionRate?.ToString("0.0", CultureInfo.InvariantCulture),
            }.Select(v => CaseAuditEndpoints.Csv(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")));
            text.Append("\r\n");
        }
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName + ".csv");
    }
}
