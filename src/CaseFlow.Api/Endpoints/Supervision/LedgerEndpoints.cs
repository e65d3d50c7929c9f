using System.Globalization;
using CaseFlow.Api.Infrastructure;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Supervision;

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
        return supervision;
    }
}
