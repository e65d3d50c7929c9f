using System.Text.RegularExpressions;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.OnlineSubmission;

/// <summary>
/// The submission as the platform sees it (its own stream, one per platform submission id): which case it became,
/// the hash of the request it came with, and the acceptance outcomes it was told (issue 17, 网上办).
/// </summary>
public sealed record OnlineSubmissionFile(Guid Id, Guid CaseId, string PlatformId, string SubmissionId, string CaseNumber, string RequestHash, IReadOnlyList<OnlineOutcomeRecorded> Outcomes)
{
    public static readonly OnlineSubmissionFile Empty = new(Guid.Empty, Guid.Empty, "", "", "", "", []);

    public static readonly StreamKind<OnlineSubmissionFile> Kind = new("online-submission", Empty, Evolve);

    public bool Exists => Id != Guid.Empty;

    public static OnlineSubmissionFile Evolve(OnlineSubmissionFile s, object e) => e switch
    {
        OnlineSubmissionReceived r => s with { Id = r.SubmissionStreamId, CaseId = r.CaseId, PlatformId = r.PlatformId, SubmissionId = r.SubmissionId, CaseNumber = r.CaseNumber, RequestHash = r.RequestHash },
        OnlineOutcomeRecorded o => s with { Outcomes = [.. s.Outcomes, o] },
        _ => s,
    };
}

/// <summary>
/// 网上办 intake: the host has verified the platform's signature, resolved the centre, the comprehensive window that
/// accepts the item and its current revision, and taken the case number; <see cref="Receipt"/> is the receipt as
/// the window's would be (its materials are derived here from the electronic ones).
/// </summary>
public sealed record SubmitOnline(
    ReceiveCase Receipt, Guid SubmissionStreamId, string SubmissionId, DateTimeOffset SubmittedAt, IReadOnlyList<ElectronicMaterial> Materials, string RequestHash);

/// <summary>
/// Online submission (网上办, issue 17). Pure: the platform's submission becomes a case through the same receipt
/// rules as at the counter (<see cref="CaseDecider"/>), with channel <c>Online</c> and its electronic materials on
/// record; later, every acceptance decision on such a case is mirrored onto the submission stream
/// (<see cref="Follow"/>) so the platform and the applicant are told through the outbox.
/// </summary>
public static class OnlineSubmissionDecider
{
    public const int MaxMaterials = 100;

    /// <summary>The largest file the platform may describe: 100 MiB (the platform keeps the file).</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    /// <summary>How far the platform's own submission time may lie ahead of CaseFlow's clock (clock skew).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The document formats the provincial platform stores electronic materials in (PDF, OFD — GB/T 33190 — and scans).</summary>
    public static readonly IReadOnlySet<string> MediaTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "application/ofd", "image/jpeg", "image/png", "image/tiff",
    };

    private static readonly Regex Sha256Hex = new("^[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public static Decision Decide(SubmitOnline c, CaseFile state, Actor actor, Desk desk, DateTimeOffset now)
    {
        if (actor.Role != Role.Platform || actor.Channel != Channel.Online)
            return DomainError.Forbidden("online.platform_only", "网上申报只能由省级政务服务平台提交。");
        if (state.Status != CaseStatus.None)
            return DomainError.Rule("case.already_received", "该办件已收件。");
        if (string.IsNullOrWhiteSpace(c.SubmissionId))
            return DomainError.Validation("online.submission_id_required", "请提供平台的申报编号（submissionId）。");
        if (c.SubmittedAt > now + FutureTolerance)
            return DomainError.Validation("online.submitted_in_future", "申报时间晚于当前时间，请核对平台时钟。");
        if (Validate(c.Receipt.Item, c.Materials) is { } invalid)
            return invalid;

        // What the applicant uploaded is present; every other checklist line is recorded as missing by the receipt rule.
        var present = c.Materials.Select(m => m.Code).Distinct(StringComparer.Ordinal)
            .Select(code => new ReceivedMaterial(code, MaterialState.Present, null)).ToList();
        var receipt = c.Receipt with { Channel = Channel.Online, Materials = present, Authorisation = null, Inquiry = null };
        var received = CaseDecider.Decide(receipt, state, actor, desk, now);
        if (received.Error is { } refused)
            return refused;

        var materials = c.Materials.Select(m => m with { Sha256 = m.Sha256.ToLowerInvariant(), FileName = m.FileName.Trim(), MediaType = m.MediaType.ToLowerInvariant() }).ToList();
        var recorded = new OnlineSubmissionRecorded(receipt.CaseId, c.SubmissionStreamId, actor.UnitId, actor.UnitName, c.SubmissionId, c.SubmittedAt,
            materials, receipt.WindowId, now);
        return Decision.Append([.. received.Events, recorded])
            .AndStart(c.SubmissionStreamId, OnlineSubmissionFile.Kind.Name, new OnlineSubmissionReceived(
                c.SubmissionStreamId, actor.UnitId, c.SubmissionId, receipt.CaseId, receipt.CaseNumber, receipt.CentreId, receipt.WindowId,
                materials.Count, c.RequestHash, c.SubmittedAt, now));
    }

    /// <summary>
    /// The same acceptance decision, and for a case that came online its outcome on the submission stream, in the
    /// same transaction (accepted, 容缺, deemed accepted, one-time notice, rejected). Any other case: unchanged.
    /// </summary>
    public static Decision Follow(CaseFile s, Decision decision, DateTimeOffset now)
    {
        if (decision.Error is not null || s.Online is not { } online)
            return decision;
        var number = s.Number ?? "";
        var outcomes = decision.Events.Select(e => e switch
        {
            CaseAccepted a => new OnlineOutcomeRecorded(online.SubmissionStreamId, online.PlatformId, online.SubmissionId, s.Id, number, OnlineOutcome.Accepted, a.Document.Number, null, now),
            CaseAcceptedWithDeficiency a => new OnlineOutcomeRecorded(online.SubmissionStreamId, online.PlatformId, online.SubmissionId, s.Id, number, OnlineOutcome.AcceptedWithDeficiency, a.Document.Number,
                string.Join("、", a.Deficiencies.Select(d => $"{d.Name}（{d.DueOn:yyyy-MM-dd}前补交）")), now),
            CaseDeemedAccepted d => new OnlineOutcomeRecorded(online.SubmissionStreamId, online.PlatformId, online.SubmissionId, s.Id, number, OnlineOutcome.DeemedAccepted, d.Document.Number, null, now),
            OneTimeNoticeIssued n => new OnlineOutcomeRecorded(online.SubmissionStreamId, online.PlatformId, online.SubmissionId, s.Id, number, OnlineOutcome.NoticeIssued, n.Document.Number,
                string.Join("、", n.Items.Select(i => $"{i.Name}（{i.Reason}）")), now),
            CaseRejected r => new OnlineOutcomeRecorded(online.SubmissionStreamId, online.PlatformId, online.SubmissionId, s.Id, number, OnlineOutcome.Rejected, r.Document.Number, r.Reason, now),
            _ => null,
        }).OfType<object>().ToArray();
        return decision.AndAppend(online.SubmissionStreamId, OnlineSubmissionFile.Kind.Name, outcomes);
    }

    /// <summary>The electronic materials: described completely, each for a line of the item's checklist.</summary>
    public static DomainError? Validate(Catalogue.ServiceItemDefinition item, IReadOnlyList<ElectronicMaterial>? materials)
    {
        if (materials is not { Count: > 0 })
            return DomainError.Validation("online.materials_required", "网上申报须附电子材料（至少一份）。");
        if (materials.Count > MaxMaterials)
            return DomainError.Validation("online.too_many_materials", $"电子材料最多 {MaxMaterials} 份。");
        foreach (var m in materials)
        {
            if (string.IsNullOrWhiteSpace(m.Code) || item.Materials.All(x => x.Code != m.Code))
                return DomainError.Validation("online.material_not_in_checklist", $"电子材料 {m.Code} 不在该事项的材料清单中。");
            if (string.IsNullOrWhiteSpace(m.FileName))
                return DomainError.Validation("online.material_file_name_required", $"电子材料 {m.Code} 缺少文件名。");
            if (string.IsNullOrWhiteSpace(m.MediaType) || !MediaTypes.Contains(m.MediaType))
                return DomainError.Validation("online.material_media_type_not_allowed", $"电子材料 {m.Code} 的文件格式不受支持（可用 PDF、OFD、JPEG、PNG、TIFF）。");
            if (m.SizeBytes is < 1 or > MaxFileBytes)
                return DomainError.Validation("online.material_size_invalid", $"电子材料 {m.Code} 的文件大小须在 1 字节至 100 MB 之间。");
            if (m.Sha256 is null || !Sha256Hex.IsMatch(m.Sha256))
                return DomainError.Validation("online.material_hash_invalid", $"电子材料 {m.Code} 的 SHA-256 摘要须为 64 位十六进制数。");
            if (string.IsNullOrWhiteSpace(m.FileReference))
                return DomainError.Validation("online.material_reference_required", $"电子材料 {m.Code} 缺少平台文件标识。");
        }
        if (materials.GroupBy(m => m.Sha256.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return DomainError.Validation("online.material_repeated", $"同一文件（{twice.First().FileName}）重复提交。");
        return null;
    }
}
