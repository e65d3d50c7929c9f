using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.OnlineSubmission;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Commands;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Persistence.OnlineSubmission;

/// <summary>
/// A submission as the provincial platform sends it (issue 17; <c>contracts/online/submission.json</c>): its own
/// submission id, the centre (its code) and the item (its implementation code, 实施编码) it is for, the applicant,
/// when the applicant submitted, and the electronic materials (described; the files stay in the platform).
/// </summary>
public sealed record OnlineSubmissionForm(
    string SubmissionId, string CentreCode, string ItemCode, Applicant Applicant, DateTimeOffset SubmittedAt, IReadOnlyList<ElectronicMaterial> Materials);

/// <summary>What became of a submission sent to <see cref="OnlineIntake"/>.</summary>
public abstract record OnlineIntakeResult
{
    private OnlineIntakeResult() { }

    /// <summary>A new case, in the centre's 预审 queue.</summary>
    public sealed record Created(Guid CaseId, string CaseNumber, long Version) : OnlineIntakeResult;

    /// <summary>The same submission again (same id, same content): the case it became the first time.</summary>
    public sealed record Replayed(Guid CaseId, string CaseNumber) : OnlineIntakeResult;

    /// <summary>The same submission id with other content: refused, the first case stands.</summary>
    public sealed record IdReused(Guid CaseId) : OnlineIntakeResult;

    public sealed record Refused(DomainError Error) : OnlineIntakeResult;
}

/// <summary>
/// 网上办 intake, shared by the platform's endpoint and the demo seed (the same command either way). Idempotent by
/// the platform's submission id: the submission stream's and the case's ids are derived from
/// <c>&lt;platform&gt;/&lt;submission id&gt;</c> (<see cref="StableId"/>), so a replay finds the case the first
/// request made — also when two copies race (the loser's write conflicts, and it answers as a replay).
/// </summary>
public sealed class OnlineIntake(CommandPipeline pipeline, IEventStore store, CaseDesk desks, NpgsqlDataSource db)
{
    public static Guid SubmissionStreamIdFor(string platformId, string submissionId) => StableId.For("online-submission", $"{platformId}/{submissionId.Trim()}");

    public static Guid CaseIdFor(string platformId, string submissionId) => StableId.For("online-case", $"{platformId}/{submissionId.Trim()}");

    /// <summary>The content of a submission, canonically serialised and hashed: what "the same submission" means.</summary>
    public static string HashOf(OnlineSubmissionForm form) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(form with { SubmittedAt = form.SubmittedAt.ToUniversalTime() }, EventSerializer.Options))));

    public async Task<OnlineIntakeResult> SubmitAsync(OnlineSubmissionForm form, Actor platform, string correlationId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(form.SubmissionId))
            return new OnlineIntakeResult.Refused(DomainError.Validation("online.submission_id_required", "请提供平台的申报编号（submissionId）。"));
        var streamId = SubmissionStreamIdFor(platform.UnitId, form.SubmissionId);
        var caseId = CaseIdFor(platform.UnitId, form.SubmissionId);
        var hash = HashOf(form);
        if (await EarlierAsync(streamId, hash, ct) is { } earlier)
            return earlier;

        var (command, desk, refused) = await PrepareAsync(form, caseId, streamId, hash, platform, ct);
        if (refused is not null)
            return new OnlineIntakeResult.Refused(refused);
        var outcome = await pipeline.ExecuteAsync(CaseFile.Kind, caseId, new CommandContext("SubmitOnline", platform, correlationId, ResourcePath: $"/api/window/cases/{caseId}"),
            (state, now) => OnlineSubmissionDecider.Decide(command!, state, platform, desk!, now), ct);
        return outcome switch
        {
            CommandOutcome.Succeeded s => new OnlineIntakeResult.Created(caseId, command!.Receipt.CaseNumber, s.Version),
            // Another copy of the same submission won the race: answer as its replay (the number taken here stays a gap).
            CommandOutcome.Conflict or CommandOutcome.Rejected { Error.Code: "case.already_received" } =>
                await EarlierAsync(streamId, hash, ct) ?? new OnlineIntakeResult.Refused(DomainError.Rule("online.submission_in_progress", "该申报正在办理中，请稍后重试。")),
            CommandOutcome.Rejected r => new OnlineIntakeResult.Refused(r.Error),
            _ => new OnlineIntakeResult.Refused(DomainError.Rule("online.submission_in_progress", "该申报正在办理中，请稍后重试。")),
        };
    }

    private async Task<OnlineIntakeResult?> EarlierAsync(Guid streamId, string hash, CancellationToken ct)
    {
        var stream = await store.LoadAsync(streamId, ct);
        if (stream is null || stream.Kind != OnlineSubmissionFile.Kind.Name)
            return null;
        var file = OnlineSubmissionFile.Kind.Fold(stream.Events.Select(e => e.Data));
        return file.RequestHash == hash
            ? new OnlineIntakeResult.Replayed(file.CaseId, file.CaseNumber)
            : new OnlineIntakeResult.IdReused(file.CaseId);
    }

    /// <summary>
    /// The receipt the window's would be: the centre named by its code, the item's current revision, the first
    /// comprehensive window of that centre that accepts the item (its 预审 queue). The case number is taken only
    /// once the decider would accept the submission.
    /// </summary>
    private async Task<(SubmitOnline? Command, Desk? Desk, DomainError? Error)> PrepareAsync(
        OnlineSubmissionForm form, Guid caseId, Guid streamId, string hash, Actor platform, CancellationToken ct)
    {
        await using var find = db.CreateCommand(
            """
            SELECT c.centre_code, c.name, w.window_id, i.item_id, i.revision, i.definition::text
            FROM cf_centres c
            LEFT JOIN cf_service_items i ON i.implementation_code = $2
            LEFT JOIN LATERAL (
                SELECT w.window_id FROM cf_windows w
                WHERE w.centre_id = c.centre_id AND w.kind = 'Comprehensive'
                  AND (i.category = ANY (w.accepted_categories) OR i.implementation_code = ANY (w.accepted_item_codes))
                ORDER BY w.number LIMIT 1) w ON true
            WHERE c.centre_code = $1
            """);
        find.Parameters.AddWithValue(form.CentreCode ?? "");
        find.Parameters.AddWithValue(form.ItemCode ?? "");
        string centre, centreName, windowId;
        Guid itemId;
        int revision;
        ServiceItemDefinition item;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
                return (null, null, DomainError.NotFound("online.centre_not_found", "未找到申报所指的服务中心（centreCode）。"));
            if (reader.IsDBNull(3))
                return (null, null, DomainError.NotFound("catalogue.item_not_found", "未找到该事项。"));
            if (reader.IsDBNull(2))
                return (null, null, DomainError.Rule("online.item_not_accepted_here", "该服务中心的综合窗口不受理此事项，请在平台上选择有权受理的服务中心。"));
            centre = reader.GetString(0);
            centreName = reader.GetString(1);
            windowId = reader.GetString(2);
            itemId = reader.GetGuid(3);
            revision = reader.GetInt32(4);
            item = JsonSerializer.Deserialize<ServiceItemDefinition>(reader.GetString(5), EventSerializer.Options)!;
        }
        var desk = new Desk(null, centreName, await desks.CalendarAsync(ct));
        var receipt = new ReceiveCase(caseId, itemId, revision, item, form.Applicant ?? new Applicant(ApplicantKind.Person, "", null, null, null, null), [],
            Channel.Online, centre, windowId, "", null);
        var command = new SubmitOnline(receipt, streamId, form.SubmissionId.Trim(), form.SubmittedAt, form.Materials ?? [], hash);
        var now = pipeline.Clock.GetUtcNow();
        if (OnlineSubmissionDecider.Decide(command, CaseFile.Empty, platform, desk, now).Error is { } refused)
            return (null, null, refused);
        var number = await desks.NextCaseNumberAsync(centre, WorkingCalendar.BeijingDate(now), ct);
        return (command with { Receipt = receipt with { CaseNumber = number } }, desk, null);
    }
}
