using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Tests.Acceptance;

/// <summary>The acceptance rules as pure decisions: no database, no clock but the instant passed in.</summary>
public sealed class CaseDeciderTests
{
    private static readonly DateTimeOffset Friday = new(2025, 9, 26, 9, 30, 0, WorkingCalendar.Beijing);
    private static readonly Actor Clerk = new("clerk-tw-1", "江瑾瑜", Role.Clerk, "centre-361130100", "梅江镇便民服务中心综合窗口", Channel.Window);
    private static readonly Desk Desk = new("centre-361130100", "梅江镇便民服务中心", WorkingCalendar.Official);

    private static readonly ServiceItemDefinition Relief = new(
        "00040100305", "361130-000401003", "临时救助", "05", "民政", ServiceLevel.Township, ServiceLevel.Township, true, CaseKind.Promised, 20, 10,
        [new("M01", "申请人居民身份证", true, true, true, 1, false), new("M05", "困难情况说明", true, false, true, 1, true)],
        ["dept-361130-mzj"], [new("承办", "dept-361130-mzj", 10)], 0m, "《社会救助暂行办法》第四十八条");

    private static ReceivedMaterial Has(string code) => new(code, MaterialState.Present, null);

    private static CaseFile Received(params ReceivedMaterial[] materials)
    {
        var receive = new ReceiveCase(Guid.NewGuid(), Guid.NewGuid(), 1, Relief, new Applicant(ApplicantKind.Person, "刘建国", "11010519491231002X", null, null, null),
            materials, Channel.Window, "centre-361130100", "window-tw-1", "361130100-20250926-0001", null);
        return CaseFile.Kind.Fold(CaseDecider.Decide(receive, CaseFile.Empty, Clerk, Desk, Friday).Events);
    }

    [Fact]
    public void A_commitment_replaces_a_material_only_where_the_item_allows_it()
    {
        var committed = Received(Has("M01"), new ReceivedMaterial("M05", MaterialState.Committed, null));
        var accepted = CaseDecider.Decide(new AcceptCase(null), committed, Clerk, Desk, Friday);
        Assert.Null(accepted.Error);
        Assert.IsType<CaseAccepted>(accepted.Events[0]);

        var receive = new ReceiveCase(Guid.NewGuid(), Guid.NewGuid(), 1, Relief, new Applicant(ApplicantKind.Person, "刘建国", "11010519491231002X", null, null, null),
            [new("M01", MaterialState.Committed, null)], Channel.Window, "centre-361130100", "window-tw-1", "n", null);
        Assert.Equal("case.commitment_not_allowed", CaseDecider.Decide(receive, CaseFile.Empty, Clerk, Desk, Friday).Error?.Code);
    }

    [Fact]
    public void Acceptance_counts_the_promised_and_statutory_limits_in_working_days_from_the_acceptance_day()
    {
        var file = Received(Has("M01"), Has("M05"));
        var accepted = Assert.IsType<CaseAccepted>(CaseDecider.Decide(new AcceptCase(null), file, Clerk, Desk, Friday).Events[0]);
        Assert.Equal(new DateOnly(2025, 10, 16), accepted.PromisedDue.Day);   // 10 WD across 国庆, make-up days count
        Assert.Equal(new DateOnly(2025, 10, 30), accepted.StatutoryDue.Day);  // 20 WD: DOMAIN.md §5 reference value
        Assert.Equal("361130100-20250926-0001-SL", accepted.Document.Number);
        Assert.Equal("梅江镇便民服务中心审批服务专用章", accepted.Document.Seal);
    }

    [Fact]
    public void Deemed_acceptance_waits_for_the_end_of_the_fifth_working_day_and_is_only_for_the_system()
    {
        var file = Received(Has("M01"));
        var job = Actor.SystemJob("deadlines");
        var lastDay = new DateTimeOffset(2025, 10, 10, 23, 59, 0, WorkingCalendar.Beijing);
        Assert.Equal("case.notice_period_running", CaseDecider.Decide(new DeemAccepted(), file, job, Desk, lastDay).Error?.Code);
        Assert.Equal("case.system_only", CaseDecider.Decide(new DeemAccepted(), file, Clerk, Desk, lastDay.AddMinutes(1)).Error?.Code);
        var events = CaseDecider.Decide(new DeemAccepted(), file, job, Desk, lastDay.AddMinutes(1)).Events;
        var deemed = Assert.IsType<CaseDeemedAccepted>(events[0]);
        Assert.IsType<CaseFlow.Domain.BackOffice.CaseDispatched>(events[1]); // and straight to the department
        Assert.Equal(new DateOnly(2025, 9, 26), deemed.AcceptedOn);
        Assert.Equal("clerk-tw-1", deemed.ResponsibleId);
    }

    [Fact]
    public void A_clerk_of_another_centre_and_an_agent_cannot_decide()
    {
        var file = Received(Has("M01"), Has("M05"));
        Assert.Equal("case.other_centre", CaseDecider.Decide(new AcceptCase(null), file, Clerk, Desk with { ActingCentreId = "centre-361130" }, Friday).Error?.Code);
        Assert.Equal("case.clerk_only", CaseDecider.Decide(new AcceptCase(null), file, Clerk with { Role = Role.Agent }, Desk, Friday).Error?.Code);
    }
}
