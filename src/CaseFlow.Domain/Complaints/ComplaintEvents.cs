using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Supervision;

namespace CaseFlow.Domain.Complaints;

// 投诉举报 (complaints): 四川方案 (8) "健全投诉举报制 … 方便群众提出意见、建议和投诉，并及时回访处理"; issue 17.
// One stream per complaint (kind "complaint"). Past tense, never edited; a new shape gets a new version.

/// <summary>How the complaint reached the centre.</summary>
public enum ComplaintSource
{
    /// <summary>At the window or the 投诉受理区.</summary>
    Window,
    /// <summary>投诉电话.</summary>
    Phone,
    /// <summary>From the 好差评 channel (a bad rating turned into a complaint): names the case.</summary>
    Rating,
}

/// <summary>What the complaint is against.</summary>
public enum ComplaintAgainst
{
    Person,
    Window,
    Department,
    Case,
}

/// <summary>The supervisor's finding.</summary>
public enum ComplaintFinding
{
    /// <summary>查实.</summary>
    Substantiated,
    /// <summary>不属实.</summary>
    NotSubstantiated,
}

/// <summary>
/// A complaint was registered and assigned to the supervisor (电子监察) nearest the centre, with its answer due
/// date fixed now (the configured working days). The complainant's name and phone are personal data: masked for
/// every role but supervisors, never in logs or notifications; both null when the complaint is anonymous.
/// </summary>
public sealed record ComplaintRegistered(
    Guid ComplaintId,
    string CentreId,
    string RegionCode,
    ComplaintSource Source,
    ComplaintAgainst Against,
    string TargetId,
    string TargetName,
    string? DepartmentId,
    Guid? CaseId,
    string Facts,
    bool Anonymous,
    string? ComplainantName,
    string? ComplainantPhone,
    string AssignedSupervisorId,
    string AssignedSupervisorName,
    int AnswerWorkingDays,
    WorkingDeadline AnswerDue,
    string RegisteredById,
    string RegisteredByName,
    DateTimeOffset RegisteredAt);

/// <summary>The answer deadline is approaching (黄灯 under the published warning rules): once.</summary>
public sealed record ComplaintAnswerWarningRaised(Guid ComplaintId, string RuleId, DateOnly DueOn, int RemainingWorkingDays, string HolderId, DateTimeOffset RaisedAt) : ISystemAnnotation;

/// <summary>The answer deadline passed unanswered (红灯): once.</summary>
public sealed record ComplaintAnswerWentOverdue(Guid ComplaintId, string RuleId, DateOnly DueOn, string HolderId, DateTimeOffset OverdueAt) : ISystemAnnotation;

/// <summary>
/// The supervisor answered: the finding and the answer given to the complainant. <see cref="Late"/> when answered
/// after the due date (then <see cref="WorkingDaysLate"/> ≥ 1), recorded against <see cref="HolderId"/>, the
/// supervisor the complaint was assigned to.
/// </summary>
public sealed record ComplaintAnswered(
    Guid ComplaintId, ComplaintFinding Finding, string Answer, DateOnly DueOn, bool Late, int WorkingDaysLate, string HolderId, string HolderName,
    string AnsweredById, string AnsweredByName, DateTimeOffset AnsweredAt);

/// <summary>
/// A substantiated complaint became a 问责 record (提醒 / 约谈 / 通报批评 / 责令整改) against a person or a
/// department, with the case when the complaint was about one.
/// </summary>
public sealed record ComplaintAccountabilityRecorded(
    Guid ComplaintId, Guid RecordId, string TargetKind, string TargetId, string TargetName, AccountabilityMeasure Measure, string Facts, Guid? CaseId,
    string SupervisorId, string SupervisorName, DateTimeOffset RecordedAt);

/// <summary>回访: the complainant was called back after the answer and their satisfaction recorded (named complaints only).</summary>
public sealed record ComplaintReturnVisitRecorded(Guid ComplaintId, RatingLevel Satisfaction, string Note, string VisitedById, string VisitedByName, DateTimeOffset VisitedAt);
