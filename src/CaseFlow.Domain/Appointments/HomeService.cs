using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Appointments;

/// <summary>Why the window went to the applicant (为老、弱、病、残、幼等群体提供……上门服务).</summary>
public enum HomeServiceReason
{
    /// <summary>老年人: 60 or older (《老年人权益保障法》第二条), read from the resident ID number.</summary>
    Elderly,
    /// <summary>残疾人: the disability certificate's number (残疾人证号) is recorded.</summary>
    Disabled,
    /// <summary>病、弱 and others who cannot come: bedridden, seriously ill, mobility impaired — described.</summary>
    Immobile,
}

/// <summary>A member of staff who went to the applicant.</summary>
public sealed record StaffOnVisit(string StaffId, string Name);

/// <summary>
/// On the case: it was received at the applicant's home (上门服务). The reason with its proof, where, who went. The
/// receipt itself is the ordinary <c>case.received.v1</c> through the window channel: every rule treats it as a
/// window receipt (notice period, acceptance, deadlines, the receiving clerk's accountability).
/// </summary>
public sealed record CaseReceivedAtHome(
    Guid CaseId, HomeServiceReason Reason, string? ReasonDetails, string? CertificateNumber, string Address, IReadOnlyList<StaffOnVisit> StaffWhoWent,
    string RecordedById, string RecordedByName, DateTimeOffset At);

/// <summary>What the clerk says about a home receipt.</summary>
public sealed record HomeServiceForm(HomeServiceReason Reason, string? ReasonDetails, string? CertificateNumber, string? Address, IReadOnlyList<string>? StaffIds);

/// <summary>The home-service flag on a receipt. <paramref name="CentreStaff"/>: the registered staff of the case's centre (id → name).</summary>
public static class HomeServiceDecider
{
    public const int ElderlyFromAge = 60;

    /// <summary>Whether the home-service flag may go on a receipt for <paramref name="applicant"/>; null when it may.</summary>
    public static DomainError? Validate(HomeServiceForm form, Acceptance.Applicant applicant, Actor actor, IReadOnlyDictionary<string, string> centreStaff, DateTimeOffset now)
    {
        if (actor.Role != Role.Clerk)
            return DomainError.Forbidden("case.home_service_clerk_only", "上门服务收件由服务中心的窗口工作人员登记；代办员请按代办提交。");
        if (applicant.Kind != Acceptance.ApplicantKind.Person)
            return DomainError.Rule("case.home_service_person_only", "上门服务只面向老年人、残疾人等行动不便的个人申请人。");
        if (!Identity.ResidentIdNumber.IsValid(applicant.ResidentIdNumber))
            return DomainError.Validation("identity.resident_id_invalid", "居民身份证号码不正确（应为 18 位，末位校验码须符合 GB 11643）。");
        switch (form.Reason)
        {
            case HomeServiceReason.Elderly when AgeOn(applicant.ResidentIdNumber!, WorkingCalendar.BeijingDate(now)) is var age && age < ElderlyFromAge:
                return DomainError.Rule("case.home_service_not_eligible", $"按身份证号码，申请人 {age} 周岁，未满 {ElderlyFromAge} 周岁，不能以“老年人”为由上门收件；行动不便的请选择“行动不便”并说明情况。");
            case HomeServiceReason.Disabled when string.IsNullOrWhiteSpace(form.CertificateNumber):
                return DomainError.Validation("case.home_service_certificate_required", "以“残疾人”为由上门收件，请登记残疾人证号。");
            case HomeServiceReason.Immobile when string.IsNullOrWhiteSpace(form.ReasonDetails):
                return DomainError.Validation("case.home_service_reason_required", "以“行动不便”为由上门收件，请说明申请人的情况（如长期卧床、重病）。");
        }
        if (string.IsNullOrWhiteSpace(form.Address))
            return DomainError.Validation("case.home_service_address_required", "请填写上门收件的地址。");
        var ids = (form.StaffIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
            return DomainError.Validation("case.home_service_staff_required", "请登记上门的工作人员（至少一人）。");
        if (ids.FirstOrDefault(id => !centreStaff.ContainsKey(id)) is { } stranger)
            return DomainError.Rule("case.home_service_staff_unknown", $"{stranger} 不是本中心登记的工作人员。");
        return null;
    }

    /// <summary>The receipt decided, and the case records that it was received at home (same stream, same transaction).</summary>
    public static Decision Flag(Decision receipt, HomeServiceForm form, Acceptance.ReceiveCase c, Actor actor, IReadOnlyDictionary<string, string> centreStaff, DateTimeOffset now)
    {
        if (receipt.Error is not null)
            return receipt;
        if (Validate(form, c.Applicant, actor, centreStaff, now) is { } refused)
            return refused;
        var home = new CaseReceivedAtHome(c.CaseId, form.Reason, Blank(form.ReasonDetails), Blank(form.CertificateNumber), form.Address!.Trim(),
            (form.StaffIds ?? []).Distinct().Select(id => new StaffOnVisit(id, centreStaff[id])).ToList(), actor.Id, actor.Name, now);
        return receipt.With(home);
    }

    /// <summary>Completed years on <paramref name="on"/>, from the birth date in an 18-character resident ID number (GB 11643).</summary>
    public static int AgeOn(string residentIdNumber, DateOnly on)
    {
        if (!DateOnly.TryParseExact(residentIdNumber.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var born))
            return 0;
        var age = on.Year - born.Year;
        return on < born.AddYears(age) ? age - 1 : age;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Attaches a booking to a receipt: the case records it, the booking is marked attended, one transaction.</summary>
public static class BookedReceipt
{
    public static Decision Attach(Decision receipt, Acceptance.ReceiveCase c, Appointment booking, long bookingVersion, Actor actor, DateTimeOffset now)
    {
        if (receipt.Error is not null)
            return receipt;
        var attended = AppointmentDecider.Decide(new AttendAppointment(c.CaseId, c.Item.ImplementationCode, c.Applicant.ResidentIdNumber, c.CentreId), booking, actor, now);
        if (attended.Error is { } error)
            return error;
        return receipt
            .With(new CaseReceivedByAppointment(c.CaseId, booking.Id, booking.Number, booking.Slot!.Kind, booking.Slot.StartsAt, now))
            .AndAppendAt(booking.Id, Appointment.Kind.Name, bookingVersion, [.. attended.Events]);
    }
}
