using System.Globalization;
using CaseFlow.Api.Infrastructure;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

/// <summary>
/// One person's or department's month: steps handled, on time and over their share (with the working days over),
/// parts decided, red lights on deadlines they held, repeat notices, deemed acceptances, inquiries owned and
/// referred, referrals without a named target, bad ratings (less those voided on appeal), late rectifications;
/// complaints against them, those substantiated, 问责 records (of cases and complaints), complaint answers given late.
/// </summary>
public sealed record AccountabilityLedgerRow(
    string SubjectKind, string SubjectId, string SubjectName, string Month, int StepsHandled, int StepsOnTime, int StepsOverShare, int OverShareDays, int PartsDecided,
    int RedLights, int RepeatNotices, int DeemedAcceptances, int InquiriesOwned, int InquiriesReferred, int ReferralsWithoutTarget, int BadRatings, int LateRectifications,
    int ComplaintsReceived, int ComplaintsSubstantiated, int AccountabilityRecords, int LateComplaintAnswers);

/// <summary>What a member of staff sees of the ledger: their own row and, in a department, the department's.</summary>
public sealed record OwnLedger(string Month, AccountabilityLedgerRow? Person, AccountabilityLedgerRow? Department);

public sealed record InquiryLedgerRow(string PersonId, string PersonName, string Month, int InquiriesOwned, int InquiriesAnswered, int InquiriesReferred, int ReferralsWithoutTarget);

/// <summary>The 首问 part of the accountability ledger (async projection), per person and month.</summary>
public static class LedgerEndpoints
{
    public static RouteGroupBuilder MapLedger(this RouteGroupBuilder supervision)
    {
        supervision.MapGet("/ledger/inquiries", async Task<IResult> (string? month, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db) =>
        {
            if (!TryMonth(month, out var first))
                return MonthInvalid;
            // Most referrals without a named target first: keyset on (-referrals_without_target, person_id).
            var (page, refused) = Paging.Read("ledger.inquiries", limit, cursor, CursorKey.Number, CursorKey.Text);
            if (refused is not null)
                return refused;
            var fromWhere = $"FROM cf_ledger_inquiries l WHERE month = $1 AND {PersonInRegion("l.person_id", "$2")}";
            await using var batch = db.CreateBatch();
            var rowsCmd = new NpgsqlBatchCommand(
                $"""
                SELECT person_id, person_name, month, inquiries_owned, inquiries_answered, inquiries_referred, referrals_without_target {fromWhere}
                  AND ($4::bigint IS NULL OR (-referrals_without_target, person_id) > ($4, $5))
                ORDER BY -referrals_without_target, person_id LIMIT $3
                """);
            rowsCmd.Parameters.AddWithValue(first);
            rowsCmd.Parameters.AddWithValue(Jurisdiction.Of(http) + "%");
            rowsCmd.Parameters.AddWithValue(page!.Limit + 1);
            rowsCmd.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.Bigint));
            rowsCmd.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Text));
            batch.BatchCommands.Add(rowsCmd);
            // One month of one region's staff: counting it is cheap, so the page says the total.
            var countCmd = new NpgsqlBatchCommand($"SELECT count(*) {fromWhere}");
            countCmd.Parameters.AddWithValue(first);
            countCmd.Parameters.AddWithValue(Jurisdiction.Of(http) + "%");
            batch.BatchCommands.Add(countCmd);
            await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
            var rows = new List<InquiryLedgerRow>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                rows.Add(new InquiryLedgerRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
            }
            await reader.NextResultAsync(http.RequestAborted);
            await reader.ReadAsync(http.RequestAborted);
            return Results.Ok(page.PageOf(rows, r => [-(long)r.ReferralsWithoutTarget, r.PersonId], reader.GetInt64(0)));
        }).WithTags("Supervision · 问责台账").WithName("ListInquiryLedger").WithSummary("首问负责台账 · The first-inquiry ledger of a month")
            .Lists<InquiryLedgerRow>()
            .WithDescription("首问负责台账：每人每月登记、答复、转办及未指明接办人的转办次数（未指明接办人的转办多的在前）");

        supervision.MapGet("/ledger/accountability", async Task<IResult> (string? month, string? kind, int? limit, string? cursor, HttpContext http, NpgsqlDataSource db) =>
        {
            if (!TryMonth(month, out var first))
                return MonthInvalid;
            if (kind is not (null or "Person" or "Department"))
                return Problems.Problem(400, "ledger.kind_invalid", "kind 只能是 Person 或 Department。");
            var (page, refused) = Paging.Read("ledger.accountability", limit, cursor, CursorKey.Number, CursorKey.Number, CursorKey.Text, CursorKey.Text);
            if (refused is not null)
                return refused;
            var (rows, total) = await AccountabilityAsync(db, first, kind, null, http.RequestAborted, Jurisdiction.Of(http), page);
            return Results.Ok(page!.PageOf(rows, r => [-(long)r.OverShareDays, -(long)Violations(r), r.SubjectKind, r.SubjectId], total));
        }).WithTags("Supervision · 问责台账").WithName("ListAccountabilityLedger").WithSummary("问责台账 · The accountability ledger of a month, per person and department")
            .Lists<AccountabilityLedgerRow>()
            .WithDescription("问责台账（超出工作日多的在前，再按违规次数）：每人、每部门每月办理环节数（按时、超时及超出工作日）、决定数、红灯、二次告知、视为受理、首问登记与转办、未指明接办人的转办、差评、逾期整改、被投诉与投诉查实、问责记录、逾期答复投诉");
        return supervision;
    }

    /// <summary>Staff see their own figures (and their department's), never anyone else's.</summary>
    public static RouteGroupBuilder MapOwnLedger(this RouteGroupBuilder staff)
    {
        staff.MapGet("/ledger/mine", async Task<IResult> (string? month, HttpContext http, NpgsqlDataSource db) =>
        {
            if (!TryMonth(month, out var first))
                return MonthInvalid;
            var (me, _) = await AccountabilityAsync(db, first, "Person", http.User.StaffId(), http.RequestAborted);
            var department = http.User.DepartmentId() is { Length: > 0 } d ? (await AccountabilityAsync(db, first, "Department", d, http.RequestAborted)).Rows : [];
            return Results.Ok(new OwnLedger(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), me.SingleOrDefault(), department.SingleOrDefault()));
        }).WithTags("Staff · 本人台账").WithName("GetOwnLedger").WithSummary("本人台账 · My own (and my department's) ledger of a month")
            .Reads<OwnLedger>()
            .WithDescription("本人（及本部门）当月问责台账");
        return staff;
    }

    /// <summary>A month given as yyyy-MM, as its first day.</summary>
    internal static bool TryMonth(string? month, out DateOnly first) =>
        DateOnly.TryParseExact((month ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first);

    private static IResult MonthInvalid => Problems.Problem(400, "ledger.month_invalid", "请以 yyyy-MM 格式指定月份，例如 2025-09。");

    /// <summary>
    /// A ledger row's person works in a centre of the region subtree <paramref name="prefix"/> (a LIKE pattern): the
    /// ledger follows the staff register, so a person or department moved to another centre is audited there.
    /// </summary>
    private static string PersonInRegion(string column, string prefix) =>
        $"EXISTS (SELECT 1 FROM cf_staff s JOIN cf_centres c ON c.centre_code = s.centre_id WHERE s.staff_id = {column} AND c.region_code LIKE {prefix})";

    private static string DepartmentInRegion(string column, string prefix) =>
        $"EXISTS (SELECT 1 FROM cf_departments d JOIN cf_centres c ON c.centre_id = d.centre_id WHERE d.department_id = {column} AND c.region_code LIKE {prefix})";

    /// <summary>The second sort key of the accountability ledger: how many times the subject broke a rule that month.</summary>
    private static int Violations(AccountabilityLedgerRow r) =>
        r.RedLights + r.RepeatNotices + r.DeemedAcceptances + r.ReferralsWithoutTarget + r.BadRatings + r.LateRectifications + r.ComplaintsSubstantiated + r.LateComplaintAnswers;

    /// <summary>
    /// Rows of a month; with <paramref name="subtree"/> only people and departments of centres in that region subtree
    /// (supervisors); with <paramref name="page"/> one keyset page (read <c>limit + 1</c>) and the count under the filter.
    /// </summary>
    private static async Task<(List<AccountabilityLedgerRow> Rows, long Total)> AccountabilityAsync(
        NpgsqlDataSource db, DateOnly month, string? kind, string? subjectId, CancellationToken ct, string? subtree = null, PageRequest? page = null)
    {
        const string violations = "(red_lights + repeat_notices + deemed_acceptances + referrals_without_target + bad_ratings + late_rectifications + complaints_substantiated + late_complaint_answers)";
        var fromWhere =
            $"""
            FROM cf_ledger_accountability l WHERE month = $1 AND ($2::text IS NULL OR subject_kind = $2) AND ($3::text IS NULL OR subject_id = $3)
              AND ($4::text IS NULL OR (subject_kind = 'Person' AND {PersonInRegion("l.subject_id", "$4")}) OR (subject_kind = 'Department' AND {DepartmentInRegion("l.subject_id", "$4")}))
            """;
        NpgsqlParameter[] Filter() =>
        [
            new() { Value = month, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date },
            new() { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = (object?)subjectId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = subtree is null ? DBNull.Value : subtree + "%", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
        ];
        await using var batch = db.CreateBatch();
        var rowsCmd = new NpgsqlBatchCommand(
            $"""
            SELECT subject_kind, subject_id, subject_name, month, steps_handled, steps_over_share, over_share_days, parts_decided, red_lights, repeat_notices,
                   deemed_acceptances, inquiries_owned, inquiries_referred, referrals_without_target, bad_ratings, late_rectifications,
                   complaints_received, complaints_substantiated, accountability_records, late_complaint_answers
            {fromWhere}
              AND ($6::bigint IS NULL OR (-over_share_days, -{violations}, subject_kind, subject_id) > ($6, $7, $8, $9))
            ORDER BY -over_share_days, -{violations}, subject_kind, subject_id
            LIMIT $5
            """);
        rowsCmd.Parameters.AddRange(Filter());
        rowsCmd.Parameters.Add(new NpgsqlParameter { Value = page is null ? DBNull.Value : page.Limit + 1, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        rowsCmd.Parameters.Add(page?.Param(0, NpgsqlTypes.NpgsqlDbType.Bigint) ?? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        rowsCmd.Parameters.Add(page?.Param(1, NpgsqlTypes.NpgsqlDbType.Bigint) ?? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        rowsCmd.Parameters.Add(page?.Param(2, NpgsqlTypes.NpgsqlDbType.Text) ?? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        rowsCmd.Parameters.Add(page?.Param(3, NpgsqlTypes.NpgsqlDbType.Text) ?? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        batch.BatchCommands.Add(rowsCmd);
        var countCmd = new NpgsqlBatchCommand($"SELECT count(*) {fromWhere}");
        countCmd.Parameters.AddRange(Filter());
        batch.BatchCommands.Add(countCmd);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var rows = new List<AccountabilityLedgerRow>();
        while (await reader.ReadAsync(ct))
        {
            int I(int i) => reader.GetInt32(i);
            rows.Add(new AccountabilityLedgerRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                I(4), I(4) - I(5), I(5), I(6), I(7), I(8), I(9), I(10), I(11), I(12), I(13), I(14), I(15), I(16), I(17), I(18), I(19)));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (rows, reader.GetInt64(0));
    }
}
