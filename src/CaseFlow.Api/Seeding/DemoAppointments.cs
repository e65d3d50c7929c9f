using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Appointments;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Appointments;
using CaseFlow.Persistence.Commands;
using Npgsql;

namespace CaseFlow.Api.Seeding;

/// <summary>
/// The demo's slice of issue 17, through the same commands users send: at the county 政务服务中心 the administrator
/// publishes the bookable items and a regular, a 延时 (evening) and a 错时 (off-day) slot; the county clerk books two
/// applicants (one then cancels), an applicant books online; and a case received at an elderly applicant's home.
/// </summary>
public static class DemoAppointments
{
    private const string Pension = "361130-000201002"; // 城乡居民基本养老保险待遇申领
    private const string Relief = "361130-000401003";  // 临时救助

    public static async Task<int> SeedAsync(CommandPipeline pipeline, CaseDesk desks, NpgsqlDataSource db, CancellationToken ct)
    {
        var desk = new AppointmentDesk(db);
        var centre = DemoStaff.CountyCentre;
        var admin = Actor(DemoStaff.FirstOf(Role.Admin), Channel.BackOffice);
        var clerk = Actor(DemoStaff.Find("clerk-cty-1"), Channel.Window);
        var calendar = await desks.CalendarAsync(ct);
        var today = WorkingCalendar.BeijingDate(pipeline.Clock.GetUtcNow());
        var workday = Next(today, calendar, working: true);
        var offDay = Next(today, calendar, working: false);
        var schedule = AppointmentSchedule.StreamIdFor(centre);
        var count = 0;

        var items = new List<BookableItem>();
        foreach (var code in new[] { Pension, Relief })
        {
            var item = DemoCatalogue.Items.First(i => i.ImplementationCode == code);
            items.Add(new BookableItem(code, item.Name, item.Materials.Where(m => m.Required).Select(m => m.Name).ToList()));
        }
        await Run(pipeline, AppointmentSchedule.Kind, admin, schedule, "PublishBookableItems",
            (s, now) => ScheduleDecider.Decide(new PublishBookableItems(centre, items), s, admin, now), ct);
        var windows = (await desk.CentreAsync(centre, ct))!.Value.Windows;
        SlotRequest[] slots =
        [
            new("window-cty-1", workday, new TimeOnly(9, 0), new TimeOnly(10, 0), SlotKind.Regular, 10),
            new("window-cty-1", workday, new TimeOnly(17, 30), new TimeOnly(19, 30), SlotKind.Extended, 6),
            new("window-cty-1", offDay, new TimeOnly(9, 0), new TimeOnly(11, 30), SlotKind.OffDay, 8),
        ];
        await Run(pipeline, AppointmentSchedule.Kind, admin, schedule, "PublishAppointmentSlots",
            (s, now) => ScheduleDecider.Decide(new PublishSlots(centre, slots, windows), s, admin, calendar, now), ct);
        count += 2;

        async Task<Guid> Book(Actor by, SlotRequest at, BookingApplicant applicant)
        {
            var slot = (await desk.SlotAsync(SlotDefinition.IdFor(at.WindowId, at.Day, at.From), null, null, null, ct))!;
            var id = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
            var command = new BookAppointment(id, await desk.NextNumberAsync(centre, at.Day, ct), slot, Pension, applicant, items, 0,
                by.Role == Role.System ? null : centre);
            await Run(pipeline, Appointment.Kind, by, id, "BookAppointment", (s, now) => AppointmentDecider.Decide(command, s, by, calendar, now), ct);
            count++;
            return id;
        }
        await Book(clerk, slots[0], new BookingApplicant("曾秀英", Id("19520418", 31), "13907975501"));
        var cancelled = await Book(clerk, slots[0], new BookingApplicant("温志强", Id("19670923", 52), "13907975502"));
        await Run(pipeline, Appointment.Kind, clerk, cancelled, "CancelAppointment",
            (s, now) => AppointmentDecider.Decide(new CancelAppointment("申请人来电改期", null, centre), s, clerk, now), ct);
        await Book(clerk, slots[2], new BookingApplicant("钟美玲", Id("19800211", 64), "13907975503"));
        await Book(Endpoints.Appointments.AppointmentEndpoints.PublicApplicant, slots[1], new BookingApplicant("赖建华", Id("19750630", 17), "13907975504"));
        count++;

        // 上门服务: an elderly applicant's pension claim received at home by the county clerk.
        var caseId = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
        var applicant = new Applicant(ApplicantKind.Person, "邱桂兰", Id("19440105", 28), "13907975505", null, null);
        var form = new ReceiptForm("window-cty-1", ServiceItemId.For(Pension), applicant,
            new[] { "M00", "M01", "M04", "M05" }.Select(m => new ReceivedMaterial(m, MaterialState.Present, null)).ToList(), Channel.Window, null);
        var (receipt, caseDesk, error) = await desks.PrepareReceiptAsync(form, caseId, clerk, centre, pipeline.Clock.GetUtcNow(), ct);
        if (error is not null)
            throw new InvalidOperationException($"Demo seed: home receipt refused: {error.Code}");
        var staff = await desk.CentreStaffAsync(centre, ct);
        var home = new HomeServiceForm(HomeServiceReason.Elderly, "独居，行动不便", null, "宁都县梅江镇城东社区育才路8号", ["clerk-cty-1"]);
        await Run(pipeline, CaseFile.Kind, clerk, caseId, "ReceiveCase",
            (s, now) => HomeServiceDecider.Flag(CaseDecider.Decide(receipt!, s, clerk, caseDesk!, now), home, receipt!, clerk, staff, now), ct);
        return count + 1;
    }

    private static DateOnly Next(DateOnly from, WorkingCalendar calendar, bool working)
    {
        var day = from.AddDays(1);
        while (calendar.IsWorkingDay(day) != working)
            day = day.AddDays(1);
        return day;
    }

    /// <summary>A valid resident ID number of 宁都县 (GB 11643) for a birth date.</summary>
    private static string Id(string born, int n)
    {
        var first17 = $"361130{born}{n:000}";
        return first17 + Domain.Identity.ResidentIdNumber.CheckCharacter(first17);
    }

    private static Actor Actor(StaffMember s, Channel channel) => new(s.Id, s.Name, s.Role, s.UnitId, s.UnitName, channel);

    private static async Task Run<TState>(CommandPipeline pipeline, StreamKind<TState> kind, Actor actor, Guid id, string name, Func<TState, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var outcome = await pipeline.ExecuteAsync(kind, id, new CommandContext(name, actor, "demo-seed"), decide, ct);
        if (outcome is not CommandOutcome.Succeeded)
            throw new InvalidOperationException($"Demo seed command {name} failed: {outcome}");
    }
}
