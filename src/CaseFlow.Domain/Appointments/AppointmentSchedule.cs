using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Appointments;

/// <summary>A centre's appointment schedule, folded from its stream: the bookable items and the slots published.</summary>
public sealed record AppointmentSchedule(Guid Id, string CentreId, IReadOnlyList<BookableItem> Items, IReadOnlySet<Guid> SlotIds)
{
    public static readonly AppointmentSchedule Empty = new(Guid.Empty, "", [], new HashSet<Guid>());

    public static readonly StreamKind<AppointmentSchedule> Kind = new("appointment_schedule", Empty, Evolve);

    public static Guid StreamIdFor(string centreId) => StableId.For("appointment-schedule", centreId);

    public static AppointmentSchedule Evolve(AppointmentSchedule s, object e) => e switch
    {
        AppointmentItemsPublished p => s with { Id = p.ScheduleId, CentreId = p.CentreId, Items = p.Items },
        AppointmentSlotsPublished p => s with { Id = p.ScheduleId, CentreId = p.CentreId, SlotIds = new HashSet<Guid>([.. s.SlotIds, .. p.Slots.Select(x => x.SlotId)]) },
        _ => s,
    };
}

/// <summary>A slot as an administrator asks for it.</summary>
public sealed record SlotRequest(string WindowId, DateOnly Day, TimeOnly From, TimeOnly To, SlotKind Kind, int Capacity);

public sealed record PublishBookableItems(string CentreId, IReadOnlyList<BookableItem> Items);

/// <summary>Slots to add; <paramref name="CentreWindows"/> are the windows of the centre (the host read them).</summary>
public sealed record PublishSlots(string CentreId, IReadOnlyList<SlotRequest> Slots, IReadOnlySet<string> CentreWindows);

/// <summary>
/// Publishing what may be booked and when (decision record: README.md beside this file). Administrators publish for
/// the centres of their region (the host checks the region); the rules of the slots are here.
/// </summary>
public static class ScheduleDecider
{
    public const int MaxCapacity = 500;

    public static Decision Decide(PublishBookableItems c, AppointmentSchedule s, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return DomainError.Forbidden("appointment.admin_only", "只有系统管理员可以公布预约事项和预约时段。");
        if (c.Items.Count == 0)
            return DomainError.Validation("appointment.items_required", "请至少列出一个可预约的事项。");
        if (c.Items.GroupBy(i => i.ItemCode).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return DomainError.Validation("appointment.item_listed_twice", $"事项 {twice.Key} 列了两次。");
        return Decision.Append(new AppointmentItemsPublished(AppointmentSchedule.StreamIdFor(c.CentreId), c.CentreId, c.Items, actor.Id, actor.Name, now));
    }

    public static Decision Decide(PublishSlots c, AppointmentSchedule s, Actor actor, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return DomainError.Forbidden("appointment.admin_only", "只有系统管理员可以公布预约事项和预约时段。");
        if (c.Slots.Count == 0)
            return DomainError.Validation("appointment.slots_required", "请至少列出一个预约时段。");
        var today = WorkingCalendar.BeijingDate(now);
        var slots = new List<SlotDefinition>();
        foreach (var r in c.Slots)
        {
            var at = $"{r.Day:yyyy-MM-dd} {r.From:HH\\:mm}–{r.To:HH\\:mm}";
            if (!c.CentreWindows.Contains(r.WindowId ?? ""))
                return DomainError.Validation("appointment.window_not_in_centre", $"窗口 {r.WindowId} 不是本中心的窗口。");
            if (r.From >= r.To)
                return DomainError.Validation("appointment.slot_times_invalid", $"时段 {at} 的结束时间须晚于开始时间。");
            if (r.Capacity is < 1 or > MaxCapacity)
                return DomainError.Validation("appointment.capacity_invalid", $"时段 {at} 的可预约人数须在 1 至 {MaxCapacity} 之间。");
            if (r.Day < today)
                return DomainError.Validation("appointment.slot_in_past", $"时段 {at} 已经过去，不能公布。");
            if (calendar.Covers(r.Day, r.Day) is { } uncovered)
                return uncovered; // 错时 is only known from a published calendar
            var working = calendar.IsWorkingDay(r.Day);
            DomainError? mismatch = r.Kind switch
            {
                SlotKind.Regular when !working => DomainError.Rule("appointment.slot_kind_mismatch", $"{at} 不是工作日，请公布为错时（OffDay）时段。"),
                SlotKind.Regular when !WithinOfficeHours(r.From, r.To) => DomainError.Rule("appointment.slot_kind_mismatch", $"{at} 不在办公时间（08:30–12:00、14:30–17:30）之内，请公布为延时（Extended）时段。"),
                SlotKind.Extended when !working => DomainError.Rule("appointment.slot_kind_mismatch", $"{at} 不是工作日：延时服务是工作日办公时间以外的时段，节假日请公布为错时（OffDay）时段。"),
                SlotKind.Extended when OverlapsOfficeHours(r.From, r.To) => DomainError.Rule("appointment.slot_kind_mismatch", $"{at} 与办公时间重叠：延时时段须在办公时间以外。"),
                SlotKind.OffDay when working => DomainError.Rule("appointment.slot_kind_mismatch", $"{at} 是工作日（按公布的工作日历），错时时段只能在双休日和法定节假日。"),
                _ => null,
            };
            if (mismatch is not null)
                return mismatch;
            var id = SlotDefinition.IdFor(r.WindowId!, r.Day, r.From);
            if (s.SlotIds.Contains(id) || slots.Any(x => x.SlotId == id))
                return DomainError.Rule("appointment.slot_duplicate", $"窗口 {r.WindowId} 在 {at} 已有预约时段。");
            slots.Add(new SlotDefinition(id, r.WindowId!, r.Day, r.From, r.To, r.Kind, r.Capacity));
        }
        return Decision.Append(new AppointmentSlotsPublished(AppointmentSchedule.StreamIdFor(c.CentreId), c.CentreId, slots, actor.Id, actor.Name, now));
    }

    private static bool WithinOfficeHours(TimeOnly from, TimeOnly to) =>
        WorkingCalendar.OfficeHours.Any(h => from >= h.From && to <= h.To);

    private static bool OverlapsOfficeHours(TimeOnly from, TimeOnly to) =>
        WorkingCalendar.OfficeHours.Any(h => from < h.To && to > h.From);
}
