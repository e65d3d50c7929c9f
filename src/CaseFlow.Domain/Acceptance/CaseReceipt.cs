using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Identity;

namespace CaseFlow.Domain.Acceptance;

public enum ApplicantKind
{
    Person,
    Organisation,
}

/// <summary>
/// The applicant (DOMAIN.md §8): a person (name, resident ID number, phone) or an organisation (name, unified
/// social credit code, legal representative). Personal data: stored in the case's events, masked for roles
/// that do not need it, never logged.
/// </summary>
public sealed record Applicant(ApplicantKind Kind, string Name, string? ResidentIdNumber, string? Phone, string? CreditCode, string? LegalRepresentative)
{
    public DomainError? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            return DomainError.Validation("case.applicant_name_required", "请填写申请人姓名或单位名称。");
        if (Kind == ApplicantKind.Person && !Identity.ResidentIdNumber.IsValid(ResidentIdNumber))
            return DomainError.Validation("identity.resident_id_invalid", "居民身份证号码不正确（应为 18 位，末位校验码须符合 GB 11643）。");
        if (Kind == ApplicantKind.Organisation && !UnifiedSocialCreditCode.IsValid(CreditCode))
            return DomainError.Validation("identity.credit_code_invalid", "统一社会信用代码不正确（应为 18 位，末位校验码须符合 GB 32100）。");
        if (Kind == ApplicantKind.Organisation && string.IsNullOrWhiteSpace(LegalRepresentative))
            return DomainError.Validation("case.legal_representative_required", "请填写法定代表人。");
        if (Phone is { Length: > 0 } phone && !PhoneNumber.IsValid(phone))
            return DomainError.Validation("identity.phone_invalid", "联系电话格式不正确，应为11位手机号码或带区号的固定电话。");
        return null;
    }

    /// <summary>The applicant as shown to a role that does not need the identity numbers whole (DOMAIN.md §8).</summary>
    public Applicant Masked() => this with
    {
        ResidentIdNumber = ResidentIdNumber is { } id ? Identity.ResidentIdNumber.Mask(id) : null,
        Phone = Phone is { } phone ? PhoneNumber.Mask(phone) : null,
        CreditCode = CreditCode is { } code ? UnifiedSocialCreditCode.Mask(code) : null,
    };
}

public enum MaterialState
{
    Present,
    Missing,
    NonConforming,
    /// <summary>告知承诺: the applicant promised instead of proving; only where the material allows it.</summary>
    Committed,
}

/// <summary>One line of the checklist as received at the window.</summary>
public sealed record ReceivedMaterial(string Code, MaterialState State, string? Reason);

/// <summary>
/// 收件: a clerk took in materials for an item at its current revision. The revision's limits and checklist are
/// copied into the event, so a later revision of the item never changes this case (DOMAIN.md §3 "a case keeps the
/// revision it was received under"). Receipt and acceptance are separate instants (§5 rule 3).
/// </summary>
public sealed record CaseReceived(
    Guid CaseId,
    Guid ItemId,
    int ItemRevision,
    ServiceItemDefinition Item,
    Applicant Applicant,
    IReadOnlyList<ReceivedMaterial> Materials,
    Channel Channel,
    string CentreId,
    string WindowId,
    string ReceivedById,
    string ReceivedByName,
    DateTimeOffset ReceivedAt);

