using System.Text;

namespace CaseFlow.Api.Tests;

/// <summary>Issue 16: the overdue CSV streams every row (it silently stopped at 10,000).</summary>
public sealed class OverdueExportTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_overdue_csv_has_every_row_beyond_ten_thousand()
    {
        // 10,001 red deadlines in 瑞金's subtree, as the sweeper's deadline watch holds them.
        await using (var insert = api.Db.DataSource.CreateCommand(
            """
            INSERT INTO cf_deadline_watch (case_id, key, scope, target, centre_id, department_id, holder_id, case_number, item_name, started_at, limit_days,
                                           due_day, yellow_at, red_at, raised, provisional, region_code)
            SELECT gen_random_uuid(), 'Case:case', 'Case', 'case', 'centre-360781', 'dept-360781-rsj', NULL, '360781-20250901-' || lpad(n::text, 5, '0'), '城乡居民基本养老保险待遇申领',
                   timestamptz '2025-09-01 10:00+08', 10, date '2025-09-15', timestamptz '2025-09-12 00:00+08', timestamptz '2025-09-16 00:00+08', 2, false, '360781000000'
            FROM generate_series(1, 10001) n
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }
        api.Clock.Set(DateTimeOffset.Parse("2025-10-01T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

        var response = await api.As("supervisor-rj-1").GetAsync(new Uri("/api/supervision/overdue?format=csv", UriKind.Relative));
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10_001, lines.Length - 1);
        Assert.Equal(10_001, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count()); // each once, none lost between pages
        Assert.All(lines.Skip(1), l => Assert.Contains("红灯", l));
    }
}
