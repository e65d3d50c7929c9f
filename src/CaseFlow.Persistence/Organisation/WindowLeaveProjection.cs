using CaseFlow.Domain.Organisation;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;
using Npgsql;

namespace CaseFlow.Persistence.Organisation;

/// <summary>Inline: one row per temporary leave from a window (去向留言, issue 17); the open one is the window's public status.</summary>
public sealed class WindowLeaveProjection : IProjection
{
    public const string Table = "cf_window_leaves";

    public string Name => "window_leaves";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        switch (e.Data)
        {
            case LeftWindow l:
                w.Execute(
                    $"""
                    INSERT INTO {t} (leave_id, stream_id, staff_id, staff_name, centre_id, window_id, reason, contact, expected_return_at, stand_in_id, stand_in_name, left_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                    """,
                    l.LeaveId, e.StreamId, l.StaffId, l.StaffName, l.CentreId, l.WindowId, l.Reason, l.Contact, l.ExpectedReturnAt, l.StandInId, l.StandInName, l.LeftAt);
                break;
            case ReturnedToWindow r:
                w.Execute($"UPDATE {t} SET returned_at = $2 WHERE leave_id = $1", r.LeaveId, r.ReturnedAt);
                break;
            case WindowReturnOverdue o:
                w.Execute($"UPDATE {t} SET flagged = true WHERE leave_id = $1", o.LeaveId);
                break;
        }
    }

    /// <summary>The clerks' streams with an open leave past its expected return and not yet flagged (the sweeper's question).</summary>
    public static async Task<List<Guid>> OverdueAsync(NpgsqlDataSource db, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT stream_id FROM cf_window_leaves WHERE returned_at IS NULL AND NOT flagged AND expected_return_at <= $1 ORDER BY expected_return_at LIMIT $2");
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(limit);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}

/// <summary>
/// The other holder of the clerk's AB post is told that they cover the window (AB岗, DOMAIN.md §6); an overdue return
/// is flagged to the supervisor. Through Wolverine's outbox like every staff notification.
/// </summary>
public sealed class WindowLeaveNotifications : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        switch (e.Data)
        {
            case LeftWindow { StandInId: { Length: > 0 } standIn } l:
                yield return OutboxMessage.For(e, OutboxMessage.Kinds.Staff, standIn, "window_cover_requested", new Dictionary<string, string>
                {
                    ["windowId"] = l.WindowId, ["windowNumber"] = l.WindowNumber, ["from"] = l.StaffName, ["reason"] = l.Reason,
                    ["expectedReturnAt"] = l.ExpectedReturnAt.ToOffset(Domain.Calendar.WorkingCalendar.Beijing).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                });
                break;
            case WindowReturnOverdue { SupervisorId: { Length: > 0 } supervisor } o:
                yield return OutboxMessage.For(e, OutboxMessage.Kinds.Staff, supervisor, "window_return_overdue", new Dictionary<string, string>
                {
                    ["windowId"] = o.WindowId, ["staffId"] = o.StaffId, ["staffName"] = o.StaffName,
                    ["expectedReturnAt"] = o.ExpectedReturnAt.ToOffset(Domain.Calendar.WorkingCalendar.Beijing).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                });
                break;
        }
    }
}
