using CaseFlow.Domain.Appointments;
using Npgsql;

namespace CaseFlow.Persistence.Appointments;

/// <summary>What the appointment commands read before they decide: the centre's items, slots, windows and staff.</summary>
public sealed class AppointmentDesk(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<BookableItem>> ItemsAsync(string centreId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT item_code, item_name, checklist FROM cf_appointment_items WHERE centre_id = $1 ORDER BY item_code");
        cmd.Parameters.AddWithValue(centreId);
        var items = new List<BookableItem>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new BookableItem(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        return items;
    }

    /// <summary>A slot by id, or — when the applicant names a time — the published slot of the centre starting then (at the window named, else the one with most room).</summary>
    public async Task<SlotOnFile?> SlotAsync(Guid? slotId, string? centreId, DateTimeOffset? startsAt, string? windowId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT slot_id, centre_id, window_id, day, starts_at, ends_at, kind, capacity, booked FROM cf_appointment_slots
            WHERE ($1::uuid IS NOT NULL AND slot_id = $1)
               OR ($1::uuid IS NULL AND centre_id = $2 AND starts_at = $3 AND ($4::text IS NULL OR window_id = $4))
            ORDER BY capacity - booked DESC, slot_id LIMIT 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)slotId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)centreId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)startsAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)windowId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var starts = reader.GetFieldValue<DateTimeOffset>(4).ToOffset(Domain.Calendar.WorkingCalendar.Beijing);
        var ends = reader.GetFieldValue<DateTimeOffset>(5).ToOffset(Domain.Calendar.WorkingCalendar.Beijing);
        return new SlotOnFile(
            new SlotDefinition(reader.GetGuid(0), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), TimeOnly.FromDateTime(starts.DateTime), TimeOnly.FromDateTime(ends.DateTime),
                Enum.Parse<SlotKind>(reader.GetString(6)), reader.GetInt32(7)),
            reader.GetString(1), reader.GetInt32(8));
    }

    /// <summary>The applicant's open bookings at the centre that day (one is the most the decider allows).</summary>
    public async Task<int> OpenBookingsAsync(string centreId, DateOnly day, string idNumber, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM cf_appointments WHERE centre_id = $1 AND day = $2 AND id_number = $3 AND status = 'Booked'");
        cmd.Parameters.AddWithValue(centreId);
        cmd.Parameters.AddWithValue(day);
        cmd.Parameters.AddWithValue(idNumber.Trim().ToUpperInvariant());
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The next booking number of the centre for the slot's day: <c>YY-361130100-20250929-0001</c>. Never reused; a booking refused at commit leaves a gap.</summary>
    public async Task<string> NextNumberAsync(string centreId, DateOnly day, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO cf_appointment_numbers (centre_id, day, last) VALUES ($1, $2, 1) ON CONFLICT (centre_id, day) DO UPDATE SET last = cf_appointment_numbers.last + 1 RETURNING last");
        cmd.Parameters.AddWithValue(centreId);
        cmd.Parameters.AddWithValue(day);
        var n = (int)(await cmd.ExecuteScalarAsync(ct))!;
        var code = centreId.StartsWith("centre-", StringComparison.Ordinal) ? centreId["centre-".Length..] : centreId;
        return $"YY-{code}-{day:yyyyMMdd}-{n:0000}";
    }

    /// <summary>A centre's region code and its windows; null when there is no such centre.</summary>
    public async Task<(string RegionCode, IReadOnlySet<string> Windows)?> CentreAsync(string centreId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT c.region_code, coalesce(array_agg(w.window_id) FILTER (WHERE w.window_id IS NOT NULL), '{}') FROM cf_centres c LEFT JOIN cf_windows w ON w.centre_id = c.centre_id WHERE c.centre_code = $1 GROUP BY c.region_code");
        cmd.Parameters.AddWithValue(centreId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (reader.GetString(0), new HashSet<string>(reader.GetFieldValue<string[]>(1)));
    }

    /// <summary>The registered staff of a centre, id → name (who may be named as having gone to a home receipt).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CentreStaffAsync(string centreId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT staff_id, name FROM cf_staff WHERE centre_id = $1");
        cmd.Parameters.AddWithValue(centreId);
        var staff = new Dictionary<string, string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            staff[reader.GetString(0)] = reader.GetString(1);
        return staff;
    }

    /// <summary>Bookings due a reminder, and bookings whose slot has ended without the applicant.</summary>
    public async Task<(List<Guid> Reminders, List<Guid> NoShows)> DueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var reminders = new List<Guid>();
        var noShows = new List<Guid>();
        await using var batch = db.CreateBatch();
        var remind = new NpgsqlBatchCommand("SELECT appointment_id FROM cf_appointments WHERE status = 'Booked' AND NOT reminded AND remind_at <= $1 AND starts_at > $1 AND booked_at < remind_at LIMIT 1000");
        remind.Parameters.AddWithValue(now);
        var noShow = new NpgsqlBatchCommand("SELECT appointment_id FROM cf_appointments WHERE status = 'Booked' AND ends_at <= $1 LIMIT 1000");
        noShow.Parameters.AddWithValue(now);
        batch.BatchCommands.Add(remind);
        batch.BatchCommands.Add(noShow);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            reminders.Add(reader.GetGuid(0));
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
            noShows.Add(reader.GetGuid(0));
        return (reminders, noShows);
    }
}
