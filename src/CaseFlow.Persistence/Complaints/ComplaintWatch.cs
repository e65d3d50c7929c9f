using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Complaints;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Persistence.Deadlines;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.Complaints;

/// <summary>
/// A complaint's answer deadline on the board (issue 17): complaints whose stream moved since they were last read
/// get their row in <c>cf_deadline_watch</c> (subject <c>complaint</c>, scope <c>Complaint</c>) with the instants it
/// turns yellow and red under the rules in force — the same table, the same board query and the same lights as
/// every case deadline. An answered complaint's row is removed.
/// </summary>
public sealed class ComplaintWatch(NpgsqlDataSource db, IEventStore store)
{
    public async Task<int> RefreshAsync(WorkingCalendar calendar, WarningRuleSet rules, int limit, CancellationToken ct = default)
    {
        var dirty = new List<Guid>();
        await using (var cmd = db.CreateCommand("SELECT complaint_id FROM cf_complaints WHERE version > watched_version ORDER BY complaint_id LIMIT $1"))
        {
            cmd.Parameters.AddWithValue(limit);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                dirty.Add(reader.GetGuid(0));
        }
        if (dirty.Count == 0)
            return 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var id in dirty)
        {
            var stream = await store.LoadAsync(id, ct);
            if (stream is null || stream.Kind != Complaint.Kind.Name)
                continue;
            var complaint = Complaint.Kind.Fold(stream.Events.Select(e => e.Data));
            batch.BatchCommands.Add(Statements.Command("DELETE FROM cf_deadline_watch WHERE case_id = $1", id));
            if (complaint.AnswerDeadline() is { } d)
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
                        due_day, yellow_at, red_at, raised, provisional, region_code, subject)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'complaint')
                    ON CONFLICT (case_id, key) DO NOTHING
                    """,
                    id, d.Key, d.Scope.ToString(), d.Target, complaint.CentreId, d.DepartmentId, d.HolderId, $"投诉举报：{complaint.TargetName}", d.StartedAt,
                    d.LimitWorkingDays, d.Due.Day, yellow, d.Due.EndsAt, (int)complaint.Raised, d.Due.Provisional, complaint.RegionCode));
            }
            batch.BatchCommands.Add(Statements.Command("UPDATE cf_complaints SET watched_version = GREATEST(watched_version, $2) WHERE complaint_id = $1", id, stream.Version));
        }
        await batch.ExecuteNonQueryAsync(ct);
        return dirty.Count;
    }

    /// <summary>Complaints with a level due and not raised.</summary>
    public Task<List<Guid>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        DeadlineWatch.DueAsync(db, "complaint", now, limit, ct);
}
