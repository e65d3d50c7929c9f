using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Appointments;

public enum AppointmentStatus
{
    None,
    Booked,
    Cancelled,
    Attended,
    NoShow,
}

/// <summary>One booking, folded from its stream.</summary>
public sealed record Appointment(
    Guid Id, AppointmentStatus Status, string Number, string CentreId, SlotDefinition? Slot, BookableItem? Item, BookingApplicant? Applicant,
    Channel Channel, string BookedById, DateTimeOffset BookedAt, DateTimeOffset RemindAt, bool Reminded, Guid? CaseId)
{
    public static readonly Appointment Empty = new(Guid.Empty, AppointmentStatus.None, "", "", null, null, null, Channel.Window, "", default, default, false, null);

    public static readonly StreamKind<Appointment> Kind = new("appointment", Empty, Evolve);

    public static Appointment Evolve(Appointment s, object e) => e switch
    {
        AppointmentBooked b => new Appointment(b.AppointmentId, AppointmentStatus.Booked, b.Number, b.CentreId, b.Slot, b.Item, b.Applicant, b.Channel,
            b.BookedById, b.BookedAt, b.RemindAt, false, null),
        AppointmentRescheduled r => s with { Slot = r.Slot, RemindAt = r.RemindAt, Reminded = false },
        AppointmentCancelled => s with { Status = AppointmentStatus.Cancelled },
        AppointmentReminderSent => s with { Reminded = true },
        AppointmentAttended a => s with { Status = AppointmentStatus.Attended, CaseId = a.CaseId },
        AppointmentNoShowRecorded => s with { Status = AppointmentStatus.NoShow },
        _ => s,
    };
}

/// <summary>
/// A slot as the host read it for a booking: the slot, its centre, how many places are taken right now (the final
/// word is the capacity row written in the booking's own transaction: README.md beside this file).
/// </summary>
public sealed record SlotOnFile(SlotDefinition Slot, string CentreId, int Booked);

/// <summary>
/// A booking. The host resolved the slot, read the centre's bookable items, counted the applicant's other open
/// bookings at the centre that day, and took the number. <paramref name="ProofIdNumber"/>: an anonymous applicant
/// changing their booking proves it is theirs with the ID number it was made with.
/// </summary>
public sealed record BookAppointment(
    Guid AppointmentId, string Number, SlotOnFile Slot, string ItemCode, BookingApplicant Applicant, IReadOnlyList<BookableItem> Items, int OtherOpenBookingsThatDay, string? ActingCentreId);

public sealed record RescheduleAppointment(SlotOnFile To, string? ProofIdNumber, string? ActingCentreId);

public sealed record CancelAppointment(string? Reason, string? ProofIdNumber, string? ActingCentreId);

/// <summary>The booked applicant arrived and the window receives their case (the receipt's own transaction).</summary>
public sealed record AttendAppointment(Guid CaseId, string ItemCode, string? ApplicantIdNumber, string ReceivingCentreId);

public sealed record SendAppointmentReminder;

public sealed record RecordNoShow;

/// <summary>Pure decisions over a booking: who may book and where, capacity, changes, arrival, reminder, no-show.</summary>
public static class AppointmentDecider
{
    /// <summary>The reminder goes out at this time (Beijing) on the working day before the slot's day.</summary>
    public static readonly TimeOnly ReminderTime = new(9, 0);

    /// <summary>One applicant holds at most this many open bookings at one centre on one day (the public API's abuse guard).</summary>
    public const int MaxOpenBookingsPerApplicantAndDay = 1;

    public static readonly DomainError NotFound = DomainError.NotFound("appointment.not_found", "未找到该预约。");

    public static readonly DomainError SlotFull = DomainError.Rule("appointment.slot_full", "该时段预约已满，请选择其他时段。");

    public static Decision Decide(BookAppointment c, Appointment s, Actor actor, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (s.Status != AppointmentStatus.None)
            return DomainError.Rule("appointment.already_booked", "该预约已存在。");
        if (Place(actor, c.ActingCentreId, c.Slot.CentreId) is { } denied)
            return denied;
        if (Validate(c.Applicant) is { } invalid)
            return invalid;
        if (c.Items.FirstOrDefault(i => i.ItemCode == c.ItemCode) is not { } item)
            return DomainError.Rule("appointment.item_not_bookable", "该事项不在本中心公布的预约服务事项清单中。");
        if (Open(c.Slot, now) is { } closed)
            return closed;
        if (c.OtherOpenBookingsThatDay >= MaxOpenBookingsPerApplicantAndDay)
            return DomainError.Rule("appointment.applicant_already_booked", "该申请人当天在本中心已有预约，如需调整请改约或取消原预约。");
        return Decision.Append(new AppointmentBooked(c.AppointmentId, c.Number, c.Slot.CentreId, c.Slot.Slot, item,
            c.Applicant with { Name = c.Applicant.Name.Trim(), ResidentIdNumber = c.Applicant.ResidentIdNumber.Trim().ToUpperInvariant(), Phone = c.Applicant.Phone.Trim() },
            actor.Channel, RemindAt(calendar, c.Slot.Slot.Day), actor.Id, actor.Name, now));
    }

    public static Decision Decide(RescheduleAppointment c, Appointment s, Actor actor, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (Changeable(s, actor, c.ProofIdNumber, c.ActingCentreId, now) is { } refused)
            return refused;
        if (c.To.CentreId != s.CentreId)
            return DomainError.Rule("appointment.other_centre_slot", "只能改约到同一服务中心的时段；到其他中心办理请取消后重新预约。");
        if (c.To.Slot.SlotId == s.Slot!.SlotId)
            return DomainError.Rule("appointment.same_slot", "新时段与原预约时段相同。");
        if (Open(c.To, now) is { } closed)
            return closed;
        return Decision.Append(new AppointmentRescheduled(s.Id, s.Slot.SlotId, c.To.Slot, RemindAt(calendar, c.To.Slot.Day), actor.Id, actor.Name, now));
    }

    public static Decision Decide(CancelAppointment c, Appointment s, Actor actor, DateTimeOffset now)
    {
        if (Changeable(s, actor, c.ProofIdNumber, c.ActingCentreId, now) is { } refused)
            return refused;
        return Decision.Append(new AppointmentCancelled(s.Id, string.IsNullOrWhiteSpace(c.Reason) ? null : c.Reason.Trim(), actor.Id, actor.Name, now));
    }

    /// <summary>The applicant came on the slot's day to the centre booked, for the item booked.</summary>
    public static Decision Decide(AttendAppointment c, Appointment s, Actor actor, DateTimeOffset now)
    {
        if (s.Status == AppointmentStatus.None || s.CentreId != c.ReceivingCentreId)
            return NotFound;
        if (s.Status != AppointmentStatus.Booked)
            return DomainError.Rule("appointment.not_open", $"该预约{StatusName(s.Status)}，不能据此收件。");
        if (WorkingCalendar.BeijingDate(now) != s.Slot!.Day)
            return DomainError.Rule("appointment.not_today", $"该预约的日期是 {s.Slot.Day:yyyy-MM-dd}，不是今天。");
        if (s.Item!.ItemCode != c.ItemCode)
            return DomainError.Rule("appointment.item_mismatch", $"该预约办理的是“{s.Item.ItemName}”，与本次收件的事项不同。");
        if (!string.Equals(s.Applicant!.ResidentIdNumber, c.ApplicantIdNumber?.Trim(), StringComparison.OrdinalIgnoreCase))
            return DomainError.Rule("appointment.applicant_mismatch", "收件的申请人与预约人不是同一人（身份证号码不一致）。");
        return Decision.Append(new AppointmentAttended(s.Id, c.CaseId, actor.Id, actor.Name, now));
    }

    /// <summary>Once per booking (and again after a change of slot), from <see cref="Appointment.RemindAt"/> until the slot begins.</summary>
    public static Decision Decide(SendAppointmentReminder _, Appointment s, DateTimeOffset now)
    {
        if (s.Status != AppointmentStatus.Booked || s.Reminded || now < s.RemindAt || now >= s.Slot!.StartsAt || s.BookedAt >= s.RemindAt)
            return DomainError.Rule("appointment.reminder_not_due", "无需提醒。");
        return Decision.Append(new AppointmentReminderSent(s.Id, s.Slot.Day, now));
    }

    public static Decision Decide(RecordNoShow _, Appointment s, DateTimeOffset now)
    {
        if (s.Status != AppointmentStatus.Booked || now < s.Slot!.EndsAt)
            return DomainError.Rule("appointment.no_show_not_due", "该预约未过时段或已办理。");
        return Decision.Append(new AppointmentNoShowRecorded(s.Id, s.Slot.EndsAt, now));
    }

    /// <summary>09:00 Beijing on the last working day before <paramref name="day"/> (a Monday's reminder goes on Friday).</summary>
    public static DateTimeOffset RemindAt(WorkingCalendar calendar, DateOnly day)
    {
        var before = day.AddDays(-1);
        for (var i = 0; i < 30 && !calendar.IsWorkingDay(before); i++)
            before = before.AddDays(-1);
        return new DateTimeOffset(before.ToDateTime(ReminderTime), WorkingCalendar.Beijing);
    }

    public static string StatusName(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Booked => "已预约",
        AppointmentStatus.Cancelled => "已取消",
        AppointmentStatus.Attended => "已到场办理",
        AppointmentStatus.NoShow => "已爽约",
        _ => "不存在",
    };

    /// <summary>
    /// Who may book at a centre: its clerks, the village agents it serves (their token's centre), and the anonymous
    /// applicant through the provincial app (channel Online).
    /// </summary>
    private static DomainError? Place(Actor actor, string? actingCentreId, string centreId) => actor switch
    {
        { Role: Role.Clerk or Role.Agent } when actingCentreId == centreId => null,
        { Role: Role.Clerk or Role.Agent } => OtherCentre,
        { Role: Role.System, Channel: Channel.Online } => null,
        _ => DomainError.Forbidden("appointment.role_not_allowed", "只有窗口工作人员、代办员或申请人本人（网上）可以预约。"),
    };

    public static readonly DomainError NotOwnBooking = DomainError.Forbidden("appointment.not_own_booking", "代办员只能查看和办理本人代约的预约。");

    public static readonly DomainError OtherCentre = DomainError.Forbidden("appointment.other_centre", "只能办理本中心（代办员：所属乡镇便民服务中心）的预约。");

    private static DomainError? Validate(BookingApplicant a)
    {
        if (string.IsNullOrWhiteSpace(a.Name))
            return DomainError.Validation("appointment.applicant_name_required", "请填写预约人姓名。");
        if (!Identity.ResidentIdNumber.IsValid(a.ResidentIdNumber?.Trim()))
            return DomainError.Validation("identity.resident_id_invalid", "居民身份证号码不正确（应为 18 位，末位校验码须符合 GB 11643）。");
        if (string.IsNullOrWhiteSpace(a.Phone) || !Identity.PhoneNumber.IsValid(a.Phone))
            return DomainError.Validation("appointment.phone_required", "请填写正确的联系电话（预约提醒发送到该号码）。");
        return null;
    }

    private static DomainError? Open(SlotOnFile slot, DateTimeOffset now)
    {
        if (now >= slot.Slot.StartsAt)
            return DomainError.Rule("appointment.slot_passed", "该时段已开始或已过去，请选择以后的时段。");
        if (slot.Booked >= slot.Slot.Capacity)
            return SlotFull;
        return null;
    }

    private static DomainError? Changeable(Appointment s, Actor actor, string? proofIdNumber, string? actingCentreId, DateTimeOffset now)
    {
        if (s.Status == AppointmentStatus.None)
            return NotFound;
        if (actor.Role == Role.Clerk && actingCentreId != s.CentreId)
            return OtherCentre;
        // The anonymous applicant proves the booking is theirs; a wrong number reads as "not found" (nothing is revealed).
        if (actor is { Role: Role.System, Channel: Channel.Online }
            && !string.Equals(s.Applicant!.ResidentIdNumber, proofIdNumber?.Trim(), StringComparison.OrdinalIgnoreCase))
            return NotFound;
        if (actor.Role == Role.Agent && s.BookedById != actor.Id)
            return NotOwnBooking;
        if (s.Status != AppointmentStatus.Booked)
            return DomainError.Rule("appointment.not_open", $"该预约{StatusName(s.Status)}，不能再改约或取消。");
        if (now >= s.Slot!.StartsAt)
            return DomainError.Rule("appointment.slot_passed", "该时段已开始或已过去，请选择以后的时段。");
        return null;
    }
}
