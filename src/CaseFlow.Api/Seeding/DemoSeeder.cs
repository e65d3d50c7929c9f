using Bogus;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Domain.Organisation;
using CaseFlow.Persistence.Commands;
using Npgsql;

namespace CaseFlow.Api.Seeding;

/// <summary>
/// Fills an empty database with a realistic demo (Development only, <c>CaseFlow:Demo:Seed=false</c> turns it off),
/// driving the same commands that users send — never inserting read-model rows. Each capability adds its slice.
/// </summary>
public sealed class DemoSeeder(CommandPipeline pipeline, NpgsqlDataSource db, ILogger<DemoSeeder> logger)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM cf_streams)"))
        {
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
                return;
        }
        var commands = await SeedCatalogueAsync(ct) + await SeedOrganisationAsync(ct) + await SeedInquiriesAsync(ct);
        logger.LogInformation("Seeded the demo: {Staff} staff to log in as (GET /dev/staff), {Commands} commands", DemoStaff.All.Count, commands);
    }

    /// <summary>The service-item catalogue, published by the demo administrator.</summary>
    private async Task<int> SeedCatalogueAsync(CancellationToken ct)
    {
        var admin = ActorOf(DemoStaff.FirstOf(Role.Admin)) with { Channel = Channel.BackOffice };
        foreach (var definition in DemoCatalogue.Items)
        {
            var id = ServiceItemId.For(definition.ImplementationCode);
            await RunAsync(ServiceItem.Kind, admin, id, "PublishServiceItem", (s, now) => ServiceItem.Decide(new PublishServiceItem(id, definition), s, admin, now), ct);
        }
        var codes = DemoCatalogue.Items.Select(i => i.ImplementationCode).ToHashSet();
        foreach (var bundle in DemoCatalogue.Bundles)
        {
            var id = Bundle.StreamIdFor(bundle.Code);
            await RunAsync(Bundle.Kind, admin, id, "DefineBundle", (s, now) => Bundle.Decide(new DefineBundle(id, bundle, codes), s, admin, now), ct);
        }
        return DemoCatalogue.Items.Count + DemoCatalogue.Bundles.Count;
    }

    /// <summary>County 政务服务中心, township 便民服务中心 and a village station, with departments, windows and an AB post.</summary>
    private async Task<int> SeedOrganisationAsync(CancellationToken ct)
    {
        var admin = ActorOf(DemoStaff.FirstOf(Role.Admin)) with { Channel = Channel.BackOffice };
        var count = 0;
        async Task Centre(string code, string name, Region region, (string Id, string Name)[] departments, OpenWindow[] windows)
        {
            var id = ServiceCentre.StreamIdFor(region.Code);
            await RunAsync(ServiceCentre.Kind, admin, id, "EstablishServiceCentre", (s, now) => ServiceCentre.Decide(new EstablishServiceCentre(id, code, name, region), s, admin, now), ct);
            foreach (var (deptId, deptName) in departments)
                await RunAsync(ServiceCentre.Kind, admin, id, "StationDepartment", (s, now) => ServiceCentre.Decide(new StationDepartment(deptId, deptName), s, admin, now), ct);
            foreach (var window in windows)
                await RunAsync(ServiceCentre.Kind, admin, id, "OpenWindow", (s, now) => ServiceCentre.Decide(window, s, admin, now), ct);
            count += 1 + departments.Length + windows.Length;
        }

        string[] livelihood = ["社会保障", "医疗保障", "民政", "户籍", "退役军人", "卫生健康"];
        string[] construction = ["农村建房", "不动产登记", "市场主体登记"];
        await Centre(DemoStaff.CountyCentre, DemoStaff.CountyCentreName, new Region(DemoStaff.CountyRegion, "宁都县", RegionLevel.County, "360700000000"),
            [("dept-361130-rsj", "宁都县人力资源和社会保障局"), ("dept-361130-ybj", "宁都县医疗保障局"), ("dept-361130-mzj", "宁都县民政局"), ("dept-361130-gaj", "宁都县公安局"),
             ("dept-361130-tyjrj", "宁都县退役军人事务局"), ("dept-361130-wjw", "宁都县卫生健康委员会"), ("dept-361130-zrzyj", "宁都县自然资源局"),
             ("dept-361130-bdc", "宁都县不动产登记中心"), ("dept-361130-scjgj", "宁都县市场监督管理局")],
            [new OpenWindow("window-cty-1", "1", WindowKind.Comprehensive, "民生", livelihood, []),
             new OpenWindow("window-cty-2", "2", WindowKind.Comprehensive, "建设", construction, []),
             new OpenWindow("window-cty-3", "3", WindowKind.Comprehensive, "市政公共服务", ["公用事业报装"], []),
             new OpenWindow("window-cty-9", "9", WindowKind.CantGetItDone, null, [], [])]);
        await Centre(DemoStaff.TownshipCentre, DemoStaff.TownshipCentreName, new Region(DemoStaff.TownshipRegion, "梅江镇", RegionLevel.Township, DemoStaff.CountyRegion),
            [("dept-361130100-shbz", "梅江镇社会保障服务所"), ("dept-361130100-ghjs", "梅江镇规划建设办")],
            [new OpenWindow("window-tw-1", "1", WindowKind.Comprehensive, "民生", livelihood, []),
             new OpenWindow("window-tw-2", "2", WindowKind.Comprehensive, "建设", ["农村建房"], ["361130-001001001", "361130-001001002"]),
             new OpenWindow("window-tw-3", "3", WindowKind.AgentService, null, [], [])]);
        await Centre("station-361130100201", "城南村便民服务站", new Region(DemoStaff.VillageRegion, "城南村", RegionLevel.Village, DemoStaff.TownshipRegion),
            [], [new OpenWindow("window-cn-1", "1", WindowKind.AgentService, null, [], [])]);

        foreach (var member in DemoStaff.All)
        {
            var staffId = Staff.StreamIdFor(member.Id);
            await RunAsync(Staff.Kind, admin, staffId, "RegisterStaff", (s, now) => Staff.Decide(
                new RegisterStaff(member.Id, member.Name, member.Role, member.UnitId, member.UnitName, member.CentreId, member.DepartmentId), s, admin, now), ct);
            count++;
        }

        var a = DemoStaff.Find("clerk-tw-1");
        var b = DemoStaff.Find("clerk-tw-2");
        var post = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
        await RunAsync(Post.Kind, admin, post, "CreatePost",
            (s, now) => Post.Decide(new CreatePost(post, ServiceCentre.StreamIdFor(DemoStaff.TownshipRegion), "梅江镇综合窗口民生岗", a.Id, a.Name, b.Id, b.Name), s, admin, now), ct);
        return count + 1;
    }

    private async Task RunAsync<TState>(StreamKind<TState> kind, Actor actor, Guid id, string name, Func<TState, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var outcome = await pipeline.ExecuteAsync(kind, id, new CommandContext(name, actor, "demo-seed"), decide, ct);
        if (outcome is not CommandOutcome.Succeeded)
            throw new InvalidOperationException($"Demo seed command {name} failed: {outcome}");
    }

    private static Actor ActorOf(StaffMember s) => new(s.Id, s.Name, s.Role, s.UnitId, s.UnitName, Channel.Window);

    /// <summary>首问: open, answered and referred inquiries on the township clerks' worklists.</summary>
    private async Task<int> SeedInquiriesAsync(CancellationToken ct)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(7) };
        var clerks = DemoStaff.All.Where(s => s.Role == Role.Clerk).ToList();
        string[] topics = ["城乡居民养老保险参保登记需要带什么材料", "新生儿医保怎么办理", "农村建房审批流程", "残疾人两项补贴申请条件", "营业执照变更", "居住证办理"];
        var count = 0;
        for (var i = 0; i < 12; i++)
        {
            var clerk = ActorOf(clerks[i % clerks.Count]);
            var id = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
            var register = new RegisterInquiry(id, faker.Name.LastName() + faker.Name.FirstName(), "1" + faker.Random.ReplaceNumbers("3#########"), faker.PickRandom(topics), null, Channel.Window);
            await RunAsync(Inquiry.Kind, clerk, id, "RegisterInquiry", (s, now) => InquiryDecider.Decide(register, s, clerk, now), ct);
            count++;
            if (i % 3 == 1)
            {
                await RunAsync(Inquiry.Kind, clerk, id, "AnswerInquiry", (s, now) => InquiryDecider.Decide(new AnswerInquiry(id, "已一次性告知所需材料清单并提供样表。"), s, clerk, now), ct);
                count++;
            }
            else if (i % 3 == 2)
            {
                var target = clerks.First(c => c.Id != clerk.Id);
                await RunAsync(Inquiry.Kind, clerk, id, "ReferInquiry", (s, now) => InquiryDecider.Decide(new ReferInquiry(id, "window-tw-1", target.Id, target.Name, "涉及社保业务，转社保专窗", null), s, clerk, now), ct);
                count++;
            }
        }
        return count;
    }

}
