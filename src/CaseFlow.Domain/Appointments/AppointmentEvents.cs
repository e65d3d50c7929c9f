using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Appointments;

// 预约 / 延时错时服务 (issue 17; 赣州〔2024〕6号 §6 "延时错时预约服务事项清单", 宁都 "实行延时办"). Two stream kinds: a
// centre's appointment schedule (what may be booked, which slots) and one stream per booking. Past tense, the stream
// id, who and when. Never edited; a new shape gets a new version.

/// <summary>Regular hours (办公时间), extended hours (延时: a working day outside office hours) or an off day (错时: a non-working day).</summary>
public enum SlotKind
{
    Regular,
    Extended,
    OffDay,
}

/// <summary>One published slot at one window: its day (Beijing), times, kind and how many applicants it takes.</summary>
public sealed record SlotDefinition(Guid SlotId, string WindowId, DateOnly Day, TimeOnly From, TimeOnly To, SlotKind Kind, int Capacity)
{
    public DateTimeOffset StartsAt => new(Day.ToDateTime(From), Calendar.WorkingCalendar.Beijing);

    public DateTimeOffset EndsAt => new(Day.ToDateTime(To), Calendar.WorkingCalendar.Beijing);

    /// <summary>A slot is one window, one day, one start time: its id follows from them.</summary>
    public static Guid IdFor(string windowId, DateOnly day, TimeOnly from) =>
        StableId.For("appointment-slot", $"{windowId}/{day:yyyy-MM-dd}/{from:HH\\:mm}");
}

/// <summary>A service item the centre lets applicants book, with the checklist they are told to bring.</summary>
public sealed record BookableItem(string ItemCode, string ItemName, IReadOnlyList<string> Checklist);

/// <summary>The centre's list of bookable items (预约服务事项清单), as a whole; the previous list is replaced.</summary>
public sealed record AppointmentItemsPublished(
    Guid ScheduleId, string CentreId, IReadOnlyList<BookableItem> Items, string PublishedById, string PublishedByName, DateTimeOffset PublishedAt);

/// <summary>Slots added to the centre's schedule (regular, 延时 and 错时), each with its capacity.</summary>
public sealed record AppointmentSlotsPublished(
    Guid ScheduleId, string CentreId, IReadOnlyList<SlotDefinition> Slots, string PublishedById, string PublishedByName, DateTimeOffset PublishedAt);

/// <summary>Who booked: a person, by name, resident ID number and the phone the reminder goes to. Personal data.</summary>
public sealed record BookingApplicant(string Name, string ResidentIdNumber, string Phone)
{
    public BookingApplicant Masked() => new(MaskName(Name), Identity.ResidentIdNumber.Mask(ResidentIdNumber), Identity.PhoneNumber.Mask(Phone));

    /// <summary>刘建国 → 刘**: the surname only.</summary>
    public static string MaskName(string name) => name.Length <= 1 ? "*" : name[..1] + new string('*', name.Length - 1);
}

/// <summary>
/// An applicant booked a slot: the booking's number, the slot as published, the item with its checklist (what to
/// bring), the applicant, the channel (window, village agent, or the provincial app) and when the reminder is due
/// (09:00 Beijing on the working day before the slot's day).
/// </summary>
public sealed record AppointmentBooked(
    Guid AppointmentId, string Number, string CentreId, SlotDefinition Slot, BookableItem Item, BookingApplicant Applicant, Channel Channel,
    DateTimeOffset RemindAt, string BookedById, string BookedByName, DateTimeOffset BookedAt);

/// <summary>The booking moved to another slot of the same centre (改约).</summary>
public sealed record AppointmentRescheduled(
    Guid AppointmentId, Guid FromSlotId, SlotDefinition Slot, DateTimeOffset RemindAt, string ById, string ByName, DateTimeOffset At);

/// <summary>The booking was cancelled before its slot began; its place is free again.</summary>
public sealed record AppointmentCancelled(Guid AppointmentId, string? Reason, string ById, string ByName, DateTimeOffset At);

/// <summary>The reminder went out through the outbox, one working day before (once per booking).</summary>
public sealed record AppointmentReminderSent(Guid AppointmentId, DateOnly SlotDay, DateTimeOffset At) : ISystemAnnotation;

/// <summary>The applicant came and the window received the case with the booking attached.</summary>
public sealed record AppointmentAttended(Guid AppointmentId, Guid CaseId, string ReceivedById, string ReceivedByName, DateTimeOffset At);

/// <summary>The slot ended without the applicant (爽约), recorded by the sweeper.</summary>
public sealed record AppointmentNoShowRecorded(Guid AppointmentId, DateTimeOffset SlotEndedAt, DateTimeOffset At);

/// <summary>On the case: it was received for a booked applicant (the booking's number, slot kind and start).</summary>
public sealed record CaseReceivedByAppointment(Guid CaseId, Guid AppointmentId, string AppointmentNumber, SlotKind SlotKind, DateTimeOffset SlotStartsAt, DateTimeOffset At);
