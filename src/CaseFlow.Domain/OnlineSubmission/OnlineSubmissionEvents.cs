namespace CaseFlow.Domain.OnlineSubmission;

/// <summary>
/// One electronic material of an online submission (网上办): what the provincial platform holds, described — the
/// checklist code it answers, the file's name, media type and size, its SHA-256 content hash and the platform's own
/// reference to fetch it. The file itself stays in the platform (issue 17); the hash makes what the clerk looked at
/// provable later.
/// </summary>
public sealed record ElectronicMaterial(string Code, string FileName, string MediaType, long SizeBytes, string Sha256, string FileReference);

/// <summary>
/// Case stream: the case came in through the provincial platform (channel <c>Online</c>). The receipt instant
/// (<see cref="ReceivedAt"/>, CaseFlow's clock when the signed request arrived) is what the 5-working-day notice
/// period counts from; <see cref="SubmittedAt"/> is when the applicant submitted on the platform, as the platform says.
/// The case went to the 预审 (pre-review) queue of <see cref="RoutedToWindowId"/>'s centre.
/// </summary>
public sealed record OnlineSubmissionRecorded(
    Guid CaseId, Guid SubmissionStreamId, string PlatformId, string PlatformName, string SubmissionId, DateTimeOffset SubmittedAt,
    IReadOnlyList<ElectronicMaterial> Materials, string RoutedToWindowId, DateTimeOffset ReceivedAt);

/// <summary>
/// Submission stream (one per platform submission id): CaseFlow took the submission in as <see cref="CaseId"/>.
/// <see cref="RequestHash"/> (SHA-256 of the request body) tells a replay of the same submission from another body
/// sent under the same id.
/// </summary>
public sealed record OnlineSubmissionReceived(
    Guid SubmissionStreamId, string PlatformId, string SubmissionId, Guid CaseId, string CaseNumber, string CentreId, string WindowId,
    int MaterialCount, string RequestHash, DateTimeOffset SubmittedAt, DateTimeOffset ReceivedAt);

/// <summary>What the clerk's (or the law's) acceptance decision was, as the platform is told it.</summary>
public enum OnlineOutcome
{
    /// <summary>受理 (also after complete corrections).</summary>
    Accepted,
    /// <summary>容缺受理.</summary>
    AcceptedWithDeficiency,
    /// <summary>视为受理: no notice or decision within 5 working days of the online receipt.</summary>
    DeemedAccepted,
    /// <summary>一次性告知 issued: the applicant must correct.</summary>
    NoticeIssued,
    /// <summary>不予受理.</summary>
    Rejected,
}

/// <summary>
/// Submission stream: an acceptance decision on the case, recorded on the submission in the same transaction as the
/// decision itself, so the platform's (and the applicant's) message leaves through the outbox with it.
/// <see cref="Detail"/> is what the applicant reads: the materials to correct, or the reason for rejection.
/// </summary>
public sealed record OnlineOutcomeRecorded(
    Guid SubmissionStreamId, string PlatformId, string SubmissionId, Guid CaseId, string CaseNumber, OnlineOutcome Outcome, string? DocumentNumber, string? Detail, DateTimeOffset RecordedAt);
