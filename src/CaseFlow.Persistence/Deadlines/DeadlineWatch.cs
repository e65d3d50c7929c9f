using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.Deadlines;

/// <summary>
/// Keeps <c>cf_deadline_watch</c>: for every case whose stream moved since it was last read, the running deadlines
/// (<see cref="DeadlineEngine"/>) with the instants they turn yellow and red under the rules in force. The
/// sweeper then only touches cases with a level due — one indexed query, however many cases are open.
/// </summary>
public sealed class DeadlineWatch(NpgsqlDataSource db, IEventStore store)
{
    public async Task<WarningRuleSet> RulesAsync(CancellationToken ct = default)
    {
        var stream = await store.LoadAsync(WarningRuleSet.StreamId, ct);
        return stream is null ? WarningRuleSet.Kind.Initial : WarningRuleSet.Kind.Fold(stream.Events.Select(e => e.Data));
    }

    /// <summary>Re-reads up to <paramref name="limit"/> changed cases; returns how many.</summary>
    public async Task<int> RefreshAsync(WorkingCalendar calendar, WarningRuleSet rules, DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        var dirty = new List<Guid>();
        // ORDER BY case_id lets the planner walk the small partial index cf_cases_dirty instead of scanning every case.
        await using (var cmd = db.CreateCommand("SELECT case_id FROM cf_cases WHERE version > watched_version ORDER BY case_id LIMIT $1"))
        {
            cmd.Parameters.AddWithValue(limit);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                dirty.Add(reader.GetGuid(0));
        }
        if (dirty.Count == 0)
            return 0;

        var regions = new Dictionary<string, string>();
        await using (var cmd = db.CreateCommand("SELECT centre_code, region_code FROM cf_centres"))
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                regions[reader.GetString(0)] = reader.GetString(1);
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var id in dirty)
        {
            var stream = await store.LoadAsync(id, ct);
            if (stream is null)
                continue;
            var file = CaseFile.Kind.Fold(stream.Events.Select(e => e.Data));
            batch.BatchCommands.Add(Statements.Command("DELETE FROM cf_deadline_watch WHERE case_id = $1", id));
            IReadOnlyList<Deadline> running;
            try
            {
                running = DeadlineEngine.Running(file, calendar, now);
            }
            catch (CalendarYearNotPublishedException)
            {
                running = [];
            }
            foreach (var d in running)
            {
                DateTimeOffset? yellow;
                try
                {
                    yellow = rules.YellowFrom(d, calendar);
                }
                catch (CalendarYearNotPublishedException)
                {
                    yellow = null;
                }
                batch.BatchCommands.Add(Statements.Command(
                    """
                    INSERT INTO cf_deadline_watch (case_id, key, scope, target, centre_id, department_id, holder_id, case_number, item_name, started_at, limit_days,
                        due_day, yellow_at, red_at, raised, provisional, region_code)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                    ON CONFLICT (case_id, key) DO NOTHING
                    """,
                    id, d.Key, d.Scope.ToString(), d.Target, file.CentreId, d.DepartmentId, d.HolderId, file.Number, file.Receipt!.Item.Name, d.StartedAt, d.LimitWorkingDays,
                    d.Due.Day, yellow, d.Due.EndsAt, (int)file.RaisedLevel(d.Key), d.Due.Provisional, regions.GetValueOrDefault(file.CentreId, "")));
            }
            batch.BatchCommands.Add(Statements.Command("UPDATE cf_cases SET watched_version = GREATEST(watched_version, $2) WHERE case_id = $1", id, stream.Version));
        }
        await batch.ExecuteNonQueryAsync(ct);
        return dirty.Count;
    }

    /// <summary>Cases with a deadline whose yellow or red instant has come and whose level is not raised yet.</summary>
    public Task<List<Guid>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct = default) => DueAsync(db, "case", now, limit, ct);

    /// <summary>
    /// The watched subjects (<c>case</c>, <c>complaint</c>) with a deadline whose yellow or red instant has come and whose
    /// level is not raised yet: the one query every watch over <c>cf_deadline_watch</c> asks the sweeper's question with.
    /// </summary>
    public static async Task<List<Guid>> DueAsync(NpgsqlDataSource db, string subject, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT case_id FROM cf_deadline_watch WHERE subject = $3 AND raised < 1 AND yellow_at <= $1
            UNION
            SELECT case_id FROM cf_deadline_watch WHERE subject = $3 AND raised < 2 AND red_at <= $1
            LIMIT $2
            """);
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(limit);
        cmd.Parameters.AddWithValue(subject);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>After the rules or the calendar changed: every case is re-read on the next passes.</summary>
    public async Task InvalidateAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("UPDATE cf_cases SET watched_version = 0 WHERE watched_version > 0");
        await cmd.ExecuteNonQueryAsync(ct);
        // Complaints' answer deadlines are on the same board (issue 17).
        await using var complaints = db.CreateCommand("UPDATE cf_complaints SET watched_version = 0 WHERE watched_version > 0");
        await complaints.ExecuteNonQueryAsync(ct);
    }
}
