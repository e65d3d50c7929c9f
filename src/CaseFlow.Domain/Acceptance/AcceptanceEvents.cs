using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Acceptance;

/// <summary>The documents the window prints at acceptance (DOMAIN.md §7).</summary>
public enum DocumentKind
{
    /// <summary>受理通知书</summary>
    AcceptanceNotice,
    /// <summary>一次性告知书</summary>
    OneTimeNotice,
    /// <summary>容缺受理通知书 (with the applicant's commitment)</summary>
    DeficiencyAcceptanceNotice,
    /// <summary>不予受理决定书</summary>
    NonAcceptanceDecision,
    /// <summary>特别程序告知书 (clock suspended)</summary>
    SuspensionNotice,
    /// <summary>延期告知书</summary>
    ExtensionNotice,
    /// <summary>准予 / 不予许可决定书 of one department's part</summary>
    Decision,
}

/// <summary>
/// What makes a printed document official (DOMAIN.md §7): its number, the centre's name and seal (审批服务专用章,
/// "one seal for approvals") and the date. Recorded in the event that issued it, so a reprint years later is the
/// same document.
/// </summary>
public sealed record DocumentStamp(DocumentKind Kind, string Number, string CentreName, string Seal, DateOnly IssuedOn);

/// <summary>
/// The case got its number at receipt: unique, readable, the centre's code and the receipt date in it, never
/// reused. It is assigned at receipt (not at acceptance) because the one-time notice and the non-acceptance
/// decision carry it too; the acceptance notice is what gives it to the applicant.
/// </summary>
public sealed record CaseNumberAssigned(Guid CaseId, string CaseNumber, DateTimeOffset AssignedAt);

/// <summary>The resident's written authorisation (委托书) for a village agent (DOMAIN.md §6 帮代办).</summary>
public sealed record WrittenAuthorisation(string Reference, string GrantorName, DateOnly SignedOn);

/// <summary>
/// A village agent submitted the case for a resident: the authorisation is on record, the case went to the
/// township centre's comprehensive window, and that window must act by <see cref="ActBy"/> (3 working days).
/// </summary>
public sealed record AgentSubmissionRecorded(
    Guid CaseId, string AgentId, string AgentName, string StationId, string StationName, WrittenAuthorisation Authorisation,
    string RoutedToWindowId, WorkingDeadline ActBy, DateTimeOffset SubmittedAt);

public enum MaterialProblem
{
    Missing,
    NonConforming,
}

/// <summary>One line of a one-time notice: what is wrong with a material, why, and on which legal basis.</summary>
public sealed record NoticeItem(string Code, string Name, MaterialProblem Problem, string Reason, string LegalBasis);

/// <summary>
/// 一次性告知: the clerk told the applicant in writing everything that is missing or non-conforming
/// (DOMAIN.md §6). <see cref="Ordinal"/> 2+ is a later notice; the letter's own life is the notice stream.
/// </summary>
public sealed record OneTimeNoticeIssued(
    Guid CaseId, Guid NoticeId, int Ordinal, IReadOnlyList<NoticeItem> Items, string Procedure, DocumentStamp Document,
    string IssuedById, string IssuedByName, DateTimeOffset IssuedAt);

/// <summary>
/// 二次告知 violation: a later notice named materials that were not submitted after the first notice, and the
/// clerk overrode the refusal with a reason. Supervision reads it as an accountability record.
/// </summary>
public sealed record RepeatNoticeRecorded(
    Guid CaseId, Guid NoticeId, IReadOnlyList<string> MaterialCodes, string OverrideReason, string ClerkId, string ClerkName, DateTimeOffset RecordedAt);

/// <summary>The applicant brought materials (corrections, 容缺 items, or more before the clerk decided).</summary>
public sealed record MaterialsSupplemented(
    Guid CaseId, IReadOnlyList<ReceivedMaterial> Materials, string ReceivedById, string ReceivedByName, DateTimeOffset ReceivedAt);

public enum AcceptanceRoute
{
    /// <summary>Complete at the window: accepted on the spot or within the notice period.</summary>
    Complete,
    /// <summary>Accepted on the day the complete set of corrections arrived (DOMAIN.md §5 rule 4).</summary>
    AfterCorrections,
}

/// <summary>受理: the clock starts. Due dates follow the pinned item revision (DOMAIN.md §5 rule 5).</summary>
public sealed record CaseAccepted(
    Guid CaseId, string CaseNumber, AcceptanceRoute Route, DateOnly AcceptedOn, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue,
    DocumentStamp Document, string AcceptedById, string AcceptedByName, DateTimeOffset AcceptedAt);

/// <summary>A missing non-key material the applicant committed to bring by <see cref="DueOn"/>.</summary>
public sealed record Deficiency(string Code, string Name, DateOnly DueOn);

/// <summary>
/// 容缺受理: every key material present; each missing non-key one listed with its due date and the applicant's
/// signed commitment (DOMAIN.md §6). The result cannot be handed out until everything is supplied.
/// </summary>
public sealed record CaseAcceptedWithDeficiency(
    Guid CaseId, string CaseNumber, DateOnly AcceptedOn, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue,
    IReadOnlyList<Deficiency> Deficiencies, string Commitment, DocumentStamp Document, string AcceptedById, string AcceptedByName, DateTimeOffset AcceptedAt);

/// <summary>Every 容缺 material arrived: the case is an ordinary accepted case again.</summary>
public sealed record DeficiencyCleared(Guid CaseId, DateTimeOffset ClearedAt);

/// <summary>The case ended without a decision, e.g. a 容缺 due date passed (<c>deficiency.not_supplied</c>).</summary>
public sealed record CaseTerminated(Guid CaseId, string ReasonCode, string Reason, IReadOnlyList<string> MaterialCodes, DateTimeOffset TerminatedAt);

/// <summary>
/// 不予受理 (Art. 32, 38): the reason, its legal basis and the applicant's remedies; a case outside the centre's
/// competence names the competent body.
/// </summary>
public sealed record CaseRejected(
    Guid CaseId, string Reason, string LegalBasis, bool NotCompetent, string? CompetentBody, string ReconsiderationBody, string Court,
    DocumentStamp Document, string RejectedById, string RejectedByName, DateTimeOffset RejectedAt);

/// <summary>
/// 视为受理 (Art. 32; DOMAIN.md §5 rule 3): no notice or decision within 5 working days of receipt, so the case is
/// accepted as of the receipt date, and that is recorded against the person responsible for acting.
/// </summary>
public sealed record CaseDeemedAccepted(
    Guid CaseId, string CaseNumber, DateOnly AcceptedOn, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue, WorkingDeadline NoticePeriod,
    string ResponsibleId, string ResponsibleName, string ResponsibleUnit, DocumentStamp Document, DateTimeOffset RecordedAt);

/// <summary>即办件: finished in the same visit it was accepted in (DOMAIN.md §5 rule 10).</summary>
public sealed record CaseCompletedOnTheSpot(Guid CaseId, string Result, string CompletedById, string CompletedByName, DateTimeOffset CompletedAt);

/// <summary>Notice stream: the letter was issued (its content is on the case's <see cref="OneTimeNoticeIssued"/>).</summary>
public sealed record NoticeIssued(Guid NoticeId, Guid CaseId, string CentreId, string DocumentNumber, IReadOnlyList<string> MaterialCodes, DateTimeOffset IssuedAt);

/// <summary>Notice stream: the applicant signed the stub (回执).</summary>
public sealed record NoticeStubSigned(Guid NoticeId, string SignedBy, string RecordedById, string RecordedByName, DateTimeOffset SignedAt);

/// <summary>Notice stream: corrections arrived; <see cref="Complete"/> when nothing of the letter is still open.</summary>
public sealed record NoticeCorrectionsReceived(Guid NoticeId, IReadOnlyList<string> MaterialCodes, bool Complete, DateTimeOffset ReceivedAt);

/// <summary>Notice stream: the letter is done with (<c>corrections_complete</c>, <c>case_rejected</c>).</summary>
public sealed record NoticeClosed(Guid NoticeId, string Reason, DateTimeOffset ClosedAt);
