using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Organisation;

/// <summary>Region levels of GB/T 39046 A.2 (3 市, 4 县, 5 镇, 6 村).</summary>
public enum RegionLevel
{
    City = 3,
    County = 4,
    Township = 5,
    Village = 6,
}

/// <summary>Window kinds (DOMAIN.md §2).</summary>
public enum WindowKind
{
    Comprehensive,
    Specialised,
    AgentService,
    CantGetItDone,
}

/// <summary>A region and where it sits in the tree (市 → 县 → 乡镇 → 村).</summary>
public sealed record Region(string Code, string Name, RegionLevel Level, string? ParentCode);

/// <summary>The region's one service centre was established (政务服务中心 / 便民服务中心 / 便民服务站).</summary>
public sealed record ServiceCentreEstablished(Guid CentreId, string CentreCode, string Name, Region Region, string EstablishedById, DateTimeOffset EstablishedAt);

/// <summary>A department was stationed in the centre (入驻部门).</summary>
public sealed record DepartmentStationed(Guid CentreId, string DepartmentId, string Name, string StationedById, DateTimeOffset StationedAt);

/// <summary>A window was opened, with what it accepts: whole categories and/or individual items.</summary>
public sealed record WindowOpened(
    Guid CentreId, string WindowId, string Number, WindowKind Kind, string? Category,
    IReadOnlyList<string> AcceptedCategories, IReadOnlyList<string> AcceptedItemCodes, string OpenedById, DateTimeOffset OpenedAt);

public sealed record EstablishServiceCentre(Guid CentreId, string CentreCode, string Name, Region Region);

public sealed record StationDepartment(string DepartmentId, string Name);

public sealed record OpenWindow(string WindowId, string Number, WindowKind Kind, string? Category, IReadOnlyList<string> AcceptedCategories, IReadOnlyList<string> AcceptedItemCodes);

/// <summary>A service centre: one per region (its stream id derives from the region code), its departments and windows.</summary>
public sealed record ServiceCentre(Guid Id, Region? Region, IReadOnlySet<string> Departments, IReadOnlySet<string> Windows)
{
    public static readonly StreamKind<ServiceCentre> Kind = new("service-centre", new ServiceCentre(Guid.Empty, null, new HashSet<string>(), new HashSet<string>()), Evolve);

    public static readonly string[] ComprehensiveCategories = ["民生", "建设", "市政公共服务"];

    public static Guid StreamIdFor(string regionCode) => StableId.For("service-centre", regionCode);

    public static ServiceCentre Evolve(ServiceCentre s, object e) => e switch
    {
        ServiceCentreEstablished x => s with { Id = x.CentreId, Region = x.Region },
        DepartmentStationed x => s with { Departments = new HashSet<string>(s.Departments) { x.DepartmentId } },
        WindowOpened x => s with { Windows = new HashSet<string>(s.Windows) { x.WindowId } },
        _ => s,
    };

    public static Decision Decide(EstablishServiceCentre c, ServiceCentre s, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return OrganisationRules.AdminOnly;
        if (s.Region is not null)
            return DomainError.Rule("organisation.centre_exists", $"行政区划 {s.Region.Name} 已有服务中心，一个区划只能设一个中心。");
        if (string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.Region.Code) || string.IsNullOrWhiteSpace(c.Region.Name))
            return DomainError.Validation("organisation.centre_incomplete", "请填写中心名称、区划代码和区划名称。");
        if (c.Region.Level != RegionLevel.City && string.IsNullOrWhiteSpace(c.Region.ParentCode))
            return DomainError.Validation("organisation.region_parent_required", "县、乡镇、村级区划须填写上级区划代码。");
        if (c.Region.Level == RegionLevel.City)
            return DomainError.Validation("organisation.region_level_invalid", "服务中心设在县（市、区）、乡镇（街道）或村（社区）。");
        return Decision.Append(new ServiceCentreEstablished(c.CentreId, c.CentreCode, c.Name.Trim(), c.Region, actor.Id, now));
    }

    public static Decision Decide(StationDepartment c, ServiceCentre s, Actor actor, DateTimeOffset now)
    {
        if (Guard(s, actor) is { } error)
            return error;
        if (string.IsNullOrWhiteSpace(c.DepartmentId) || string.IsNullOrWhiteSpace(c.Name))
            return DomainError.Validation("organisation.department_required", "请填写入驻部门的编号和名称。");
        if (s.Departments.Contains(c.DepartmentId))
            return DomainError.Rule("organisation.department_exists", "该部门已入驻本中心。");
        return Decision.Append(new DepartmentStationed(s.Id, c.DepartmentId, c.Name.Trim(), actor.Id, now));
    }

    public static Decision Decide(OpenWindow c, ServiceCentre s, Actor actor, DateTimeOffset now)
    {
        if (Guard(s, actor) is { } error)
            return error;
        if (s.Windows.Contains(c.WindowId))
            return DomainError.Rule("organisation.window_exists", "该窗口已存在。");
        if (c.Kind == WindowKind.Comprehensive && c.Category is { } category && !ComprehensiveCategories.Contains(category))
            return DomainError.Validation("organisation.window_category_invalid", "综合窗口分类只能是 民生、建设 或 市政公共服务。");
        if (c.Kind is WindowKind.Comprehensive or WindowKind.Specialised && c.AcceptedCategories.Count == 0 && c.AcceptedItemCodes.Count == 0)
            return DomainError.Validation("organisation.window_accepts_nothing", "请指定窗口可受理的事项分类或事项。");
        return Decision.Append(new WindowOpened(s.Id, c.WindowId, c.Number, c.Kind, c.Category, c.AcceptedCategories, c.AcceptedItemCodes, actor.Id, now));
    }

    private static DomainError? Guard(ServiceCentre s, Actor actor)
    {
        if (actor.Role != Role.Admin)
            return OrganisationRules.AdminOnly;
        return s.Region is null ? DomainError.NotFound("organisation.centre_not_found", "未找到该服务中心。") : null;
    }
}

/// <summary>Refusals shared by the organisation's deciders.</summary>
public static class OrganisationRules
{
    public static readonly DomainError AdminOnly = DomainError.Forbidden("organisation.admin_only", "只有系统管理员可以维护组织机构。");
}
