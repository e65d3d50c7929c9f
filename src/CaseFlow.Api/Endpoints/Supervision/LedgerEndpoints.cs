using System.Globalization;
using CaseFlow.Api.Infrastructure;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

public sealed record AccountabilityLedgerRow(
    string SubjectKind, string SubjectId, string SubjectName, string Month, int StepsHandled, int StepsOverShare, int OverShareDays, int PartsDecided,
    int RepeatNotices, int DeemedAcceptances, int ReferralsWithoutTarget);

public sealed record InquiryLedgerRow(string PersonId, string PersonName, string Month, int InquiriesOwned, int InquiriesAnswered, int InquiriesReferred, int ReferralsWithoutTarget);

/// <summary>The 首问 part of the accountability ledger (async projection), per person and month.</summary>
public static class LedgerEndpoints
{
    public static RouteGroupBuilder MapLedger(this RouteGroupBuilder supervision)
    {
        supervision.MapGet("/ledger/inquiries", async Task<IResult> (string? month, HttpContext http, NpgsqlDataSource db) =>
        {
            if (!DateOnly.TryParseExact((month ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
                return Problems.Problem(400, "ledger.month_invalid", "请以 yyyy-MM 格式指定月份，例如 2025-09。");
            await using var cmd = db.CreateCommand(
                "SELECT person_id, person_name, month, inquiries_owned, inquiries_answered, inquiries_referred, referrals_without_target FROM cf_ledger_inquiries WHERE month = $1 ORDER BY referrals_without_target DESC, person_id");
            cmd.Parameters.AddWithValue(first);
            await using var reader = await cmd.ExecuteReaderAsync(http.RequestAborted);
            var rows = new List<InquiryLedgerRow>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                rows.Add(new InquiryLedgerRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
            }
            return Results.Ok(rows);
        }).WithTags("Supervision · 问责台账").WithSummary("首问负责台账：每人每月登记、答复、转办及未指明接办人的转办次数");

        supervision.MapGet("/ledger/accountability", async Task<IResult> (string? month, string? kind, HttpContext http, NpgsqlDataSource db) =>
        {
            if (!DateOnly.TryParseExact((month ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
                return Problems.Problem(400, "ledger.month_invalid", "请以 yyyy-MM 格式指定月份，例如 2025-09。");
            if (kind is not (null or "Person" or "Department"))
                return Problems.Problem(400, "ledger.kind_invalid", "kind 只能是 Person 或 Department。");
            await using var cmd = db.CreateCommand(
                """
                SELECT subject_kind, subject_id, subject_name, month, steps_handled, steps_over_share, over_share_days, parts_decided, repeat_notices,
                       deemed_acceptances, referrals_without_target
                FROM cf_ledger_accountability WHERE month = $1 AND ($2::text IS NULL OR subject_kind = $2)
                ORDER BY over_share_days DESC, repeat_notices + deemed_acceptances + referrals_without_target DESC, subject_kind, subject_id
                """);
            cmd.Parameters.AddWithValue(first);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await cmd.ExecuteReaderAsync(http.RequestAborted);
            var rows = new List<AccountabilityLedgerRow>();
            while (await reader.ReadAsync(http.RequestAborted))
            {
                rows.Add(new AccountabilityLedgerRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
            }
            return Results.Ok(rows);
        }).WithTags("Supervision · 问责台账").WithSummary("问责台账：每人、每部门每月办理环节数、超出环节时限的环节和工作日、决定数、二次告知、视为受理、未指明接办人的转办");
        return supervision;
    }
}
