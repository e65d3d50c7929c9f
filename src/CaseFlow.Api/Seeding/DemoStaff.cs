using System.Security.Claims;
using Bogus;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;

namespace CaseFlow.Api.Seeding;

/// <summary>A member of the demo staff that the Development token endpoint can log in as.</summary>
public sealed record StaffMember(
    string Id,
    string Name,
    Role Role,
    string UnitId,
    string UnitName,
    string CentreId,
    string? DepartmentId,
    string RegionId,
    string Phone)
{
    public IEnumerable<Claim> Claims()
    {
        yield return new Claim(CaseFlowClaims.StaffId, Id);
        yield return new Claim(CaseFlowClaims.Name, Name);
        yield return new Claim(CaseFlowClaims.Role, Role.ToString());
        yield return new Claim(CaseFlowClaims.UnitId, UnitId);
        yield return new Claim(CaseFlowClaims.UnitName, UnitName);
        yield return new Claim(CaseFlowClaims.CentreId, CentreId);
        yield return new Claim(CaseFlowClaims.RegionId, RegionId);
        if (DepartmentId is not null)
            yield return new Claim(CaseFlowClaims.DepartmentId, DepartmentId);
    }
}

/// <summary>
/// The demo staff: realistic zh_CN names from Bogus with a fixed seed, so the same people log in every run.
/// Two centres (a county 政务服务中心 and a township 便民服务中心), every role of DOMAIN.md §1.
/// </summary>
public static class DemoStaff
{
    public const string CountyRegion = "361130000000";     // 宁都县 (GB/T 2260 style, level 4)
    public const string TownshipRegion = "361130100000";   // 梅江镇 (level 5)
    public const string VillageRegion = "361130100201";    // 梅江镇 城南村 (level 6)
    public const string CountyCentre = "centre-361130";
    public const string TownshipCentre = "centre-361130100";
    public const string CountyCentreName = "宁都县政务服务中心";
    public const string TownshipCentreName = "梅江镇便民服务中心";

    public static IReadOnlyList<StaffMember> All { get; } = Build();

    public static StaffMember Find(string id) => All.First(s => s.Id == id);

    public static StaffMember FirstOf(Role role, string? centreId = null) =>
        All.First(s => s.Role == role && (centreId is null || s.CentreId == centreId));

    private static List<StaffMember> Build()
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(20261122) };
        string Name() => faker.Name.LastName() + faker.Name.FirstName();
        string Phone() => "1" + faker.PickRandom("35", "38", "39", "58", "77", "86") + faker.Random.ReplaceNumbers("########");

        var staff = new List<StaffMember>();
        void Add(string id, Role role, string unitId, string unitName, string centreId, string? departmentId, string regionId) =>
            staff.Add(new StaffMember(id, Name(), role, unitId, unitName, centreId, departmentId, regionId, Phone()));

        Add("clerk-tw-1", Role.Clerk, TownshipCentre, TownshipCentreName + "综合窗口", TownshipCentre, null, TownshipRegion);
        Add("clerk-tw-2", Role.Clerk, TownshipCentre, TownshipCentreName + "综合窗口", TownshipCentre, null, TownshipRegion);
        Add("clerk-cty-1", Role.Clerk, CountyCentre, CountyCentreName + "综合窗口", CountyCentre, null, CountyRegion);
        Add("agent-cn-1", Role.Agent, "station-361130100201", "城南村便民服务站", TownshipCentre, null, VillageRegion);
        Add("approver-rsj-1", Role.Approver, "dept-361130-rsj", "宁都县人力资源和社会保障局", CountyCentre, "dept-361130-rsj", CountyRegion);
        Add("approver-rsj-2", Role.Approver, "dept-361130-rsj", "宁都县人力资源和社会保障局", CountyCentre, "dept-361130-rsj", CountyRegion);
        Add("approver-mzj-1", Role.Approver, "dept-361130-mzj", "宁都县民政局", CountyCentre, "dept-361130-mzj", CountyRegion);
        Add("head-rsj-1", Role.DepartmentHead, "dept-361130-rsj", "宁都县人力资源和社会保障局", CountyCentre, "dept-361130-rsj", CountyRegion);
        Add("supervisor-cty-1", Role.Supervisor, "supervision-361130", "宁都县行政审批局电子监察室", CountyCentre, null, CountyRegion);
        Add("admin-1", Role.Admin, "admin-361130", "宁都县行政审批局", CountyCentre, null, CountyRegion);
        Add("approver-bdc-1", Role.Approver, "dept-361130-bdc", "宁都县不动产登记中心", CountyCentre, "dept-361130-bdc", CountyRegion);
        Add("approver-zjj-1", Role.Approver, "dept-361130-zjj", "宁都县住房和城乡建设局", CountyCentre, "dept-361130-zjj", CountyRegion);
        Add("approver-sw-1", Role.Approver, "dept-361130-sw", "国家税务总局宁都县税务局", CountyCentre, "dept-361130-sw", CountyRegion);
        Add("approver-wjw-1", Role.Approver, "dept-361130-wjw", "宁都县卫生健康委员会", CountyCentre, "dept-361130-wjw", CountyRegion);
        Add("supervisor-rj-1", Role.Supervisor, "supervision-360781", "瑞金市行政审批局电子监察室", "centre-360781", null, "360781000000");
        // The 企业开办 bundle's lead (市场监管局) and 公安局 (公章刻制), so that the seeds' flagship bundle can be
        // decided (issue 16). Added last: the names above stay as they were generated.
        Add("approver-scjgj-1", Role.Approver, "dept-361130-scjgj", "宁都县市场监督管理局", CountyCentre, "dept-361130-scjgj", CountyRegion);
        Add("approver-gaj-1", Role.Approver, "dept-361130-gaj", "宁都县公安局", CountyCentre, "dept-361130-gaj", CountyRegion);
        return staff;
    }
}
