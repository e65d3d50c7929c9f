using CaseFlow.Domain.Appointments;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Appointments;

/// <summary>
/// Inline: the centres' bookable items and slots (each slot's row holds its capacity and the places taken), and one
/// row per booking. A booking takes its place in the slot's row in the booking's own transaction; the row's CHECK is
/// what keeps a slot from overbooking under concurrent bookings (decision record: src/CaseFlow.Domain/Appointments/README.md).
/// </summary>
public sealed class AppointmentProjection : IProjection
{
    public const string Slots = "cf_appointment_slots";
    public const string Items = "cf_appointment_items";
    public const string Bookings = "cf_appointments";

    /// <summary>The constraint a booking of a full slot runs into (answered 422 appointment.slot_full).</summary>
    public const string CapacityConstraint = "cf_appointment_slots_capacity";

    public string Name => "appointments";

    public IReadOnlyList<string> Tables => [Slots, Items, Bookings];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var slots = w.Table(Slots);
        var bookings = w.Table(Bookings);
        switch (e.Data)
        {
            case AppointmentItemsPublished p:
                w.Execute($"DELETE FROM {w.Table(Items)} WHERE centre_id = $1", p.CentreId);
                foreach (var item in p.Items)
                    w.Execute($"INSERT INTO {w.Table(Items)} (centre_id, item_code, item_name, checklist) VALUES ($1, $2, $3, $4)",
                        p.CentreId, item.ItemCode, item.ItemName, item.Checklist.ToArray());
                break;
            case AppointmentSlotsPublished p:
                foreach (var s in p.Slots)
                    w.Execute($"INSERT INTO {slots} (slot_id, centre_id, window_id, day, starts_at, ends_at, kind, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        s.SlotId, p.CentreId, s.WindowId, s.Day, s.StartsAt, s.EndsAt, s.Kind.ToString(), s.Capacity);
                break;
            case AppointmentBooked b:
                Take(w, slots, b.Slot.SlotId);
                w.Execute(
                    $"""
                    INSERT INTO {bookings} (appointment_id, number, centre_id, window_id, slot_id, day, starts_at, ends_at, kind, item_code, item_name,
                        applicant_name, id_number, phone, channel, booked_by, booked_at, remind_at, status, version)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'Booked', $19)
                    """,
                    b.AppointmentId, b.Number, b.CentreId, b.Slot.WindowId, b.Slot.SlotId, b.Slot.Day, b.Slot.StartsAt, b.Slot.EndsAt, b.Slot.Kind.ToString(),
                    b.Item.ItemCode, b.Item.ItemName, b.Applicant.Name, b.Applicant.ResidentIdNumber, b.Applicant.Phone, b.Channel.ToString(), b.BookedById,
                    b.BookedAt, b.RemindAt, e.Version);
                break;
            case AppointmentRescheduled r:
                // Both slot rows in one order (by id), so two changes crossing each other never deadlock.
                foreach (var (slot, taken) in new[] { (r.FromSlotId, false), (r.Slot.SlotId, true) }.OrderBy(x => x.Item1))
                {
                    if (taken)
                        Take(w, slots, slot);
                    else
                        Free(w, slots, slot);
                }
                w.Execute(
                    $"UPDATE {bookings} SET window_id = $2, slot_id = $3, day = $4, starts_at = $5, ends_at = $6, kind = $7, remind_at = $8, reminded = false, version = $9 WHERE appointment_id = $1",
                    r.AppointmentId, r.Slot.WindowId, r.Slot.SlotId, r.Slot.Day, r.Slot.StartsAt, r.Slot.EndsAt, r.Slot.Kind.ToString(), r.RemindAt, e.Version);
                break;
            case AppointmentCancelled c:
                w.Execute($"UPDATE {slots} s SET booked = s.booked - 1 FROM {bookings} a WHERE a.appointment_id = $1 AND s.slot_id = a.slot_id", c.AppointmentId);
                Status(w, bookings, c.AppointmentId, "Cancelled", e.Version);
                break;
            case AppointmentReminderSent r:
                w.Execute($"UPDATE {bookings} SET reminded = true, version = $2 WHERE appointment_id = $1", r.AppointmentId, e.Version);
                break;
            case AppointmentAttended a:
                w.Execute($"UPDATE {bookings} SET status = 'Attended', case_id = $2, version = $3 WHERE appointment_id = $1", a.AppointmentId, a.CaseId, e.Version);
                break;
            case AppointmentNoShowRecorded n:
                Status(w, bookings, n.AppointmentId, "NoShow", e.Version);
                break;
        }
    }

    private static void Take(ProjectionWriter w, string slots, Guid slotId) =>
        w.Execute($"UPDATE {slots} SET booked = booked + 1 WHERE slot_id = $1", slotId);

    private static void Free(ProjectionWriter w, string slots, Guid slotId) =>
        w.Execute($"UPDATE {slots} SET booked = booked - 1 WHERE slot_id = $1", slotId);

    private static void Status(ProjectionWriter w, string bookings, Guid id, string status, long version) =>
        w.Execute($"UPDATE {bookings} SET status = $2, version = $3 WHERE appointment_id = $1", id, status, version);
}

/// <summary>
/// Applicants are told of their booking (number, time, what to bring) and reminded one working day before. The
/// recipient is <c>appointment:&lt;id&gt;</c>: the gateway resolves the phone from the booking when it sends, so no
/// personal data sits in the outbox or a log (as <c>applicant:&lt;case id&gt;</c> for cases).
/// </summary>
public sealed class AppointmentNotifications : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        switch (e.Data)
        {
            case AppointmentBooked b:
                yield return Message(e, b.AppointmentId, "appointment_booked", ("number", b.Number), ("startsAt", Time(b.Slot.StartsAt)),
                    ("item", b.Item.ItemName), ("bring", string.Join("、", b.Item.Checklist)));
                break;
            case AppointmentRescheduled r:
                yield return Message(e, r.AppointmentId, "appointment_rescheduled", ("startsAt", Time(r.Slot.StartsAt)));
                break;
            case AppointmentCancelled c:
                yield return Message(e, c.AppointmentId, "appointment_cancelled");
                break;
            case AppointmentReminderSent r:
                yield return Message(e, r.AppointmentId, "appointment_reminder", ("day", r.SlotDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                break;
        }
    }

    private static OutboxMessage Message(EventEnvelope e, Guid id, string template, params (string Key, string Value)[] parameters) =>
        OutboxMessage.For(e, OutboxMessage.Kinds.Applicant, $"appointment:{id}", template, parameters.ToDictionary(p => p.Key, p => p.Value));

    private static string Time(DateTimeOffset at) =>
        at.ToOffset(Domain.Calendar.WorkingCalendar.Beijing).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
