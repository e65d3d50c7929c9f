using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Organisation;

/// <summary>A member of staff was registered with a role and a unit (centre, department or station).</summary>
public sealed record StaffRegistered(string StaffId, string Name, Role Role, string UnitId, string UnitName, string CentreId, string? DepartmentId, string RegisteredById, DateTimeOffset RegisteredAt);

public sealed record RegisterStaff(string StaffId, string Name, Role Role, string UnitId, string UnitName, string CentreId, string? DepartmentId);

/// <summary>One stream per member of staff (id derived from the staff id).</summary>
public sealed record Staff(string? Id)
{
    public static readonly StreamKind<Staff> Kind = new("staff", new Staff((string?)null), (s, e) => e is StaffRegistered r ? new Staff(r.StaffId) : s);

    public static Guid StreamIdFor(string staffId) => StableId.For("staff", staffId);

    public static Decision Decide(RegisterStaff c, Staff state, Actor actor, DateTimeOffset now)
    {
        if (actor.Role != Role.Admin)
            return OrganisationRules.AdminOnly;
        if (state.Id is not null)
            return DomainError.Rule("organisation.staff_exists", "该人员已登记。");
        if (string.IsNullOrWhiteSpace(c.StaffId) || string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.UnitId) || string.IsNullOrWhiteSpace(c.CentreId))
            return DomainError.Validation("organisation.staff_incomplete", "请填写工号、姓名、所属单位和所属中心。");
        if (c.Role is Role.System or Role.Platform)
            return DomainError.Validation("organisation.staff_role_invalid", "人员角色须为窗口、代办、审批、部门负责人、监察或管理员之一。");
        if (c.Role is Role.Approver or Role.DepartmentHead && string.IsNullOrWhiteSpace(c.DepartmentId))
            return DomainError.Validation("organisation.staff_department_required", "审批人员和部门负责人须指定所属部门。");
        return Decision.Append(new StaffRegistered(c.StaffId.Trim(), c.Name.Trim(), c.Role, c.UnitId, c.UnitName, c.CentreId, c.DepartmentId, actor.Id, now));
    }
}
