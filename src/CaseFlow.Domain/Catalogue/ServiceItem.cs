using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Catalogue;

/// <summary>Where an item may be accepted or decided (DOMAIN.md §3; GB/T 39046 levels 4–6).</summary>
public enum ServiceLevel
{
    County,
    Township,
    Village,
}

/// <summary>即办件 (finished the day it is accepted) or 承诺件 (a promised limit).</summary>
public enum CaseKind
{
    Immediate,
    Promised,
}

/// <summary>One material of the checklist (DOMAIN.md §3): only non-key materials may be missing under 容缺.</summary>
public sealed record Material(
    string Code,
    string Name,
    bool Required,
    bool Key,
    bool Original,
    int Copies,
    bool CommitmentAllowed);

/// <summary>An approval step (承办 / 审核 / 决定) with its department and its share of the promised limit.</summary>
public sealed record ApprovalStep(string Name, string DepartmentId, int ShareWorkingDays);

/// <summary>
/// Everything a service item says at one revision (DOMAIN.md §3). Codes are GB/T 39046 basic and implementation
/// codes; the item type is its A.1 code (01 行政许可, 05 行政给付, 07 行政确认, 20 公共服务, …).
/// </summary>
public sealed record ServiceItemDefinition(
    string BasicCode,
    string ImplementationCode,
    string Name,
    string ItemType,
    string Category,
    ServiceLevel AcceptanceLevel,
    ServiceLevel DecisionLevel,
    bool AgentMaySubmit,
    CaseKind CaseKind,
    int StatutoryLimitWorkingDays,
    int PromisedLimitWorkingDays,
    IReadOnlyList<Material> Materials,
    IReadOnlyList<string> HandlingDepartments,
    IReadOnlyList<ApprovalStep> Steps,
    decimal FeeYuan,
    string LegalBasis)
{
    public static readonly string[] ItemTypes = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"];

    /// <summary>The longest limit (statutory, promised or a step's share) the catalogue accepts, in working days.</summary>
    public const int MaxLimitWorkingDays = 250;

    /// <summary>The catalogue's rules; each broken rule has its own stable code.</summary>
    public DomainError? Validate()
    {
        if (string.IsNullOrWhiteSpace(BasicCode) || BasicCode.Length > 50 || string.IsNullOrWhiteSpace(ImplementationCode) || ImplementationCode.Length > 50)
            return DomainError.Validation("catalogue.code_invalid", "基本编码和实施编码均为必填，且不超过 50 个字符。");
        if (string.IsNullOrWhiteSpace(Name))
            return DomainError.Validation("catalogue.name_required", "请填写事项名称。");
        if (!ItemTypes.Contains(ItemType))
            return DomainError.Validation("catalogue.item_type_invalid", $"事项类型 {ItemType} 不是 GB/T 39046 附录 A.1 的代码（如 01 行政许可、07 行政确认、20 公共服务）。");
        if (StatutoryLimitWorkingDays < 0 || PromisedLimitWorkingDays < 0)
            return DomainError.Validation("catalogue.limit_negative", "办结时限不能为负数。");
        if (PromisedLimitWorkingDays > StatutoryLimitWorkingDays)
            return DomainError.Validation("catalogue.promised_exceeds_statutory", $"承诺办结时限（{PromisedLimitWorkingDays} 个工作日）不得超过法定办结时限（{StatutoryLimitWorkingDays} 个工作日）。");
        if (CaseKind == CaseKind.Immediate && PromisedLimitWorkingDays != 0)
            return DomainError.Validation("catalogue.immediate_has_limit", "即办件当场办结，承诺时限应为 0。");
        if (CaseKind == CaseKind.Promised && PromisedLimitWorkingDays == 0)
            return DomainError.Validation("catalogue.promised_without_limit", "承诺件须有大于 0 的承诺办结时限。");
        // Limits beyond a working year are not limits; it also keeps the sums below from overflowing (issue 13).
        if (StatutoryLimitWorkingDays > MaxLimitWorkingDays || Steps.Any(s => s.ShareWorkingDays is < 0 or > MaxLimitWorkingDays))
            return DomainError.Validation("catalogue.limit_too_long", $"时限不能超过 {MaxLimitWorkingDays} 个工作日，环节时限不能为负数。");
        if (Steps.Sum(s => (long)s.ShareWorkingDays) > PromisedLimitWorkingDays)
            return DomainError.Validation("catalogue.step_shares_exceed_limit", $"各审批环节时限之和（{Steps.Sum(s => s.ShareWorkingDays)}）超过承诺办结时限（{PromisedLimitWorkingDays}）。");
        if (Materials.GroupBy(m => m.Code).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            return DomainError.Validation("catalogue.material_code_repeated", $"材料编码 {repeated.Key} 重复。");
        if (Materials.FirstOrDefault(m => m.Key && !m.Required) is { } optionalKey)
            return DomainError.Validation("catalogue.key_material_optional", $"“{optionalKey.Name}”是关键材料，必须为必交材料。");
        if (FeeYuan < 0)
            return DomainError.Validation("catalogue.fee_negative", "收费标准不能为负数。");
        if (AcceptanceLevel < DecisionLevel)
            return DomainError.Validation("catalogue.levels_invalid", "受理层级不能高于决定层级（可县级决定、乡镇受理，反之不可）。");
        return null;
    }
}

/// <summary>A new service item entered the catalogue at revision 1.</summary>
public sealed record ServiceItemPublished(Guid ItemId, int Revision, ServiceItemDefinition Definition, string PublishedById, string PublishedByName, DateTimeOffset PublishedAt);

/// <summary>
/// An item was revised: a new revision with the whole definition before and after (the audit needs nothing else).
/// Cases received under an earlier revision keep it.
/// </summary>
public sealed record ServiceItemRevised(
    Guid ItemId, int Revision, ServiceItemDefinition Before, ServiceItemDefinition After, string ChangeNote,
    string RevisedById, string RevisedByName, DateTimeOffset RevisedAt);

public sealed record PublishServiceItem(Guid ItemId, ServiceItemDefinition Definition);

public sealed record ReviseServiceItem(Guid ItemId, ServiceItemDefinition Definition, string ChangeNote);

/// <summary>State of one catalogue item: its current revision.</summary>
public sealed record ServiceItem(Guid Id, int Revision, ServiceItemDefinition? Current)
{
    public static readonly StreamKind<ServiceItem> Kind = new("service-item", new ServiceItem(Guid.Empty, 0, null), Evolve);

    public static ServiceItem Evolve(ServiceItem state, object @event) => @event switch
    {
        ServiceItemPublished e => new ServiceItem(e.ItemId, e.Revision, e.Definition),
        ServiceItemRevised e => state with { Revision = e.Revision, Current = e.After },
        _ => state,
    };

    public static Decision Decide(PublishServiceItem c, ServiceItem state, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return CatalogueRules.AdminOnly;
        if (state.Current is not null)
            return DomainError.Rule("catalogue.item_exists", "该事项已存在，请使用修订。");
        if (c.Definition.Validate() is { } error)
            return error;
        return Decision.Append(new ServiceItemPublished(c.ItemId, 1, c.Definition, actor.Id, actor.Name, now));
    }

    public static Decision Decide(ReviseServiceItem c, ServiceItem state, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return CatalogueRules.AdminOnly;
        if (state.Current is null)
            return DomainError.NotFound("catalogue.item_not_found", "未找到该事项。");
        if (c.Definition.Validate() is { } error)
            return error;
        if (c.Definition.ImplementationCode != state.Current.ImplementationCode)
            return DomainError.Validation("catalogue.code_immutable", "实施编码不能修改；如需新编码请新建事项。");
        if (string.IsNullOrWhiteSpace(c.ChangeNote))
            return DomainError.Validation("catalogue.change_note_required", "请说明修订内容和依据。");
        return Decision.Append(new ServiceItemRevised(c.ItemId, state.Revision + 1, state.Current, c.Definition, c.ChangeNote.Trim(), actor.Id, actor.Name, now));
    }
}

/// <summary>Item streams have ids derived from the implementation code, so one code is one item.</summary>
public static class ServiceItemId
{
    public static Guid For(string implementationCode) => StableId.For("service-item", implementationCode);
}

/// <summary>Refusals shared by the catalogue's deciders.</summary>
public static class CatalogueRules
{
    public static readonly DomainError AdminOnly = DomainError.Forbidden("catalogue.admin_only", "只有系统管理员可以维护事项目录。");
}
