using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Handover;

public enum DeliveryMethod
{
    /// <summary>到窗口领取 (统一出件 at the window that accepted the case).</summary>
    Pickup,
    /// <summary>邮寄送达.</summary>
    Mail,
}

/// <summary>The applicant chose how to get the result: at acceptance or later.</summary>
public sealed record DeliveryPreferenceChosen(Guid CaseId, DeliveryMethod Method, string? Address, string ById, DateTimeOffset ChosenAt);

/// <summary>Pickup stream: the result arrived at the comprehensive window that accepted the case; to hand out by <see cref="DueOn"/>.</summary>
public sealed record ResultDeliveredToWindow(Guid PickupId, Guid CaseId, string CentreId, string WindowId, DateOnly DueOn, DateTimeOffset DeliveredAt);

/// <summary>Pickup stream: the applicant was reminded to collect the result.</summary>
public sealed record PickupReminderSent(Guid PickupId, Guid CaseId, int Number, DateTimeOffset SentAt);

/// <summary>Pickup stream: the result left the window (handed out or mailed).</summary>
public sealed record PickupCompleted(Guid PickupId, DeliveryMethod Method, DateTimeOffset CompletedAt);

/// <summary>
/// 出件 at the window: who took the result — the applicant, or a person they authorised in writing — with the
/// identity number checked, and the clerk. The pickup receipt is built from this.
/// </summary>
public sealed record ResultHandedOut(
    Guid CaseId, string ReceiverName, string ReceiverIdNumber, bool ByApplicant, WrittenAuthorisation? Authorisation, string ClerkId, string ClerkName, DateTimeOffset HandedOutAt);

/// <summary>The result was mailed: carrier and waybill number.</summary>
public sealed record ResultMailed(Guid CaseId, string Carrier, string WaybillNumber, string Address, string ClerkId, string ClerkName, DateTimeOffset MailedAt);

/// <summary>The carrier reported the mailed result delivered.</summary>
public sealed record MailDeliveryRecorded(Guid CaseId, DateOnly DeliveredOn, string ById, DateTimeOffset RecordedAt);

/// <summary>The case is closed: the result was handed out or delivered.</summary>
public sealed record CaseClosed(Guid CaseId, string How, DateTimeOffset ClosedAt);

/// <summary>好差评 levels (DOMAIN.md §6): the meaning is stored, never a number.</summary>
public enum RatingLevel
{
    VerySatisfied,
    Satisfied,
    Basic,
    Dissatisfied,
    VeryDissatisfied,
}

/// <summary>The applicant rated the service, once per round.</summary>
public sealed record ServiceRated(Guid CaseId, int Round, RatingLevel Level, Channel Channel, string? Details, bool Named, string RecordedById, DateTimeOffset RatedAt);

/// <summary>No rating within the configured natural days after hand-out: the default level is recorded.</summary>
public sealed record DefaultRatingRecorded(Guid CaseId, int Round, RatingLevel Level, int AfterNaturalDays, DateTimeOffset RecordedAt);

/// <summary>A named bad rating opened a rectification task: return visit, then rectification, each with a due date.</summary>
public sealed record RectificationOpened(Guid CaseId, int Round, Calendar.WorkingDeadline ReturnVisitDue, Calendar.WorkingDeadline RectificationDue, DateTimeOffset OpenedAt);

public sealed record ReturnVisitRecorded(Guid CaseId, int Round, string Summary, string ById, string ByName, DateTimeOffset VisitedAt);

public sealed record RectificationCompleted(Guid CaseId, int Round, string Measures, string ById, string ByName, DateTimeOffset CompletedAt);

/// <summary>申诉复核: a mistaken or malicious rating was voided with a reason; the next round may be rated again.</summary>
public sealed record RatingVoided(Guid CaseId, int Round, string Reason, string ById, string ByName, DateTimeOffset VoidedAt);

/// <summary>The case's life after the decision: delivery, closing, ratings and their rectification.</summary>
public sealed record HandoverOnFile(
    DeliveryPreferenceChosen? Preference,
    ResultHandedOut? HandedOut,
    ResultMailed? Mailed,
    CaseClosed? Closed,
    int Round,
    ServiceRated? Rating,
    DefaultRatingRecorded? DefaultRating,
    RectificationOpened? Rectification,
    ReturnVisitRecorded? ReturnVisit,
    RectificationCompleted? Rectified,
    IReadOnlyList<RatingVoided> Voided)
{
    public static readonly HandoverOnFile None = new(null, null, null, null, 1, null, null, null, null, null, []);

    public bool Rated => Rating is not null || DefaultRating is not null;

    public static HandoverOnFile Evolve(HandoverOnFile h, object e) => e switch
    {
        DeliveryPreferenceChosen p => h with { Preference = p },
        ResultHandedOut x => h with { HandedOut = x },
        ResultMailed m => h with { Mailed = m },
        CaseClosed c => h with { Closed = c },
        ServiceRated r => h with { Rating = r },
        DefaultRatingRecorded d => h with { DefaultRating = d },
        RectificationOpened o => h with { Rectification = o },
        ReturnVisitRecorded v => h with { ReturnVisit = v },
        RectificationCompleted c => h with { Rectified = c },
        RatingVoided v => h with
        {
            Voided = [.. h.Voided, v], Round = h.Round + 1, Rating = null, DefaultRating = null, Rectification = null, ReturnVisit = null, Rectified = null,
        },
        _ => h,
    };
}
