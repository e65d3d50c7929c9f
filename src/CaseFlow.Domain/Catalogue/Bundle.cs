using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Catalogue;

/// <summary>
/// 一件事一次办 (DOMAIN.md §3): several items, one lead department, co-departments in parallel, one combined
/// promised limit. Joint handling (行政许可法 Art. 26/42): joint statutory limit ≤ 45 working days, extendable once
/// by 15 — so a bundle may promise up to joint statutory + 15 (工程建设项目审批: 45 + 15 = 60).
/// </summary>
public sealed record BundleDefinition(
    string Code,
    string Name,
    IReadOnlyList<string> ItemCodes,
    string LeadDepartmentId,
    IReadOnlyList<string> CoDepartmentIds,
    int CombinedPromisedLimitWorkingDays,
    int JointStatutoryLimitWorkingDays)
{
    public const int MaxJointStatutory = 45;
    public const int JointExtension = 15;

    public DomainError? Validate()
    {
        if (string.IsNullOrWhiteSpace(Code) || Code.Length > 50 || string.IsNullOrWhiteSpace(Name))
            return DomainError.Validation("catalogue.bundle_incomplete", "请填写“一件事”的编码（不超过 50 个字符）和名称。");
        if (ItemCodes.Distinct().Count() < 2)
            return DomainError.Validation("catalogue.bundle_too_few_items", "“一件事”至少包含两个不同的事项。");
        if (string.IsNullOrWhiteSpace(LeadDepartmentId) || CoDepartmentIds.Contains(LeadDepartmentId))
            return DomainError.Validation("catalogue.bundle_lead_invalid", "请指定一个牵头部门，且牵头部门不能同时是协办部门。");
        if (JointStatutoryLimitWorkingDays is <= 0 or > MaxJointStatutory)
            return DomainError.Validation("catalogue.bundle_joint_limit_exceeded", $"联合办理的法定时限应在 1 至 {MaxJointStatutory} 个工作日之间（行政许可法第四十二条）。");
        if (CombinedPromisedLimitWorkingDays <= 0 || CombinedPromisedLimitWorkingDays > JointStatutoryLimitWorkingDays + JointExtension)
            return DomainError.Validation("catalogue.bundle_promised_exceeds_statutory",
                $"“一件事”承诺时限须大于 0，且不超过联合办理法定时限加一次延长（{JointStatutoryLimitWorkingDays} + {JointExtension} 个工作日）。");
        return null;
    }
}

/// <summary>An administrator defined a bundle (一件事).</summary>
public sealed record BundleDefined(Guid BundleId, BundleDefinition Definition, string DefinedById, string DefinedByName, DateTimeOffset DefinedAt);

public sealed record DefineBundle(Guid BundleId, BundleDefinition Definition, IReadOnlyCollection<string> KnownItemCodes);

public sealed record Bundle(Guid Id, BundleDefinition? Definition)
{
    public static readonly StreamKind<Bundle> Kind = new("bundle", new Bundle(Guid.Empty, null), (s, e) => e is BundleDefined d ? new Bundle(d.BundleId, d.Definition) : s);

    public static Guid StreamIdFor(string code) => StableId.For("bundle", code);

    /// <summary>The host passes the catalogue's item codes: every item of a bundle must exist.</summary>
    public static Decision Decide(DefineBundle c, Bundle state, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return CatalogueRules.AdminOnly;
        if (state.Definition is not null)
            return DomainError.Rule("catalogue.bundle_exists", "该“一件事”已存在。");
        if (c.Definition.Validate() is { } error)
            return error;
        var unknown = c.Definition.ItemCodes.Where(code => !c.KnownItemCodes.Contains(code)).ToList();
        if (unknown.Count > 0)
            return DomainError.Validation("catalogue.bundle_item_unknown", $"事项 {string.Join("、", unknown)} 不在事项目录中。");
        return Decision.Append(new BundleDefined(c.BundleId, c.Definition, actor.Id, actor.Name, now));
    }
}
