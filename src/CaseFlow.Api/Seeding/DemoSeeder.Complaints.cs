using Bogus;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Complaints;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Organisation;
using CaseFlow.Domain.Supervision;
using CaseFlow.Persistence.Organisation;

namespace CaseFlow.Api.Seeding;

/// <summary>Issue 17's slice of the demo, through the same deciders the endpoints call.</summary>
public sealed partial class DemoSeeder
{
    /// <summary>
    /// 投诉举报 at the township centre: one open (on the supervisor's board), one substantiated against a clerk with its
    /// 问责 (提醒) and return visit, one anonymous against a county department found not substantiated.
    /// </summary>
    private async Task<int> SeedComplaintsAsync(CancellationToken ct)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(17) };
        var clerk = ActorOf(DemoStaff.Find("clerk-tw-1"));
        var supervisor = ActorOf(DemoStaff.FirstOf(Role.Supervisor));
        var calendar = await desks.CalendarAsync(ct);
        var policy = new ComplaintPolicy();
        var count = 0;

        async Task<Guid> RegisterAsync(Actor by, string centre, ComplaintSource source, ComplaintAgainst against, string targetId, string targetName, string? department, string facts, bool anonymous)
        {
            var region = (await desks.RegionOfCentreAsync(centre, ct))!;
            var assigned = (await OrganisationLookups.NearestSupervisorAsync(db, region, ct))!.Value;
            var desk = new ComplaintDesk(centre, region, targetName, department, null, assigned.Id, assigned.Name, policy.AnswerWithinWorkingDays, calendar);
            var id = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
            var command = new RegisterComplaint(id, source, against, targetId, facts, anonymous,
                anonymous ? null : faker.Name.LastName() + faker.Name.FirstName(), anonymous ? null : "1" + faker.Random.ReplaceNumbers("3#########"));
            await RunAsync(Complaint.Kind, by, id, "RegisterComplaint", (s, now) => ComplaintDecider.Decide(command, s, desk, by, now), ct);
            count++;
            return id;
        }

        async Task AnswerAsync(Guid id, AnswerComplaint answer)
        {
            var rules = Domain.Deadlines.WarningRuleSet.Kind.Initial;
            await RunAsync(Complaint.Kind, supervisor, id, "AnswerComplaint", (s, now) => ComplaintDecider.Decide(answer, s, rules, calendar, supervisor, now), ct);
            count++;
        }

        await RegisterAsync(clerk, DemoStaff.TownshipCentre, ComplaintSource.Phone, ComplaintAgainst.Window, "window-tw-2", $"{DemoStaff.TownshipCentreName} 2 号窗口", null,
            "中午 11:40 到 2 号窗口办理农村建房申请，窗口已提前停止收件，让下午再来。", anonymous: false);

        var tw1 = DemoStaff.Find("clerk-tw-1");
        var substantiated = await RegisterAsync(clerk, DemoStaff.TownshipCentre, ComplaintSource.Window, ComplaintAgainst.Person, tw1.Id, tw1.Name, null,
            "办理城乡居民养老保险参保登记时，窗口人员未一次性告知所需材料，多跑了一趟。", anonymous: false);
        await AnswerAsync(substantiated, new AnswerComplaint(ComplaintFinding.Substantiated, "经调阅窗口录像和一次性告知记录核实，情况属实，已对当事人提醒谈话并向投诉人致歉。",
            AccountabilityMeasure.Reminder, null, Guid.CreateVersion7(pipeline.Clock.GetUtcNow())));
        await RunAsync(Complaint.Kind, supervisor, substantiated, "RecordComplaintReturnVisit",
            (s, now) => ComplaintDecider.Decide(new RecordComplaintReturnVisit(RatingLevel.Satisfied, "电话回访，投诉人对处理结果表示满意。"), s, supervisor, now), ct);
        count++;

        var anonymous = await RegisterAsync(supervisor, DemoStaff.CountyCentre, ComplaintSource.Phone, ComplaintAgainst.Department, "dept-361130-rsj", "宁都县人力资源和社会保障局", "dept-361130-rsj",
            "举报人社局窗口办理社保转移要求提供不必要的证明。", anonymous: true);
        await AnswerAsync(anonymous, new AnswerComplaint(ComplaintFinding.NotSubstantiated, "经核查，所要求材料为社保关系转移的法定材料，举报不属实。", null, null, Guid.Empty));
        return count;
    }

    /// <summary>去向留言: clerk-tw-2 has just left window 2 for half an hour; clerk-tw-1, the other holder of their AB post, covers.</summary>
    private async Task<int> SeedWhereaboutsAsync(CancellationToken ct)
    {
        var member = DemoStaff.Find("clerk-tw-2");
        var clerk = ActorOf(member);
        var post = await OrganisationLookups.PostOfAsync(db, member.Id, ct);
        var region = (await desks.RegionOfCentreAsync(member.CentreId, ct))!;
        var supervisor = await OrganisationLookups.NearestSupervisorAsync(db, region, ct);
        var desk = new LeaveDesk(member.CentreId, "window-tw-2", "2", post?.PostId, post?.OtherId, post?.OtherName, supervisor?.Id);
        var stream = WindowWhereabouts.StreamIdFor(member.Id);
        var leave = new LeaveWindow(Guid.CreateVersion7(pipeline.Clock.GetUtcNow()), "到镇党政办送审农村建房材料", pipeline.Clock.GetUtcNow().AddMinutes(30), "0797-6821235（2 号窗口分机）");
        await RunAsync(WindowWhereabouts.Kind, clerk, stream, "LeaveWindow", (s, now) => s.Decide(leave, desk, clerk, now), ct);
        return 1;
    }
}
