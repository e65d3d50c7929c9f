using CaseFlow.Domain.Common;
using Npgsql;

namespace CaseFlow.Persistence.Organisation;

/// <summary>Questions about the organisation that complaints and whereabouts ask (issue 17), over the inline tables.</summary>
public static class OrganisationLookups
{
    /// <summary>
    /// The supervisor (电子监察) a centre's complaints and overdue returns go to: of the registered supervisors whose
    /// centre's region subtree contains the centre's region, the nearest (the deepest region), then by staff id. Null when none.
    /// </summary>
    public static async Task<(string Id, string Name)?> NearestSupervisorAsync(NpgsqlDataSource db, string centreRegion, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT s.staff_id, s.name, c.region_code FROM cf_staff s JOIN cf_centres c ON c.centre_code = s.centre_id WHERE s.role = 'Supervisor' ORDER BY s.staff_id");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        (string Id, string Name, int Depth)? best = null;
        while (await reader.ReadAsync(ct))
        {
            var region = reader.GetString(2);
            if (!Jurisdiction.InSubtree(centreRegion, region))
                continue;
            var depth = Jurisdiction.Subtree(region).Length;
            if (best is null || depth > best.Value.Depth)
                best = (reader.GetString(0), reader.GetString(1), depth);
        }
        return best is { } b ? (b.Id, b.Name) : null;
    }

    /// <summary>The window's centre code, number and centre name; null for an unknown window.</summary>
    public static async Task<(string CentreCode, string Number, string CentreName)?> WindowAsync(NpgsqlDataSource db, string windowId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT c.centre_code, w.number, c.name FROM cf_windows w JOIN cf_centres c ON c.centre_id = w.centre_id WHERE w.window_id = $1");
        cmd.Parameters.AddWithValue(windowId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>The department's name when it is stationed at the centre; null otherwise.</summary>
    public static async Task<string?> DepartmentAtAsync(NpgsqlDataSource db, string departmentId, string? centreCode, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT d.name FROM cf_departments d JOIN cf_centres c ON c.centre_id = d.centre_id WHERE d.department_id = $1 AND ($2::text IS NULL OR c.centre_code = $2) LIMIT 1");
        cmd.Parameters.AddWithValue(departmentId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)centreCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>A member of staff's name, department and centre; null when not registered.</summary>
    public static async Task<(string Name, string? DepartmentId, string CentreId)?> StaffAsync(NpgsqlDataSource db, string staffId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT name, department_id, centre_id FROM cf_staff WHERE staff_id = $1");
        cmd.Parameters.AddWithValue(staffId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>The AB post a member of staff holds and its other holder; null when they hold none.</summary>
    public static async Task<(Guid PostId, string OtherId, string OtherName)?> PostOfAsync(NpgsqlDataSource db, string staffId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT post_id, CASE WHEN a_holder_id = $1 THEN b_holder_id ELSE a_holder_id END, CASE WHEN a_holder_id = $1 THEN b_holder_name ELSE a_holder_name END
            FROM cf_posts WHERE $1 IN (a_holder_id, b_holder_id) ORDER BY name LIMIT 1
            """);
        cmd.Parameters.AddWithValue(staffId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetGuid(0), reader.GetString(1), reader.GetString(2)) : null;
    }
}
