using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Inquiries;

// 首问 (first inquiry) events: DOMAIN.md §4 ("an inquiry stream per first inquiry") and §6 (首问负责).
// Past tense, carry the stream id, who and when. Never edited; a new shape gets a new version.

/// <summary>A member of staff registered a first inquiry and now owns it (首问负责).</summary>
public sealed record InquiryRegistered(
    Guid InquiryId,
    string EnquirerName,
    string? EnquirerPhone,
    string Topic,
    string? ServiceItemCode,
    Channel Channel,
    string OwnerId,
    string OwnerName,
    string CentreId,
    DateTimeOffset RegisteredAt);

/// <summary>The owner answered the inquiry; ownership ends.</summary>
public sealed record InquiryAnswered(Guid InquiryId, string Answer, string AnsweredById, string AnsweredByName, DateTimeOffset AnsweredAt);

/// <summary>
/// The owner referred the inquiry. A referral must name the target window and person (DOMAIN.md §6);
/// when it does not, the owner had to give an override reason and <see cref="WithoutNamedTarget"/> is true —
/// the accountability ledger counts it against the owner.
/// </summary>
public sealed record InquiryReferred(
    Guid InquiryId,
    string? TargetWindowId,
    string? TargetPersonId,
    string? TargetPersonName,
    string Reason,
    bool WithoutNamedTarget,
    string ReferredById,
    string ReferredByName,
    DateTimeOffset ReferredAt);

/// <summary>The owner took the inquiry in as a case (收件); ownership passes to the case.</summary>
public sealed record InquiryTakenInAsCase(Guid InquiryId, Guid CaseId, string TakenInById, DateTimeOffset TakenInAt);
