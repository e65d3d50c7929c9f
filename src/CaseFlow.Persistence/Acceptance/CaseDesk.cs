using System.Globalization;
using System.Text.Json;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
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
    string? WindowId, Guid ItemId, Applicant? Applicant, IReadOnlyList<ReceivedMaterial>? Materials, Channel Channel, WrittenAuthorisation? Authorisation,
    Guid? InquiryId = null, Guid? BundleId = null);

/// <summary>
/// What the window's commands need from the read side before the pure decider runs: which window and centre a
/// receipt lands at, the item's current revision, the centre's name for documents, the calendar, and the next
/// case number. Shared by the HTTP endpoints, the demo seed and the deadline job, so all go the same way.
/// </summary>
public sealed class CaseDesk(NpgsqlDataSource db, IEventStore store, CalendarProvider calendars)
{
    /// <summary>
    /// Resolves a receipt into the command: a clerk's own-centre window that accepts the item, or for a village
    /// agent the comprehensive window of the agent's township centre. The case number is taken only once the
    /// decider would accept the receipt, so refused receipts do not use numbers up.
    /// </summary>
    public async Task<(ReceiveCase? Command, Desk? Desk, DomainError? Error)> PrepareReceiptAsync(
        ReceiptForm form, Guid caseId, Actor actor, string? actingCentreId, DateTimeOffset now, CancellationToken ct = default)
    {
        if (form.BundleId is { } bundleId)
            return await PrepareBundleReceiptAsync(form, bundleId, caseId, actor, actingCentreId, now, ct);
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

    /// <summary>
    /// 一件事 at the window: every item of the bundle must be one this window accepts; the case gets one merged
    /// checklist (a material the items share is asked for once) and the bundle's limits, and records each item
    /// with its revision (<see cref="BundleCaseComposed"/>) for the parallel back-office parts.
    /// </summary>
    private async Task<(ReceiveCase? Command, Desk? Desk, DomainError? Error)> PrepareBundleReceiptAsync(
        ReceiptForm form, Guid bundleId, Guid caseId, Actor actor, string? actingCentreId, DateTimeOffset now, CancellationToken ct)
    {
        var bundleStream = await store.LoadAsync(bundleId, ct);
        if (bundleStream is null || bundleStream.Kind != Bundle.Kind.Name || Bundle.Kind.Fold(bundleStream.Events.Select(e => e.Data)).Definition is not { } bundle)
            return (null, null, DomainError.NotFound("catalogue.bundle_not_found", "未找到该“一件事”。"));
        if (actor.Role != Role.Clerk)
            return (null, null, DomainError.Forbidden("case.bundle_clerk_only", "“一件事”须在综合窗口收件。"));
        await using var find = db.CreateCommand(
            """
            SELECT c.centre_code, c.name, i.item_id, i.revision, i.definition::text,
                   (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes))
            FROM cf_windows w JOIN cf_centres c ON c.centre_id = w.centre_id
            LEFT JOIN cf_service_items i ON i.implementation_code = ANY ($2)
            WHERE w.window_id = $1
            """);
        find.Parameters.AddWithValue(form.WindowId ?? "");
        find.Parameters.AddWithValue(bundle.ItemCodes.ToArray());
        string? centre = null, centreName = null;
        var parts = new List<BundlePart>();
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                centre = reader.GetString(0);
                centreName = reader.GetString(1);
                if (reader.IsDBNull(2))
                    continue;
                if (!reader.GetBoolean(5))
                    return (null, null, DomainError.Rule("case.item_not_accepted_here", "本窗口不受理该“一件事”包含的全部事项，请引导申请人到相应窗口。"));
                parts.Add(new BundlePart(reader.GetGuid(2), reader.GetInt32(3), JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(4), EventSerializer.Options)!));
            }
        }
        if (centre is null)
            return (null, null, DomainError.NotFound("organisation.window_not_found", "未找到该窗口。"));
        if (centre != actingCentreId)
            return (null, null, DomainError.Forbidden("organisation.window_of_other_centre", "只能在本中心的窗口收件。"));
        parts = bundle.ItemCodes.Select(code => parts.FirstOrDefault(p => p.Definition.ImplementationCode == code)).OfType<BundlePart>().ToList();
        if (parts.Count != bundle.ItemCodes.Count)
            return (null, null, DomainError.NotFound("catalogue.item_not_found", "“一件事”包含的事项未在目录中找到。"));

        var composed = new BundleCaseComposed(caseId, bundleId, bundle, parts);
        var desk = new Desk(actingCentreId, centreName!, await CalendarAsync(ct));
        var command = new ReceiveCase(caseId, bundleId, (int)bundleStream.Version, BundleChecklist.Compose(bundle, parts),
            form.Applicant ?? new Applicant(ApplicantKind.Person, "", null, null, null, null), form.Materials ?? [], form.Channel, centre, form.WindowId!, "", null, null, composed);
        if (CaseDecider.Decide(command, CaseFile.Empty, actor, desk, now).Error is { } refused)
            return (null, null, refused);
        return (command with { CaseNumber = await NextCaseNumberAsync(centre, WorkingCalendar.BeijingDate(now), ct) }, desk, null);
    }

    /// <summary>
    /// The desk for a command on an existing case: its centre's name, the calendar in force, the departments it
    /// may be dispatched to, the centre's 办不成事 window, and — for the acting person — their department and
    /// whether they are away right now (a declared absence covers this instant: AB岗).
    /// </summary>
    public async Task<Desk> ForCaseAsync(Guid caseId, string? actingCentreId, string? actingDepartmentId = null, string? actorId = null, CancellationToken ct = default)
    {
        await using var batch = new NpgsqlBatch(await db.OpenConnectionAsync(ct));
        await using var connection = batch.Connection!;
        batch.BatchCommands.Add(Statements.Command(
            """
            SELECT c.name, (SELECT w.window_id FROM cf_windows w WHERE w.centre_id = c.centre_id AND w.kind = 'CantGetItDone' ORDER BY w.number LIMIT 1), c.region_code
            FROM cf_cases k JOIN cf_centres c ON c.centre_code = k.centre_id WHERE k.case_id = $1
            """, caseId));
        batch.BatchCommands.Add(Statements.Command("SELECT d.department_id, d.name, c.name FROM cf_departments d JOIN cf_centres c ON c.centre_id = d.centre_id"));
        batch.BatchCommands.Add(Statements.Command("SELECT EXISTS (SELECT 1 FROM cf_absences WHERE holder_id = $1 AND from_at <= $2 AND to_at > $2)", actorId ?? "", calendars.Clock.GetUtcNow()));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        string name = "", cantGetItDone = "";
        string? region = null;
        if (await reader.ReadAsync(ct))
        {
            name = reader.GetString(0);
            cantGetItDone = reader.IsDBNull(1) ? "" : reader.GetString(1);
            region = reader.GetString(2);
        }
        await reader.NextResultAsync(ct);
        var departments = new Dictionary<string, DepartmentInfo>();
        while (await reader.ReadAsync(ct))
            departments[reader.GetString(0)] = new DepartmentInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var absent = reader.GetBoolean(0);
        await reader.DisposeAsync();
        return new Desk(actingCentreId, name, await CalendarAsync(ct), departments, actingDepartmentId, absent, cantGetItDone.Length > 0 ? cantGetItDone : null, region);
    }

    /// <summary>A registered member of staff: name, role and department; null when nobody has that id.</summary>
    public async Task<(string Name, string Role, string? DepartmentId)?> StaffMemberAsync(string staffId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT name, role, department_id FROM cf_staff WHERE staff_id = $1");
        cmd.Parameters.AddWithValue(staffId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _regions = new(StringComparer.Ordinal);

    /// <summary>
    /// The region code of a centre (null for an unknown centre): the case's place in supervisors' subtrees. A centre
    /// is established for one region and never moves, so a found region is remembered (every case read asks).
    /// </summary>
    public async Task<string?> RegionOfCentreAsync(string centreCode, CancellationToken ct = default)
    {
        if (_regions.TryGetValue(centreCode, out var known))
            return known;
        await using var cmd = db.CreateCommand("SELECT region_code FROM cf_centres WHERE centre_code = $1");
        cmd.Parameters.AddWithValue(centreCode);
        if (await cmd.ExecuteScalarAsync(ct) is not string region)
            return null;
        _regions[centreCode] = region;
        return region;
    }

    /// <summary>The calendar case deadlines are counted with (cached; provisional years through next year).</summary>
    public Task<WorkingCalendar> CalendarAsync(CancellationToken ct = default) => calendars.ForDeadlinesAsync(ct);

    /// <summary>Drops this node's cached calendar: the next read loads the published years again.</summary>
    public void ForgetCalendar() => calendars.Invalidate();

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
