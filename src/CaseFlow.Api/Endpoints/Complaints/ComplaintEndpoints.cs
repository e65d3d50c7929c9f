using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Complaints;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Supervision;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Deadlines;
using CaseFlow.Persistence.Organisation;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Complaints;

/// <summary>
/// A complaint to register. <c>centreId</c>: the centre complained about (a clerk's own centre when left out);
/// <c>targetId</c>: a staff id, window id, department id or case id (by <c>against</c>). Anonymous complaints carry no
/// name or phone and get no return visit.
/// </summary>
public sealed record RegisterComplaintRequest(
    string? CentreId, ComplaintSource Source, ComplaintAgainst Against, string TargetId, string Facts, bool Anonymous, string? ComplainantName, string? ComplainantPhone);

/// <summary>The answer: the finding; when substantiated the 问责 measure, and the accountable person or department where the complaint named a window or a case.</summary>
public sealed record AnswerComplaintRequest(ComplaintFinding Finding, string Answer, AccountabilityMeasure? Measure, string? AccountableKind, string? AccountableId);

public sealed record ComplaintReturnVisitRequest(RatingLevel Satisfaction, string Note);

/// <summary>
/// A complaint as its reader may see it: supervisors see the complainant in full (they call back); the centre's clerks
/// see name and phone masked (the complaint may be against one of them).
/// </summary>
public sealed record ComplaintView(
    Guid Id, ComplaintStatus Status, string CentreId, string RegionCode, ComplaintSource Source, ComplaintAgainst Against, string TargetId, string TargetName, string? DepartmentId,
    Guid? CaseId, string Facts, bool Anonymous, string? ComplainantName, string? ComplainantPhone, string SupervisorId, string SupervisorName, DateOnly AnswerDue,
    WarningLevel Level, ComplaintFinding? Finding, string? Answer, DateTimeOffset? AnsweredAt, bool Late, AccountabilityMeasure? Measure, RatingLevel? Satisfaction,
    DateTimeOffset? VisitedAt, string RegisteredBy, DateTimeOffset RegisteredAt, long Version);

/// <summary>One row of the supervisors' complaint list (no complainant data: open the complaint for it).</summary>
public sealed record ComplaintRow(
    Guid Id, ComplaintStatus Status, string CentreId, ComplaintAgainst Against, string TargetName, string SupervisorId, DateOnly AnswerDue, WarningLevel Level, bool Late,
    bool Anonymous, DateTimeOffset RegisteredAt);

/// <summary>投诉举报 (四川方案 (8)): registered at the window, by phone or from the rating channel; answered and called back by 电子监察.</summary>
public static class ComplaintEndpoints
{
    private const string Columns =
        """
        complaint_id, status, centre_id, region_code, source, against, target_id, target_name, department_id, case_id, facts, anonymous, complainant_name,
        complainant_phone, supervisor_id, supervisor_name, answer_due, finding, answer, answered_at, late, measure, satisfaction, visited_at, registered_by, registered_at,
        user_version, (SELECT CASE WHEN w.red_at <= $2 THEN 'Red' WHEN w.yellow_at <= $2 THEN 'Yellow' ELSE 'Green' END FROM cf_deadline_watch w
                  WHERE w.case_id = k.complaint_id AND w.subject = 'complaint')
        """;

    /// <summary><c>POST /api/complaints</c> and <c>GET /api/complaints/{id}</c>: clerks (their centre) and supervisors (their subtree).</summary>
    public static RouteGroupBuilder MapComplaints(this RouteGroupBuilder staff)
    {
        var group = staff.MapGroup("/complaints").WithTags("Complaints · 投诉举报");

        group.MapPost("/", (RegisterComplaintRequest r, HttpContext http, CommandHttp commands, NpgsqlDataSource db, CaseDesk desks, ComplaintPolicy policy) =>
        {
            var id = commands.NewId();
            return commands.ExecuteAsync(http, "RegisterComplaint", Complaint.Kind, id, r, $"/api/complaints/{id}", async () =>
            {
                var ct = http.RequestAborted;
                var place = http.User.Place();
                var centre = r.CentreId is { Length: > 0 } asked ? asked : place.Role == Role.Clerk ? place.CentreId ?? "" : "";
                if (centre.Length == 0)
                    return (null, DomainError.Validation("complaint.centre_required", "请指定被投诉的服务中心（centreId）。"));
                if (await desks.RegionOfCentreAsync(centre, ct) is not { } region)
                    return (null, DomainError.NotFound("complaint.centre_not_found", "未找到该服务中心。"));
                if (ComplaintAccess.Register(place, centre, region) is { } denied)
                    return (null, denied);
                var target = await TargetAsync(db, r.Against, r.TargetId ?? "", centre, ct);
                if (target is null)
                    return (null, DomainError.NotFound("complaint.target_not_found", "在该服务中心未找到被投诉的人员、窗口、部门或办件。"));
                if (await OrganisationLookups.NearestSupervisorAsync(db, region, ct) is not { } supervisor)
                    return (null, DomainError.Rule("complaint.no_supervisor", "该中心所在区域没有登记监察人员，投诉无法分派，请联系管理员。"));
                var desk = new ComplaintDesk(centre, region, target.Value.Name, target.Value.DepartmentId, target.Value.CaseId, supervisor.Id, supervisor.Name,
                    policy.AnswerWithinWorkingDays, await desks.CalendarAsync(ct));
                var command = new RegisterComplaint(id, r.Source, r.Against, r.TargetId ?? "", r.Facts ?? "", r.Anonymous, r.ComplainantName, r.ComplainantPhone);
                return ((Func<Complaint, Actor, DateTimeOffset, Decision>)((s, actor, now) => ComplaintDecider.Decide(command, s, desk, actor, now)), null);
            });
        }).WithName("RegisterComplaint").WithSummary("登记投诉举报 · Register a complaint")
            .Command(CommandAnswer.Created)
            .WithDescription("登记投诉举报（窗口、投诉电话或“好差评”渠道）：针对人员、窗口、部门或办件；分派给该中心所在区域最近的监察人员，按配置的工作日数确定答复期限；可匿名（匿名不回访）");

        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var found = await QueryAsync(db, "WHERE complaint_id = $1",
                [P(id, NpgsqlTypes.NpgsqlDbType.Uuid), P(clock.GetUtcNow(), NpgsqlTypes.NpgsqlDbType.TimestampTz)], http.RequestAborted);
            if (found.Count == 0)
                return Problems.From(ComplaintAccess.NotFound);
            var view = found[0];
            if (ComplaintAccess.Read(http.User.Place(), view.CentreId, view.RegionCode) is { } denied)
                return Problems.From(denied);
            if (ETags.IsNotModified(http, view.Version))
                return ETags.NotModified();
            // 个人信息: the complainant is shown whole only to supervisors, who investigate and call back (DOMAIN.md §8).
            if (!http.User.IsInRole(Roles.Supervisor))
            {
                view = view with
                {
                    ComplainantName = view.ComplainantName is { } n ? MaskName(n) : null,
                    ComplainantPhone = view.ComplainantPhone is { } p ? Domain.Identity.PhoneNumber.Mask(p) : null,
                };
            }
            return Results.Ok(view);
        }).WithName("GetComplaint").WithSummary("查看投诉举报 · A complaint")
            .Reads<ComplaintView>(etag: true).Produces(StatusCodes.Status304NotModified)
            .WithDescription("查看一件投诉举报（答复期限及红黄灯、答复、问责、回访）；投诉人姓名和电话只对监察人员完整显示");
        return staff;
    }

    /// <summary>The supervisors' side: the list of their subtree, the answer and the return visit.</summary>
    public static RouteGroupBuilder MapComplaintSupervision(this RouteGroupBuilder supervision)
    {
        var group = supervision.MapGroup("/complaints").WithTags("Supervision · 投诉举报");

        group.MapGet("/", async Task<IResult> (string? status, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var (page, refused) = Paging.Read("complaints", limit, cursor, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            if (status is not (null or "Open" or "Answered"))
                return Problems.Problem(400, "complaint.status_invalid", "status 只能是 Open（待答复）或 Answered（已答复）。");
            var subtree = Supervision.Jurisdiction.Of(http) + "%";
            var after = page!.After;
            var rows = await QueryAsync(db,
                "WHERE region_code LIKE $1 AND ($3::text IS NULL OR status = $3) AND ($4::timestamptz IS NULL OR (registered_at, complaint_id) < ($4, $5)) " +
                "ORDER BY registered_at DESC, complaint_id DESC LIMIT $6",
                [P(subtree, NpgsqlTypes.NpgsqlDbType.Text), P(clock.GetUtcNow(), NpgsqlTypes.NpgsqlDbType.TimestampTz), P(status, NpgsqlTypes.NpgsqlDbType.Text),
                 P(after is null ? null : page.Key<DateTimeOffset>(0), NpgsqlTypes.NpgsqlDbType.TimestampTz), P(after is null ? null : page.Key<Guid>(1), NpgsqlTypes.NpgsqlDbType.Uuid),
                 P(page.Limit + 1, NpgsqlTypes.NpgsqlDbType.Integer)], http.RequestAborted);
            await using var count = db.CreateCommand("SELECT count(*) FROM cf_complaints WHERE region_code LIKE $1 AND ($2::text IS NULL OR status = $2)");
            count.Parameters.AddWithValue(subtree);
            count.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            var total = (long)(await count.ExecuteScalarAsync(http.RequestAborted))!;
            var list = rows.Select(v => new ComplaintRow(v.Id, v.Status, v.CentreId, v.Against, v.TargetName, v.SupervisorId, v.AnswerDue, v.Level, v.Late, v.Anonymous, v.RegisteredAt)).ToList();
            return Results.Ok(page.PageOf(list, x => [x.RegisteredAt, x.Id], total));
        }).WithName("ListComplaints").WithSummary("投诉举报列表 · The complaints of my region")
            .Lists<ComplaintRow>()
            .WithDescription("本人监察范围内的投诉举报，新登记的在前（status=Open 待答复、Answered 已答复），含答复期限和红黄灯");

        group.MapPost("/{id:guid}/answer", async Task<IResult> (Guid id, AnswerComplaintRequest r, HttpContext http, CommandHttp commands, NpgsqlDataSource db, CaseDesk desks, DeadlineWatch watch) =>
        {
            if (await GuardAsync(db, id, http) is { } denied)
                return denied;
            AccountableTarget? accountable = null;
            if (r.AccountableKind is not null || r.AccountableId is not null)
            {
                var name = r.AccountableKind switch
                {
                    "Person" => (await OrganisationLookups.StaffAsync(db, r.AccountableId ?? "", http.RequestAborted))?.Name,
                    "Department" => await OrganisationLookups.DepartmentAtAsync(db, r.AccountableId ?? "", null, http.RequestAborted),
                    _ => null,
                };
                if (name is null)
                    return Problems.Problem(404, "complaint.accountable_not_found", "未找到被问责的人员或部门（accountableKind 为 Person 或 Department，accountableId 为其编号）。");
                accountable = new AccountableTarget(r.AccountableKind!, r.AccountableId!, name);
            }
            var calendar = await desks.CalendarAsync(http.RequestAborted);
            var rules = await watch.RulesAsync(http.RequestAborted);
            var recordId = commands.NewId();
            return await commands.ExecuteAsync(http, "AnswerComplaint", Complaint.Kind, id, r, $"/api/complaints/{id}",
                (s, actor, now) => ComplaintDecider.Decide(new AnswerComplaint(r.Finding, r.Answer ?? "", r.Measure, accountable, recordId), s, rules, calendar, actor, now));
        }).WithName("AnswerComplaint").WithSummary("答复投诉举报 · Answer a complaint")
            .Command()
            .WithDescription("监察人员答复投诉举报：调查结论（查实 / 不属实）和答复内容；查实的记为问责（提醒、约谈、通报批评、责令整改）并进入问责台账；超过答复期限的答复记为红灯和逾期答复");

        group.MapPost("/{id:guid}/return-visit", async Task<IResult> (Guid id, ComplaintReturnVisitRequest r, HttpContext http, CommandHttp commands, NpgsqlDataSource db) =>
        {
            if (await GuardAsync(db, id, http) is { } denied)
                return denied;
            return await commands.ExecuteAsync(http, "RecordComplaintReturnVisit", Complaint.Kind, id, r, $"/api/complaints/{id}",
                (s, actor, now) => ComplaintDecider.Decide(new RecordComplaintReturnVisit(r.Satisfaction, r.Note ?? ""), s, actor, now));
        }).WithName("RecordComplaintReturnVisit").WithSummary("投诉回访 · Record the return visit to the complainant")
            .Command()
            .WithDescription("答复后回访投诉人并记录满意度（非常满意 … 非常不满意）；匿名投诉不回访");
        return supervision;
    }

    /// <summary>Jurisdiction before any command on the complaint: 404 when unknown, 403 outside the supervisor's subtree.</summary>
    private static async Task<IResult?> GuardAsync(NpgsqlDataSource db, Guid id, HttpContext http)
    {
        await using var cmd = db.CreateCommand("SELECT region_code FROM cf_complaints WHERE complaint_id = $1");
        cmd.Parameters.AddWithValue(id);
        if (await cmd.ExecuteScalarAsync(http.RequestAborted) is not string region)
            return Problems.From(ComplaintAccess.NotFound);
        return ComplaintAccess.Supervise(http.User.Place(), region) is { } denied ? Problems.From(denied) : null;
    }

    /// <summary>刘建国 → 刘**: the surname only.</summary>
    private static string MaskName(string name) => name.Length <= 1 ? "*" : string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));

    private static async Task<(string Name, string? DepartmentId, Guid? CaseId)?> TargetAsync(NpgsqlDataSource db, ComplaintAgainst against, string targetId, string centre, CancellationToken ct)
    {
        switch (against)
        {
            case ComplaintAgainst.Person:
                // Staff of the centre, or of a department stationed there (their centre is the department's).
                return await OrganisationLookups.StaffAsync(db, targetId, ct) is { } staff && staff.CentreId == centre ? (staff.Name, staff.DepartmentId, null) : null;
            case ComplaintAgainst.Window:
                return await OrganisationLookups.WindowAsync(db, targetId, ct) is { } window && window.CentreCode == centre
                    ? ($"{window.CentreName} {window.Number} 号窗口", null, null) : null;
            case ComplaintAgainst.Department:
                return await OrganisationLookups.DepartmentAtAsync(db, targetId, centre, ct) is { } department ? (department, targetId, null) : null;
            case ComplaintAgainst.Case:
                if (!Guid.TryParse(targetId, out var caseId))
                    return null;
                await using (var cmd = db.CreateCommand("SELECT coalesce(case_number, item_name) FROM cf_cases WHERE case_id = $1 AND centre_id = $2"))
                {
                    cmd.Parameters.AddWithValue(caseId);
                    cmd.Parameters.AddWithValue(centre);
                    return await cmd.ExecuteScalarAsync(ct) is string label ? ($"办件 {label}", null, caseId) : null;
                }
            default:
                return null;
        }
    }

    private static NpgsqlParameter P(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    /// <param name="parameters">$1 … in order; $2 is always the instant the light is read at.</param>
    private static async Task<List<ComplaintView>> QueryAsync(NpgsqlDataSource db, string where, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cf_complaints k {where}");
        cmd.Parameters.AddRange(parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ComplaintView>();
        while (await reader.ReadAsync(ct))
        {
            string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? T(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            TEnum E<TEnum>(int i) where TEnum : struct, Enum => Enum.Parse<TEnum>(reader.GetString(i));
            TEnum? N<TEnum>(int i) where TEnum : struct, Enum => reader.IsDBNull(i) ? null : Enum.Parse<TEnum>(reader.GetString(i));
            // The light as the watch reads it now; an answered complaint has left the watch: red if it was answered late.
            var level = N<WarningLevel>(27) ?? (reader.GetBoolean(20) ? WarningLevel.Red : WarningLevel.Green);
            list.Add(new ComplaintView(
                reader.GetGuid(0), E<ComplaintStatus>(1), reader.GetString(2), reader.GetString(3), E<ComplaintSource>(4), E<ComplaintAgainst>(5), reader.GetString(6),
                reader.GetString(7), S(8), reader.IsDBNull(9) ? null : reader.GetGuid(9), reader.GetString(10), reader.GetBoolean(11), S(12), S(13), reader.GetString(14),
                reader.GetString(15), reader.GetFieldValue<DateOnly>(16), level, N<ComplaintFinding>(17), S(18), T(19), reader.GetBoolean(20), N<AccountabilityMeasure>(21),
                N<RatingLevel>(22), T(23), reader.GetString(24), reader.GetFieldValue<DateTimeOffset>(25), reader.GetInt64(26)));
        }
        return list;
    }
}
