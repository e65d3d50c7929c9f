using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;

namespace CaseFlow.Domain.BackOffice;

/// <summary>One item of a bundle case, with the revision it was received under.</summary>
public sealed record BundlePart(Guid ItemId, int Revision, ServiceItemDefinition Definition);

/// <summary>
/// 一件事: the case was received for a bundle. Its checklist (on <see cref="CaseReceived"/>) is the items' materials
/// merged; its limits are the bundle's; each item becomes a part handled in parallel by its department.
/// </summary>
public sealed record BundleCaseComposed(Guid CaseId, Guid BundleId, BundleDefinition Bundle, IReadOnlyList<BundlePart> Parts);

/// <summary>The back-office work of one department on one item of the case, with the item's steps and shares.</summary>
public sealed record DispatchedPart(
    string PartId, Guid ItemId, string ItemName, string DepartmentId, string DepartmentName, string DecidingCentreName, IReadOnlyList<ApprovalStep> Steps, bool Lead);

/// <summary>
/// 前台受理、后台审批: on acceptance the case went to the departments that decide it — possibly in another centre
/// (县乡联办: accepted at the township, decided by a county department).
/// </summary>
public sealed record CaseDispatched(Guid CaseId, IReadOnlyList<DispatchedPart> Parts, string AcceptingCentreName, DateTimeOffset DispatchedAt);

/// <summary>签收: an approver of the department took the part on.</summary>
public sealed record CaseClaimed(Guid CaseId, string PartId, string ApproverId, string ApproverName, string DepartmentId, DateTimeOffset ClaimedAt);

public enum StepAction
{
    /// <summary>通过: to the next step.</summary>
    Pass,
    /// <summary>退回: back to the previous step.</summary>
    ReturnToPrevious,
    /// <summary>退回窗口: back to the comprehensive window, with a reason.</summary>
    ReturnToWindow,
}

/// <summary>
/// A step (承办 / 审核 / 决定) was done: who, what they said, what they did, when it started and ended, and how
/// many working days it used against its share (DOMAIN.md §5 rule 8) — the raw material of 限时办结 attribution.
/// </summary>
public sealed record StepCompleted(
    Guid CaseId, string PartId, int StepIndex, string StepName, StepAction Action, string Opinion, string HandlerId, string HandlerName,
    DateTimeOffset StartedAt, DateTimeOffset CompletedAt, int ShareWorkingDays, int UsedWorkingDays);

/// <summary>The window sent a part that was returned to it back to its department.</summary>
public sealed record PartResubmitted(Guid CaseId, string PartId, string Note, string ById, string ByName, DateTimeOffset ResubmittedAt);

/// <summary>The only lawful reasons to suspend the clock (Art. 45; DOMAIN.md §5 rule 7).</summary>
public enum SpecialProcedure
{
    /// <summary>听证</summary>
    Hearing,
    /// <summary>招标</summary>
    Tender,
    /// <summary>拍卖</summary>
    Auction,
    /// <summary>检验</summary>
    Inspection,
    /// <summary>检测</summary>
    Testing,
    /// <summary>检疫</summary>
    Quarantine,
    /// <summary>鉴定</summary>
    Appraisal,
    /// <summary>专家评审</summary>
    ExpertReview,
}

/// <summary>特别程序: the clock stopped, with a written notice to the applicant.</summary>
public sealed record ClockSuspended(
    Guid CaseId, Guid SuspensionId, string PartId, SpecialProcedure Procedure, string Reason, DocumentStamp Notice, string ById, string ByName, DateTimeOffset SuspendedAt);

/// <summary>
/// The clock runs again (special procedure over, or the back-office corrections arrived): the working days it
/// stood still, and every deadline recomputed with them added back.
/// </summary>
public sealed record ClockResumed(
    Guid CaseId, Guid StopId, int WorkingDaysStopped, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue, string ById, string ByName, DateTimeOffset ResumedAt);

/// <summary>
/// 补正 from the back office: a notice to the applicant (same repeat-notice rule as at the window); the clock
/// stops until the applicant supplements at the window.
/// </summary>
public sealed record CorrectionRequested(
    Guid CaseId, string PartId, Guid NoticeId, int Ordinal, IReadOnlyList<NoticeItem> Items, DocumentStamp Document, string ById, string ByName, DateTimeOffset RequestedAt);

/// <summary>延期: once per case, by the department head, with a reason and a notice; deadlines recomputed.</summary>
public sealed record CaseExtended(
    Guid CaseId, int WorkingDays, string Reason, DocumentStamp Notice, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue,
    string ApprovedById, string ApprovedByName, string DepartmentId, DateTimeOffset ExtendedAt);

/// <summary>A part changed hands (AB岗 absence, or explicitly by a department head or supervisor), with the reason.</summary>
public sealed record PartReassigned(Guid CaseId, string PartId, string FromId, string FromName, string ToId, string ToName, string Reason, string ById, DateTimeOffset ReassignedAt);

/// <summary>The department decided its part: 准予, or 不予许可 with reasons, legal basis and remedies.</summary>
public sealed record PartDecided(
    Guid CaseId, string PartId, bool Approved, string Opinion, string? LegalBasis, string? ReconsiderationBody, string? Court,
    string DeciderId, string DeciderName, DateTimeOffset DecidedAt);

/// <summary>
/// 办结: every part is decided. <see cref="Overdue"/> against the promised due date the window is judged on;
/// <see cref="WorkingDaysUsed"/>: working days from the clock's start to the decision, clock stops excluded, as
/// counted then (v2, for the reports' average and 90th percentile; null on decisions recorded as v1).
/// </summary>
public sealed record CaseDecided(
    Guid CaseId, bool Approved, DateOnly DecidedOn, WorkingDeadline PromisedDue, WorkingDeadline StatutoryDue, bool Overdue, int? WorkingDaysUsed, DateTimeOffset DecidedAt);

/// <summary>A result document: certificate or approval number and its validity.</summary>
public sealed record ResultDocument(string Kind, string Number, DateOnly? ValidFrom, DateOnly? ValidUntil);

/// <summary>The department registered its result documents, sealed with the centre's approval seal.</summary>
public sealed record ResultRegistered(Guid CaseId, string PartId, IReadOnlyList<ResultDocument> Documents, string SealId, string ById, string ByName, DateTimeOffset RegisteredAt);

/// <summary>Every result is in: the case goes to the window for pickup (出件).</summary>
public sealed record ResultSentToWindow(Guid CaseId, string WindowId, DateTimeOffset SentAt);

/// <summary>办不成事: the case was escalated to the centre's can't-get-it-done window with a coordinator and a due date.</summary>
public sealed record CaseEscalated(
    Guid CaseId, string WindowId, string Reason, string CoordinatorId, string CoordinatorName, DateOnly DueOn, string ById, string ByName, DateTimeOffset EscalatedAt);

/// <summary>The escalation was resolved.</summary>
public sealed record EscalationResolved(Guid CaseId, string Resolution, string ById, string ByName, DateTimeOffset ResolvedAt);
