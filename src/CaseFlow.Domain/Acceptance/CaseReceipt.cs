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
}

public enum MaterialState
{
    Present,
    Missing,
    NonConforming,
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

/// <summary>The host resolves the window's centre and the item's current revision before deciding.</summary>
public sealed record ReceiveCase(Guid CaseId, Guid ItemId, int ItemRevision, ServiceItemDefinition Item, Applicant Applicant, IReadOnlyList<ReceivedMaterial> Materials, Channel Channel, string CentreId, string WindowId);

public enum CaseStatus
{
    None,
    Received,
}

public sealed record Case(Guid Id, CaseStatus Status)
{
    public static readonly StreamKind<Case> Kind = new("case", new Case(Guid.Empty, CaseStatus.None), (s, e) => e is CaseReceived r ? new Case(r.CaseId, CaseStatus.Received) : s);

    /// <summary>The host has checked that the clerk's window accepts the item and passes its current revision.</summary>
    public static Decision Decide(ReceiveCase c, Case state, Actor actor, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.None)
            return DomainError.Rule("case.already_received", "该办件已收件。");
        if (actor.Role is not (Role.Clerk or Role.Agent))
            return DomainError.Forbidden("case.clerk_only", "只有窗口工作人员或代办员可以收件。");
        if (c.Applicant.Validate() is { } error)
            return error;
        var checklist = c.Item.Materials.Select(m => m.Code).ToHashSet();
        if (c.Materials.FirstOrDefault(m => !checklist.Contains(m.Code)) is { } stray)
            return DomainError.Validation("case.material_not_in_checklist", $"材料 {stray.Code} 不在该事项的材料清单中。");
        if (c.Materials.GroupBy(m => m.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return DomainError.Validation("case.material_repeated", $"材料 {twice.Key} 重复登记。");
        if (c.Materials.FirstOrDefault(m => m.State == MaterialState.NonConforming && string.IsNullOrWhiteSpace(m.Reason)) is { } unexplained)
            return DomainError.Validation("case.nonconforming_reason_required", $"材料 {unexplained.Code} 不符合要求时须写明原因。");
        // Every checklist line is recorded: what the clerk did not tick is missing.
        var received = c.Item.Materials
            .Select(m => c.Materials.FirstOrDefault(r => r.Code == m.Code) ?? new ReceivedMaterial(m.Code, MaterialState.Missing, null))
            .ToList();
        return Decision.Append(new CaseReceived(c.CaseId, c.ItemId, c.ItemRevision, c.Item, c.Applicant, received, c.Channel, c.CentreId, c.WindowId, actor.Id, actor.Name, now));
    }
}
