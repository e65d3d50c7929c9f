using Bogus;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Domain.Organisation;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Commands;
using Npgsql;

namespace CaseFlow.Api.Seeding;

/// <summary>
/// Fills an empty database with a realistic demo (Development only, <c>CaseFlow:Demo:Seed=false</c> turns it off),
/// driving the same commands that users send — never inserting read-model rows. Each capability adds its slice.
/// </summary>
public sealed partial class DemoSeeder(CommandPipeline pipeline, CaseDesk desks, NpgsqlDataSource db, ILogger<DemoSeeder> logger,
    CaseFlow.Persistence.OnlineSubmission.OnlineIntake online, CaseFlow.Api.Endpoints.Platform.OnlinePlatformOptions? platform = null)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM cf_streams) OR EXISTS (SELECT 1 FROM cf_stream_kinds)"))
        {
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
                return;
        }
        var commands = await SeedCatalogueAsync(ct) + await SeedOrganisationAsync(ct) + await SeedInquiriesAsync(ct) + await SeedCasesAsync(ct)
            + await SeedOnlineSubmissionsAsync(ct)
            + await DemoAppointments.SeedAsync(pipeline, desks, db, ct); // issue 17: 预约 / 延时错时 and 上门服务
        commands += await SeedComplaintsAsync(ct); // issue 17: 投诉举报 (DemoSeeder.Complaints.cs)
        commands += await SeedWhereaboutsAsync(ct); // issue 17: 去向留言
        logger.LogInformation("Seeded the demo: {Staff} staff to log in as (GET /dev/staff), {Commands} commands", DemoStaff.All.Count, commands);
    }

    /// <summary>The service-item catalogue, published by the demo administrator.</summary>
    public async Task<int> SeedCatalogueAsync(CancellationToken ct = default)
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
    public async Task<int> SeedOrganisationAsync(CancellationToken ct = default)
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
             ("dept-361130-bdc", "宁都县不动产登记中心"), ("dept-361130-scjgj", "宁都县市场监督管理局"), ("dept-361130-zjj", "宁都县住房和城乡建设局"),
             ("dept-361130-sw", "国家税务总局宁都县税务局"), ("dept-361130-gsgs", "宁都县自来水公司（公用事业）")],
            [new OpenWindow("window-cty-1", "1", WindowKind.Comprehensive, "民生", livelihood, []),
             // 建设 and 企业开办: 单位参保登记 by item code, so that the 企业开办 bundle (市场主体登记 + 社会保障) is received
             // here (issue 16: no county window accepted all its items).
             new OpenWindow("window-cty-2", "2", WindowKind.Comprehensive, "建设", construction, ["361130-000201007"]),
             new OpenWindow("window-cty-3", "3", WindowKind.Comprehensive, "市政公共服务", ["公用事业报装"], []),
             new OpenWindow("window-cty-9", "9", WindowKind.CantGetItDone, null, [], [])]);
        await Centre(DemoStaff.TownshipCentre, DemoStaff.TownshipCentreName, new Region(DemoStaff.TownshipRegion, "梅江镇", RegionLevel.Township, DemoStaff.CountyRegion),
            [("dept-361130100-shbz", "梅江镇社会保障服务所"), ("dept-361130100-ghjs", "梅江镇规划建设办")],
            [new OpenWindow("window-tw-1", "1", WindowKind.Comprehensive, "民生", livelihood, []),
             new OpenWindow("window-tw-2", "2", WindowKind.Comprehensive, "建设", ["农村建房"], ["361130-001001001", "361130-001001002"]),
             new OpenWindow("window-tw-3", "3", WindowKind.AgentService, null, [], []),
             new OpenWindow("window-tw-9", "9", WindowKind.CantGetItDone, null, [], [])]);
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
        // The county 人社局's approval post: approver-rsj-1 (A) and approver-rsj-2 (B).
        var ra = DemoStaff.Find("approver-rsj-1");
        var rb = DemoStaff.Find("approver-rsj-2");
        var rsjPost = StableId.For("post", "dept-361130-rsj/审批岗");
        await RunAsync(Post.Kind, admin, rsjPost, "CreatePost",
            (s, now) => Post.Decide(new CreatePost(rsjPost, ServiceCentre.StreamIdFor(DemoStaff.CountyRegion), "宁都县人社局审批岗", ra.Id, ra.Name, rb.Id, rb.Name), s, admin, now), ct);
        return count + 2;
    }

    private async Task RunAsync<TState>(StreamKind<TState> kind, Actor actor, Guid id, string name, Func<TState, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var outcome = await pipeline.ExecuteAsync(kind, id, new CommandContext(name, actor, "demo-seed"), decide, ct);
        if (outcome is not CommandOutcome.Succeeded)
            throw new InvalidOperationException($"Demo seed command {name} failed: {outcome}");
    }

    private static Actor ActorOf(StaffMember s) => new(s.Id, s.Name, s.Role, s.UnitId, s.UnitName, CaseFlow.Api.Infrastructure.CurrentActor.ChannelOf(s.Role));

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


    /// <summary>
    /// 收件与受理 at the township centre: one case of each outcome, with valid-looking (check-digit correct)
    /// identity numbers, so a clerk logging in finds a worklist, notices and documents to open.
    /// </summary>
    private async Task<int> SeedCasesAsync(CancellationToken ct)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(11) };
        var clerk = ActorOf(DemoStaff.Find("clerk-tw-1"));
        var agent = ActorOf(DemoStaff.Find("agent-cn-1")) with { Channel = Channel.VillageAgent };
        var count = 0;

        async Task<Guid> Receive(Actor by, string itemCode, ReceivedMaterial[] materials, WrittenAuthorisation? authorisation = null)
        {
            var id = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
            var applicant = new Applicant(ApplicantKind.Person, faker.Name.LastName() + faker.Name.FirstName(), DemoIdentity.ResidentIdNumber(faker),
                "1" + faker.PickRandom("35", "38", "39", "58") + faker.Random.ReplaceNumbers("########"), null, null);
            var form = new ReceiptForm(by.Role == Role.Clerk ? "window-tw-1" : null, ServiceItemId.For(itemCode), applicant, materials, by.Channel, authorisation);
            var (command, desk, error) = await desks.PrepareReceiptAsync(form, id, by, DemoStaff.TownshipCentre, pipeline.Clock.GetUtcNow(), ct);
            if (error is not null)
                throw new InvalidOperationException($"Demo receipt refused: {error.Code}");
            await RunAsync(CaseFile.Kind, by, id, "ReceiveCase", (s, now) => CaseDecider.Decide(command!, s, by, desk!, now), ct);
            count++;
            return id;
        }

        async Task On(Guid id, string name, Func<CaseFile, Desk, DateTimeOffset, Decision> decide)
        {
            var desk = await desks.ForCaseAsync(id, DemoStaff.TownshipCentre, ct: ct);
            await RunAsync(CaseFile.Kind, clerk, id, name, (s, now) => decide(s, desk, now), ct);
            count++;
        }

        static ReceivedMaterial Has(string code) => new(code, MaterialState.Present, null);
        const string Pension = "361130-000201002";  // 城乡居民基本养老保险待遇申领: M00, M01, M04 (non-key), M05 (key)
        const string Relief = "361130-000401003";   // 临时救助: M00, M01, M05 (non-key, 可告知承诺)
        const string Enrolment = "361130-000201001"; // 城乡居民基本养老保险参保登记: 即办件

        // Received today, nothing decided yet: on the worklist with its notice-period end date.
        await Receive(clerk, Pension, [Has("M00"), Has("M01"), Has("M04"), Has("M05")]);
        // Key material missing: one-time notice issued, waiting for the applicant.
        var noticed = await Receive(clerk, Pension, [Has("M00"), Has("M01"), Has("M04")]);
        await On(noticed, "IssueOneTimeNotice", (s, d, now) => CaseDecider.Decide(
            new IssueOneTimeNotice(Guid.CreateVersion7(now), [new NoticeLine("M05", "未提交户口簿首页及本人页", null)], null), s, clerk, d, now));
        // Complete: accepted on the spot, acceptance notice printed.
        var complete = await Receive(clerk, Relief, [Has("M00"), Has("M01"), Has("M05")]);
        await On(complete, "AcceptCase", (s, d, now) => CaseDecider.Decide(new AcceptCase(null), s, clerk, d, now));
        // Non-key material missing: accepted with deficiency against a signed commitment.
        var deficient = await Receive(clerk, Pension, [Has("M00"), Has("M01"), Has("M05")]);
        await On(deficient, "AcceptWithDeficiency", (s, d, now) => CaseDecider.Decide(new AcceptWithDeficiency(
            [new DeficiencyPromise("M04", d.Calendar.AddWorkingDays(now, 3).Day)], "本人承诺在规定期限内补交社保卡复印件，逾期未补交的同意终止办理。"), s, clerk, d, now));
        // 即办件: accepted and completed in the same visit.
        var immediate = await Receive(clerk, Enrolment, [Has("M00"), Has("M01"), Has("M04")]);
        await On(immediate, "AcceptCase", (s, d, now) => CaseDecider.Decide(new AcceptCase("已完成参保登记，当场告知缴费档次"), s, clerk, d, now));
        // Not this centre's business: rejected, naming the competent body.
        var rejected = await Receive(clerk, Relief, [Has("M00"), Has("M01")]);
        await On(rejected, "RejectCase", (s, d, now) => CaseDecider.Decide(new RejectCase(
            "申请人户籍及经常居住地均不在本镇", "《社会救助暂行办法》第四十八条", true, "申请人户籍所在地乡镇人民政府",
            "宁都县人民政府", "宁都县人民法院"), s, clerk, d, now));
        // Submitted by the village agent with the resident's authorisation: the township window must act within 3 working days.
        await Receive(agent, Relief, [Has("M00"), Has("M01"), Has("M05"), Has("M09")],
            new WrittenAuthorisation("城南村委托〔2025〕017号", faker.Name.LastName() + faker.Name.FirstName(), DateOnly.FromDateTime(pipeline.Clock.GetUtcNow().UtcDateTime)));

        // 后台审批: the accepted 临时救助 case is claimed by the county 民政局 and its 承办 step is done.
        async Task Work(Guid id, string staffId, string name, Func<CaseFile, Actor, Desk, DateTimeOffset, Decision> decide)
        {
            var member = DemoStaff.Find(staffId);
            var by = ActorOf(member) with { Channel = Channel.BackOffice };
            var desk = await desks.ForCaseAsync(id, member.CentreId, member.DepartmentId, member.Id, ct);
            await RunAsync(CaseFile.Kind, by, id, name, (s, now) => decide(s, by, desk, now), ct);
            count++;
        }
        const string ReliefPart = "361130-000401003";
        await Work(complete, "approver-mzj-1", "ClaimPart", (s, a, d, now) => BackOfficeDecider.Decide(new ClaimPart(ReliefPart), s, a, d, now));
        await Work(complete, "approver-mzj-1", "CompleteStep", (s, a, d, now) => BackOfficeDecider.Decide(
            new CompleteStep(ReliefPart, StepAction.Pass, "经入户核查，申请人家庭因病致贫情况属实，建议给予临时救助。"), s, a, d, now));

        // 一件事 at the county: 不动产交易、登记、缴税, three departments in parallel; 住建 has decided, 不动产 has claimed.
        var countyClerk = ActorOf(DemoStaff.Find("clerk-cty-1"));
        var bundleCase = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
        var seller = new Applicant(ApplicantKind.Person, faker.Name.LastName() + faker.Name.FirstName(), DemoIdentity.ResidentIdNumber(faker), "13907970000", null, null);
        var bundleForm = new ReceiptForm("window-cty-2", Guid.Empty, seller,
            [Has("M00"), Has("M01"), Has("M05"), Has("000901004/M05"), Has("M06"), Has("M07")], Channel.Window, null, null,
            Bundle.StreamIdFor("YJS-361130-002"));
        var (bundleCommand, bundleDesk, bundleError) = await desks.PrepareReceiptAsync(bundleForm, bundleCase, countyClerk, DemoStaff.CountyCentre, pipeline.Clock.GetUtcNow(), ct);
        if (bundleError is not null)
            throw new InvalidOperationException($"Demo bundle receipt refused: {bundleError.Code}");
        await RunAsync(CaseFile.Kind, countyClerk, bundleCase, "ReceiveCase", (s, now) => CaseDecider.Decide(bundleCommand!, s, countyClerk, bundleDesk!, now), ct);
        var countyDesk = await desks.ForCaseAsync(bundleCase, DemoStaff.CountyCentre, ct: ct);
        await RunAsync(CaseFile.Kind, countyClerk, bundleCase, "AcceptCase", (s, now) => CaseDecider.Decide(new AcceptCase(null), s, countyClerk, countyDesk, now), ct);
        const string Contract = "361130-000901003", Transfer = "361130-000901002";
        await Work(bundleCase, "approver-zjj-1", "ClaimPart", (s, a, d, now) => BackOfficeDecider.Decide(new ClaimPart(Contract), s, a, d, now));
        foreach (var opinion in new[] { "合同备案信息核对无误。", "同意备案。" })
            await Work(bundleCase, "approver-zjj-1", "CompleteStep", (s, a, d, now) => BackOfficeDecider.Decide(new CompleteStep(Contract, StepAction.Pass, opinion), s, a, d, now));
        await Work(bundleCase, "approver-zjj-1", "DecidePart", (s, a, d, now) => BackOfficeDecider.Decide(
            new DecidePart(Contract, true, "网签合同信息与不动产登记簿一致，准予备案。", null, null, null), s, a, d, now));
        await Work(bundleCase, "approver-zjj-1", "RegisterResult", (s, a, d, now) => BackOfficeDecider.Decide(new RegisterResult(Contract,
            [new ResultDocument("存量房买卖合同网签备案证明", "宁住网签〔2025〕0412号", null, null)], "seal-361130-spj-01"), s, a, d, now));
        await Work(bundleCase, "approver-bdc-1", "ClaimPart", (s, a, d, now) => BackOfficeDecider.Decide(new ClaimPart(Transfer), s, a, d, now));

        // 监督 (issue 8): a pension case decided, handed out and rated badly by name — a rectification task, a bad
        // rating on the receiving clerk's ledger line, a decision in the reports — and a 督办 order on the bundle case.
        var rated = await Receive(clerk, Pension, [Has("M00"), Has("M01"), Has("M04"), Has("M05")]);
        await On(rated, "AcceptCase", (s, d, now) => CaseDecider.Decide(new AcceptCase(null), s, clerk, d, now));
        await Work(rated, "approver-rsj-2", "ClaimPart", (s, a, d, now) => BackOfficeDecider.Decide(new ClaimPart(Pension), s, a, d, now));
        foreach (var opinion in new[] { "参保缴费记录核对无误。", "待遇测算复核无误。" })
            await Work(rated, "approver-rsj-2", "CompleteStep", (s, a, d, now) => BackOfficeDecider.Decide(new CompleteStep(Pension, StepAction.Pass, opinion), s, a, d, now));
        await Work(rated, "approver-rsj-2", "DecidePart", (s, a, d, now) => BackOfficeDecider.Decide(new DecidePart(Pension, true, "符合领取条件，准予按月领取养老金。", null, null, null), s, a, d, now));
        await Work(rated, "approver-rsj-2", "RegisterResult", (s, a, d, now) => BackOfficeDecider.Decide(new RegisterResult(Pension,
            [new ResultDocument("待遇核定通知", "宁人社待〔2025〕0516号", null, null)], "seal-361130-spj-01"), s, a, d, now));
        await On(rated, "HandOutResult", (s, d, now) => Domain.Handover.HandoverDecider.Decide(
            new Domain.Handover.HandOutResult(s.Receipt!.Applicant.Name, s.Receipt.Applicant.ResidentIdNumber!, null), s, clerk, d, now));
        await On(rated, "RateService", (s, d, now) => Domain.Handover.HandoverDecider.Decide(
            new Domain.Handover.RateService(Domain.Handover.RatingLevel.Dissatisfied, Channel.Window, "窗口只开一个，等候时间过长", true), s, clerk, d, new Domain.Handover.RatingPolicy(), now));
        var supervisor = ActorOf(DemoStaff.Find("supervisor-cty-1"));
        await RunAsync(CaseFile.Kind, supervisor, bundleCase, "OrderSupervision", (s, now) => Domain.Supervision.SupervisionDecider.Decide(
            new Domain.Supervision.OrderSupervision(Guid.CreateVersion7(now), "一件事办理请各部门按并联时限办结，不动产登记请于三个工作日内说明进度",
                countyDesk.Calendar.AddWorkingDays(now, 3).Day, DemoStaff.Find("supervisor-cty-1").RegionId), s, supervisor, now), ct);
        return count + 3;
    }

    /// <summary>
    /// 网上办 (issue 17): two submissions of the provincial platform, through the same intake as its signed endpoint —
    /// one waiting in the township centre's 预审 queue (the key material not uploaded), one the clerk accepted.
    /// </summary>
    private async Task<int> SeedOnlineSubmissionsAsync(CancellationToken ct)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(17) };
        // The command line seeds without the host's platform options (no secret is needed to seed): the default identity.
        var identity = platform ?? new CaseFlow.Api.Endpoints.Platform.OnlinePlatformOptions();
        var actor = Actor.Platform(identity.Id, identity.Name);
        var clerk = ActorOf(DemoStaff.Find("clerk-tw-1"));
        static CaseFlow.Domain.OnlineSubmission.ElectronicMaterial File(string code, string name, long size) => new(code, name, "application/pdf", size,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"demo/{code}/{name}"))), $"jxzwfw://files/demo/{code}");
        async Task<Guid> Submit(string submissionId, string itemCode, CaseFlow.Domain.OnlineSubmission.ElectronicMaterial[] files)
        {
            var applicant = new Applicant(ApplicantKind.Person, faker.Name.LastName() + faker.Name.FirstName(), DemoIdentity.ResidentIdNumber(faker),
                "1" + faker.PickRandom("35", "38", "39") + faker.Random.ReplaceNumbers("########"), null, null);
            var form = new CaseFlow.Persistence.OnlineSubmission.OnlineSubmissionForm(submissionId, DemoStaff.TownshipCentre, itemCode, applicant,
                pipeline.Clock.GetUtcNow().AddMinutes(-20), files);
            return await online.SubmitAsync(form, actor, "demo-seed", ct) is CaseFlow.Persistence.OnlineSubmission.OnlineIntakeResult.Created created
                ? created.CaseId
                : throw new InvalidOperationException($"Demo online submission {submissionId} refused");
        }
        // Waiting for pre-review: 户口簿 (M05, key) not uploaded — the clerk will issue the one-time notice.
        await Submit("GFT-DEMO-0001", "361130-000201002", [File("M00", "申请表.pdf", 182_337), File("M01", "身份证正反面.pdf", 412_900), File("M04", "社保卡.pdf", 96_120)]);
        // Complete: the clerk accepted it from the queue; the platform and the applicant were told.
        var accepted = await Submit("GFT-DEMO-0002", "361130-000401003", [File("M00", "临时救助申请书.pdf", 150_002), File("M01", "身份证正反面.pdf", 398_411), File("M05", "困难情况说明.pdf", 77_310)]);
        var desk = await desks.ForCaseAsync(accepted, DemoStaff.TownshipCentre, ct: ct);
        await RunAsync(CaseFile.Kind, clerk, accepted, "AcceptCase", (s, now) => CaseDecider.Decide(new AcceptCase(null), s, clerk, desk, now), ct);
        return 3;
    }
}
