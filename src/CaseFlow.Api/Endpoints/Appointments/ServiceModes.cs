using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Endpoints.Window;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Appointments;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Appointments;
using CaseFlow.Persistence.EventStore;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Appointments;

/// <summary>
/// How a case reached the window, beside the receipt (issue 17): by appointment (the booking is attached and marked
/// attended) or at the applicant's home (上门服务: reason and the staff who went). Both are checked before the case
/// number is taken and decided again inside the receipt's transaction.
/// </summary>
public sealed class ServiceModes(AppointmentDesk desk, IEventStore store, NpgsqlDataSource db)
{
    public sealed record Mode(HomeServiceForm? Home, IReadOnlyDictionary<string, string>? Staff, Appointment? Booking, long BookingVersion)
    {
        public static readonly Mode None = new(null, null, null, 0);

        public Decision Decide(Decision receipt, ReceiveCase c, Actor actor, DateTimeOffset now)
        {
            var decision = receipt;
            if (Home is { } home)
                decision = HomeServiceDecider.Flag(decision, home, c, actor, Staff!, now);
            if (Booking is { } booking)
                decision = BookedReceipt.Attach(decision, c, booking, BookingVersion, actor, now);
            return decision;
        }
    }

    public async Task<(Mode Mode, DomainError? Error)> PrepareAsync(ReceiveCaseRequest request, Guid caseId, Actor actor, HttpContext http)
    {
        if (request.HomeService is null && request.AppointmentId is null)
            return (Mode.None, null);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var centre = http.User.CentreId() ?? "";
        IReadOnlyDictionary<string, string>? staff = null;
        if (request.HomeService is { } home)
        {
            staff = await desk.CentreStaffAsync(centre, http.RequestAborted);
            if (HomeServiceDecider.Validate(home, request.Applicant ?? new Applicant(ApplicantKind.Person, "", null, null, null, null), actor, staff, now) is { } refused)
                return (Mode.None, refused);
        }
        Appointment? booking = null;
        long version = 0;
        if (request.AppointmentId is { } appointmentId)
        {
            (booking, version, _) = await AppointmentEndpoints.LoadAsync(store, appointmentId, http.RequestAborted);
            if (booking is null)
                return (Mode.None, AppointmentDecider.NotFound);
            var itemCode = request.ItemId is { } itemId ? await ItemCodeAsync(itemId, http.RequestAborted) : null;
            var attend = new AttendAppointment(caseId, itemCode ?? "", request.Applicant?.ResidentIdNumber, centre);
            if (AppointmentDecider.Decide(attend, booking, actor, now).Error is { } refused)
                return (Mode.None, refused);
        }
        return (new Mode(request.HomeService, staff, booking, version), null);
    }

    private async Task<string?> ItemCodeAsync(Guid itemId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT implementation_code FROM cf_service_items WHERE item_id = $1");
        cmd.Parameters.AddWithValue(itemId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}
