using System.Globalization;
using System.Text.Json;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.Calendar;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.Acceptance;

/// <summary>A receipt as a clerk or agent fills it in; the desk resolves the rest.</summary>
public sealed record ReceiptForm(
    string? WindowId, Guid ItemId, Applicant? Applicant, IReadOnlyList<ReceivedMaterial>? Materials, Channel Channel, WrittenAuthorisation? Authorisation, Guid? InquiryId = null);

/// <summary>
/// What the window's commands need from the read side before the pure decider runs: which window and centre a
/// receipt lands at, the item's current revision, the centre's name for documents, the calendar, and the next
/// case number. Shared by the HTTP endpoints, the demo seed and the deadline job, so all go the same way.
/// </summary>
public sealed class CaseDesk(NpgsqlDataSource db, PostgresEventStore store, TimeProvider clock)
{
    /// <summary>
    /// Resolves a receipt into the command: a clerk's own-centre window that accepts the item, or for a village
    /// agent the comprehensive window of the agent's township centre. The case number is taken only once the
    /// decider would accept the receipt, so refused receipts do not use numbers up.
    /// </summary>
    public async Task<(ReceiveCase? Command, Desk? Desk, DomainError? Error)> PrepareReceiptAsync(
        ReceiptForm form, Guid caseId, Actor actor, string? actingCentreId, DateTimeOffset now, CancellationToken ct = default)
    {
        var agent = actor.Role == Role.Agent;
        await using var find = db.CreateCommand(
            agent
                ? """
                  SELECT c.centre_code, c.name, w.window_id, i.revision, i.definition::text
                  FROM cf_service_items i
                  JOIN cf_centres c ON c.centre_code = $1
                  LEFT JOIN LATERAL (
                      SELECT w.window_id FROM cf_windows w
                      WHERE w.centre_id = c.centre_id AND w.kind = 'Comprehensive'
                        AND (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes))
                      ORDER BY w.number LIMIT 1) w ON true
                  WHERE i.item_id = $2
                  """
                : """
                  SELECT c.centre_code, c.name, w.window_id, i.revision, i.definition::text,
                         (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes))
                  FROM cf_windows w JOIN cf_centres c ON c.centre_id = w.centre_id
                  LEFT JOIN cf_service_items i ON i.item_id = $2
                  WHERE w.window_id = $1
                  """);
        find.Parameters.AddWithValue(agent ? actingCentreId ?? "" : form.WindowId ?? "");
        find.Parameters.AddWithValue(form.ItemId);
        string centre, centreName, windowId;
        int revision;
        ServiceItemDefinition item;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
                return (null, null, agent
                    ? DomainError.NotFound("catalogue.item_not_found", "未找到该事项。")
                    : DomainError.NotFound("organisation.window_not_found", "未找到该窗口。"));
            centre = reader.GetString(0);
            if (!agent && centre != actingCentreId)
                return (null, null, DomainError.Forbidden("organisation.window_of_other_centre", "只能在本中心的窗口收件。"));
            if (reader.IsDBNull(3))
                return (null, null, DomainError.NotFound("catalogue.item_not_found", "未找到该事项。"));
            if (agent ? reader.IsDBNull(2) : !reader.GetBoolean(5))
                return (null, null, DomainError.Rule("case.item_not_accepted_here", "本窗口不受理该事项，请引导申请人到相应窗口。"));
            centreName = reader.GetString(1);
            windowId = reader.GetString(2);
            revision = reader.GetInt32(3);
            item = JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(4), EventSerializer.Options)!;
        }

        InquiryOnFile? inquiry = null;
        if (form.InquiryId is { } inquiryId)
        {
            var stream = await store.LoadAsync(inquiryId, ct);
            if (stream is null || stream.Kind != Inquiry.Kind.Name)
                return (null, null, DomainError.NotFound("inquiry.not_found", "未找到该首问登记。"));
            inquiry = new InquiryOnFile(Inquiry.Kind.Fold(stream.Events.Select(e => e.Data)), stream.Version);
        }

        var desk = new Desk(actingCentreId, centreName, await CalendarAsync(ct));
        var command = new ReceiveCase(caseId, form.ItemId, revision, item,
            form.Applicant ?? new Applicant(ApplicantKind.Person, "", null, null, null, null), form.Materials ?? [],
            agent ? Channel.VillageAgent : form.Channel, centre, windowId, "", form.Authorisation, inquiry);
        if (CaseDecider.Decide(command, CaseFile.Empty, actor, desk, now).Error is { } refused)
            return (null, null, refused);
        return (command with { CaseNumber = await NextCaseNumberAsync(centre, WorkingCalendar.BeijingDate(now), ct) }, desk, null);
    }

    /// <summary>The desk for a command on an existing case: its centre's name and the calendar in force.</summary>
    public async Task<Desk> ForCaseAsync(Guid caseId, string? actingCentreId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT c.name FROM cf_cases k JOIN cf_centres c ON c.centre_code = k.centre_id WHERE k.case_id = $1");
        cmd.Parameters.AddWithValue(caseId);
        var name = await cmd.ExecuteScalarAsync(ct) as string ?? "";
        return new Desk(actingCentreId, name, await CalendarAsync(ct));
    }

    /// <summary>
    /// The calendar case deadlines are counted with: the published years, and provisional ones through next year
    /// (<see cref="WorkingCalendar.WithProvisionalYearsThrough"/>) so that acceptance never stops at a year end.
    /// </summary>
    public async Task<WorkingCalendar> CalendarAsync(CancellationToken ct = default) =>
        (await CalendarYearsProjection.LoadAsync(db, ct)).WithProvisionalYearsThrough(WorkingCalendar.BeijingDate(clock.GetUtcNow()).Year + 1);

    /// <summary>
    /// The next case number of a centre for a day: <c>361130100-20250926-0001</c> (the centre's region code, the
    /// date, a counter). Taken in its own transaction: a failed command leaves a gap, a number is never reused.
    /// </summary>
    public async Task<string> NextCaseNumberAsync(string centreCode, DateOnly day, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO cf_case_numbers (centre_code, day, last) VALUES ($1, $2, 1)
            ON CONFLICT (centre_code, day) DO UPDATE SET last = cf_case_numbers.last + 1
            RETURNING last
            """);
        cmd.Parameters.AddWithValue(centreCode);
        cmd.Parameters.AddWithValue(day);
        var counter = (int)(await cmd.ExecuteScalarAsync(ct))!;
        var digits = new string(centreCode.Where(char.IsAsciiDigit).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"{(digits.Length > 0 ? digits : centreCode)}-{day:yyyyMMdd}-{counter:D4}");
    }
}
