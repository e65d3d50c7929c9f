using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Organisation;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Staff;

public sealed record DeclareAbsenceRequest(string HolderId, Whereabouts Whereabouts, DateTimeOffset From, DateTimeOffset To, string? Note);

public sealed record WindowView(string WindowId, string Number, WindowKind Kind, string? Category, IReadOnlyList<string> AcceptedCategories, IReadOnlyList<string> AcceptedItemCodes);

public sealed record AbsenceView(Guid AbsenceId, string HolderId, string Whereabouts, DateTimeOffset From, DateTimeOffset To, string? Note);

/// <summary>An AB post (AB岗): its two holders and the absences declared on it that have not ended yet.</summary>
public sealed record PostView(Guid PostId, string CentreId, string CentreName, string Name, string AHolderId, string AHolderName, string BHolderId, string BHolderName,
    IReadOnlyList<AbsenceView> Absences);

public sealed record CentreView(Guid CentreId, string CentreCode, string Name, string RegionCode, string RegionName, int RegionLevel, string? ParentCode,
    IReadOnlyList<string> Departments, IReadOnlyList<WindowView> Windows);

/// <summary>A member of staff as the organisation lists them.</summary>
public sealed record StaffView(string StaffId, string Name, Role Role, string UnitId, string UnitName, string CentreId, string? DepartmentId);

/// <summary>Staff declare their whereabouts on AB posts; supervisors and admins read the organisation.</summary>
public static class OrganisationEndpoints
{
    public static RouteGroupBuilder MapAbsences(this RouteGroupBuilder staff)
    {
        staff.MapPost("/organisation/posts/{id:guid}/absences", async Task<IResult> (Guid id, DeclareAbsenceRequest r, HttpContext http, CommandHttp commands, CaseFlow.Persistence.Acceptance.CaseDesk desks) =>
        {
            // A head declares for the staff of their own department only (issue 13); staff for themselves; admins for anyone.
            if (http.User.IsInRole(Roles.DepartmentHead) && r.HolderId != http.User.StaffId()
                && (await desks.StaffMemberAsync(r.HolderId ?? "", http.RequestAborted))?.DepartmentId != http.User.DepartmentId())
            {
                return Problems.Problem(403, "organisation.absence_other_department", "部门负责人只能登记本部门人员的去向。");
            }
            return await commands.ExecuteAsync(http, "DeclareAbsence", Post.Kind, id, r, $"/api/organisation/posts/{id}",
                (s, actor, now) => Post.Decide(new DeclareAbsence(commands.NewId(), r.HolderId ?? "", r.Whereabouts, r.From, r.To, r.Note), s, actor, now));
        })
            .WithTags("Staff · 去向登记").WithName("DeclareAbsence").WithSummary("登记去向 · Declare an absence from an AB post")
            .Command()
            .WithDescription("登记去向（请假 / 外出 / 下乡 / 会议）；A、B 岗不能同时不在岗");

        // Issue 16: the posts' ids were nowhere to be read, so nobody could declare an absence without the seed's code.
        staff.MapGet("/organisation/posts", async Task<IResult> (string? centreId, int? limit, string? cursor, NpgsqlDataSource db, TimeProvider clock, HttpContext http) =>
        {
            var (page, refused) = Paging.Read("posts", limit, cursor, CursorKey.Number, CursorKey.Text, CursorKey.Text, CursorKey.Guid);
            if (refused is not null)
                return refused;
            // Approvers and heads see their own centre's posts, supervisors their region subtree, administrators all.
            var own = http.User.IsInRole(Roles.Admin) || http.User.IsInRole(Roles.Supervisor) ? null : http.User.CentreId() ?? "";
            return Results.Ok(await PostsAsync(db, centreId, own, SubtreeOf(http), clock.GetUtcNow(), page!, http.RequestAborted));
        })
            .RequireAuthorization(p => p.RequireRole(Roles.Approver, Roles.DepartmentHead, Roles.Supervisor, Roles.Admin))
            .WithTags("Staff · 去向登记").WithName("ListPosts").WithSummary("AB 岗列表 · The AB posts, their holders and open absences")
            .Lists<PostView>()
            .WithDescription("AB 岗列表：岗位、A 岗和 B 岗人员，以及尚未结束的去向登记（登记去向时用岗位的 postId）；按中心（县在乡前）、岗位名称排序");
        return staff;
    }

    public static RouteGroupBuilder MapOrganisationRead(this RouteGroupBuilder readers)
    {
        readers.MapGet("/organisation/centres", async Task<IResult> (int? limit, string? cursor, NpgsqlDataSource db, HttpContext http) =>
        {
            var (page, refused) = Paging.Read("centres", limit, cursor, CursorKey.Number, CursorKey.Text, CursorKey.Guid);
            return refused ?? Results.Ok(await CentresAsync(db, SubtreeOf(http), page!, http.RequestAborted));
        })
            .WithTags("Supervision · 组织机构").WithName("ListServiceCentres").WithSummary("服务中心 · The service centres with their regions, departments and windows")
            .Lists<CentreView>()
            .WithDescription("服务中心、区划、入驻部门和窗口（按区划级别、区划代码排序）");
        readers.MapGet("/organisation/staff", async Task<IResult> (string? centreId, string? departmentId, int? limit, string? cursor, NpgsqlDataSource db, HttpContext http) =>
        {
            var (page, refused) = Paging.Read("staff", limit, cursor, CursorKey.Text, CursorKey.Text, CursorKey.Text);
            if (refused is not null)
                return refused;
            const string fromWhere =
                """
                FROM cf_staff s
                WHERE ($1::text IS NULL OR s.centre_id = $1) AND ($2::text IS NULL OR s.department_id = $2)
                  AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM cf_centres c WHERE c.centre_code = s.centre_id AND c.region_code LIKE $3))
                """;
            NpgsqlParameter[] Filter() =>
            [
                new() { Value = (object?)centreId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)departmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = SubtreeOf(http) is { } subtree ? subtree + "%" : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            ];
            await using var batch = db.CreateBatch();
            var rows = new NpgsqlBatchCommand(
                $"""
                SELECT s.staff_id, s.name, s.role, s.unit_id, s.unit_name, s.centre_id, s.department_id {fromWhere}
                  AND ($5::text IS NULL OR (s.centre_id, s.role, s.staff_id) > ($5, $6, $7))
                ORDER BY s.centre_id, s.role, s.staff_id LIMIT $4
                """);
            rows.Parameters.AddRange(Filter());
            rows.Parameters.AddWithValue(page!.Limit + 1);
            rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Text));
            rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Text));
            rows.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Text));
            batch.BatchCommands.Add(rows);
            var count = new NpgsqlBatchCommand($"SELECT count(*) {fromWhere}");
            count.Parameters.AddRange(Filter());
            batch.BatchCommands.Add(count);
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            var list = new List<StaffView>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                list.Add(new StaffView(reader.GetString(0), reader.GetString(1), Enum.Parse<Role>(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            return Results.Ok(page.PageOf(list, v => [v.CentreId, v.Role.ToString(), v.StaffId], reader.GetInt64(0)));
        }).WithTags("Supervision · 组织机构").WithName("ListStaff").WithSummary("工作人员 · The staff with their roles and units")
            .Lists<StaffView>()
            .WithDescription("工作人员及其角色、所属单位（可按中心 centreId、部门 departmentId 筛选；按中心、角色、工号排序）");
        return readers;
    }

    private static async Task<Page<PostView>> PostsAsync(NpgsqlDataSource db, string? centreCode, string? ownCentre, string? subtree, DateTimeOffset now, PageRequest page, CancellationToken ct)
    {
        const string fromWhere =
            """
            FROM cf_posts p JOIN cf_centres c ON c.centre_id = p.centre_id
            WHERE ($1::text IS NULL OR c.centre_code = $1) AND ($2::text IS NULL OR c.centre_code = $2) AND ($3::text IS NULL OR c.region_code LIKE $3)
            """;
        NpgsqlParameter[] Filter() =>
        [
            new() { Value = (object?)centreCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = (object?)ownCentre ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = subtree is null ? DBNull.Value : subtree + "%", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
        ];
        await using var batch = db.CreateBatch();
        var rows = new NpgsqlBatchCommand(
            $"""
            SELECT p.post_id, c.centre_code, c.name, p.name, p.a_holder_id, p.a_holder_name, p.b_holder_id, p.b_holder_name,
                   coalesce((SELECT json_agg(json_build_object('absenceId', a.absence_id, 'holderId', a.holder_id, 'whereabouts', a.whereabouts,
                              'from', a.from_at, 'to', a.to_at, 'note', a.note) ORDER BY a.from_at)
                             FROM cf_absences a WHERE a.post_id = p.post_id AND a.to_at > $4), '[]')::text,
                   c.region_level
            {fromWhere}
              AND ($6::bigint IS NULL OR (c.region_level, c.centre_code, p.name, p.post_id) > ($6, $7, $8, $9))
            ORDER BY c.region_level, c.centre_code, p.name, p.post_id LIMIT $5
            """);
        rows.Parameters.AddRange(Filter());
        rows.Parameters.AddWithValue(now);
        rows.Parameters.AddWithValue(page.Limit + 1);
        rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Bigint));
        rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Text));
        rows.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Text));
        rows.Parameters.Add(page.Param(3, NpgsqlTypes.NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(rows);
        var count = new NpgsqlBatchCommand($"SELECT count(*) {fromWhere}");
        count.Parameters.AddRange(Filter());
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var list = new List<(PostView Post, long Level)>();
        while (await reader.ReadAsync(ct))
        {
            var absences = System.Text.Json.JsonSerializer.Deserialize<List<AbsenceView>>(reader.GetString(8), System.Text.Json.JsonSerializerOptions.Web)!;
            list.Add((new PostView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), absences), reader.GetInt32(9)));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return page.PageOf(list, r => [r.Level, r.Post.CentreId, r.Post.Name, r.Post.PostId], reader.GetInt64(0)).Map(r => r.Post);
    }

    /// <summary>Rows the queries build as JSON: web names, enums by name.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions RowJson = new(System.Text.Json.JsonSerializerOptions.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>A supervisor reads the organisation of their region subtree; an administrator all of it.</summary>
    private static string? SubtreeOf(HttpContext http) =>
        http.User.IsInRole(Roles.Supervisor) ? CaseFlow.Domain.Common.Jurisdiction.Subtree(http.User.RegionId() ?? "") : null;

    private static async Task<Page<CentreView>> CentresAsync(NpgsqlDataSource db, string? subtree, PageRequest page, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var rows = new NpgsqlBatchCommand(
            """
            SELECT c.centre_id, c.centre_code, c.name, c.region_code, c.region_name, c.region_level, c.parent_code,
                   coalesce((SELECT array_agg(d.name ORDER BY d.name) FROM cf_departments d WHERE d.centre_id = c.centre_id), '{}'),
                   coalesce((SELECT json_agg(json_build_object('windowId', w.window_id, 'number', w.number, 'kind', w.kind, 'category', w.category,
                              'acceptedCategories', w.accepted_categories, 'acceptedItemCodes', w.accepted_item_codes) ORDER BY w.number)
                             FROM cf_windows w WHERE w.centre_id = c.centre_id), '[]')::text
            FROM cf_centres c WHERE ($1::text IS NULL OR c.region_code LIKE $1)
              AND ($3::bigint IS NULL OR (c.region_level, c.region_code, c.centre_id) > ($3, $4, $5))
            ORDER BY c.region_level, c.region_code, c.centre_id LIMIT $2
            """);
        rows.Parameters.Add(new NpgsqlParameter { Value = subtree is null ? DBNull.Value : subtree + "%", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        rows.Parameters.AddWithValue(page.Limit + 1);
        rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Bigint));
        rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Text));
        rows.Parameters.Add(page.Param(2, NpgsqlTypes.NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(rows);
        var count = new NpgsqlBatchCommand("SELECT count(*) FROM cf_centres c WHERE ($1::text IS NULL OR c.region_code LIKE $1)");
        count.Parameters.Add(new NpgsqlParameter { Value = subtree is null ? DBNull.Value : subtree + "%", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var list = new List<CentreView>();
        while (await reader.ReadAsync(ct))
        {
            var windows = System.Text.Json.JsonSerializer.Deserialize<List<WindowView>>(reader.GetString(8), RowJson)!;
            list.Add(new CentreView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<string[]>(7), windows));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return page.PageOf(list, c => [(long)c.RegionLevel, c.RegionCode, c.CentreId], reader.GetInt64(0));
    }
}
