using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.Deadlines;

public sealed record BoardFilter(
    string RegionPrefix, string? CentreId, string? DepartmentId, string? HolderId, string? Scope, string? Level, bool Descending,
    bool AtRiskOnly = false, string? Item = null, DateTimeOffset? StartedFrom = null, DateTimeOffset? StartedTo = null);

/// <summary>Where a board row sorts: its red instant, then the deadline's identity (case, watch key) — unique.</summary>
public sealed record BoardKey(DateTimeOffset RedAt, Guid CaseId, string Key);

public sealed record BoardRow(
    Guid CaseId, string? CaseNumber, string ItemName, DeadlineScope Scope, string Target, WarningLevel Level, DateOnly DueOn, int RemainingWorkingDays,
    string CentreId, string? DepartmentId, string? HolderId, bool Provisional);

public sealed record BoardCounts(int Green, int Yellow, int Red);

/// <summary>The counts per level under the filter, and up to <c>limit</c> rows after the key asked for, each with its key.</summary>
public sealed record BoardRows(BoardCounts Counts, IReadOnlyList<(BoardRow Row, BoardKey Key)> Rows)
{
    /// <summary>How many rows the filter holds, level included: the counts, already read.</summary>
    public long TotalFor(string? level) => level switch
    {
        "Green" => Counts.Green,
        "Yellow" => Counts.Yellow,
        "Red" => Counts.Red,
        _ => (long)Counts.Green + Counts.Yellow + Counts.Red,
    };
}

/// <summary>
/// 时限预警看板 over <c>cf_deadline_watch</c>: levels as of now (red when the deadline has ended, yellow from the
/// rule's yellow instant), counts and one page of rows, for a region subtree and optionally a centre,
/// department, person or scope. One round trip; indexes on centre, department, holder and red instant. Pages are
/// keyset pages on (red instant, case, key) in the board's direction (the list convention, issue 16).
/// </summary>
public static class TimeLimitBoard
{
    private const string Level = "CASE WHEN w.red_at <= $1 THEN 'Red' WHEN w.yellow_at <= $1 THEN 'Yellow' ELSE 'Green' END";

    private const string Filter =
        """
        FROM cf_deadline_watch w
        WHERE w.region_code LIKE $2 AND ($3::text IS NULL OR w.centre_id = $3) AND ($4::text IS NULL OR w.department_id = $4)
          AND ($5::text IS NULL OR w.holder_id = $5) AND ($6::text IS NULL OR w.scope = $6)
          AND (NOT $10 OR w.yellow_at <= $1 OR w.red_at <= $1) AND ($11::text IS NULL OR w.item_name LIKE '%' || $11 || '%')
          AND ($12::timestamptz IS NULL OR w.started_at >= $12::timestamptz) AND ($13::timestamptz IS NULL OR w.started_at < $13::timestamptz)
        """;

    public static async Task<BoardRows> QueryAsync(NpgsqlDataSource db, WorkingCalendar calendar, BoardFilter f, DateTimeOffset now, int limit, BoardKey? after = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        object?[] args = [now, f.RegionPrefix + "%", f.CentreId, f.DepartmentId, f.HolderId, f.Scope, f.Level, limit, after is null,
            f.AtRiskOnly, f.Item, f.StartedFrom, f.StartedTo, after?.RedAt ?? now, after?.CaseId ?? Guid.Empty, after?.Key ?? ""];
        batch.BatchCommands.Add(Statements.Command(
            $"SELECT count(*) FILTER (WHERE w.red_at > $1 AND (w.yellow_at IS NULL OR w.yellow_at > $1)), count(*) FILTER (WHERE w.red_at > $1 AND w.yellow_at <= $1), count(*) FILTER (WHERE w.red_at <= $1) {Filter}",
            args));
        batch.BatchCommands.Add(Statements.Command(
            $"""
            SELECT w.case_id, w.case_number, w.item_name, w.scope, w.target, {Level}, w.due_day, w.red_at, w.centre_id, w.department_id, w.holder_id, w.provisional, w.key
            {Filter} AND ($7::text IS NULL OR {Level} = $7)
              AND ($9 OR (w.red_at, w.case_id, w.key) {(f.Descending ? "<" : ">")} ($14, $15, $16))
            ORDER BY {(f.Descending ? "w.red_at DESC, w.case_id DESC, w.key DESC" : "w.red_at, w.case_id, w.key")}
            LIMIT $8
            """,
            args));
        foreach (var command in batch.BatchCommands)
        {
            foreach (NpgsqlParameter p in command.Parameters)
            {
                if (p.Value is DBNull && p.NpgsqlDbType == NpgsqlTypes.NpgsqlDbType.Unknown)
                    p.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            }
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var counts = new BoardCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
        await reader.NextResultAsync(ct);
        var rows = new List<(BoardRow, BoardKey)>();
        while (await reader.ReadAsync(ct))
        {
            var redAt = reader.GetFieldValue<DateTimeOffset>(7);
            int remaining;
            try
            {
                remaining = calendar.WorkingDaysLeft(now, redAt);
            }
            catch (CalendarYearNotPublishedException)
            {
                remaining = 0;
            }
            rows.Add((new BoardRow(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), Enum.Parse<DeadlineScope>(reader.GetString(3)), reader.GetString(4),
                Enum.Parse<WarningLevel>(reader.GetString(5)), reader.GetFieldValue<DateOnly>(6), remaining, reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetBoolean(11)), new BoardKey(redAt, reader.GetGuid(0), reader.GetString(12))));
        }
        return new BoardRows(counts, rows);
    }

    /// <summary>The region code's prefix that its subtree shares (GB/T 2260 12-digit: 2 province, 2 city, 2 county, 3 township, 3 village).</summary>
    public static string Prefix(string region) => CaseFlow.Domain.Common.Jurisdiction.Subtree(region);
}
