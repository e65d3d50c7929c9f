using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.OnlineSubmission;

namespace CaseFlow.Domain.Tests.OnlineSubmission;

/// <summary>网上办 as pure decisions (issue 17): the platform receives, the window's rules decide, the submission follows.</summary>
public sealed class OnlineSubmissionDeciderTests
{
    private static readonly DateTimeOffset Friday = new(2025, 9, 26, 9, 30, 0, WorkingCalendar.Beijing);
    private static readonly Actor Platform = Actor.Platform("jxzwfw", "江西省网上政务服务平台（赣服通）");
    private static readonly Actor Clerk = new("clerk-tw-1", "江瑾瑜", Role.Clerk, "centre-361130100", "梅江镇便民服务中心综合窗口", Channel.Window);
    private static readonly Desk Desk = new("centre-361130100", "梅江镇便民服务中心", WorkingCalendar.Official);
    private static readonly Guid SubmissionStream = Guid.NewGuid();

    private static readonly ServiceItemDefinition Relief = new(
        "00040100305", "361130-000401003", "临时救助", "05", "民政", ServiceLevel.Township, ServiceLevel.Township, true, CaseKind.Promised, 20, 10,
        [new("M01", "申请人居民身份证", true, true, true, 1, false), new("M05", "困难情况说明", true, false, true, 1, true)],
        ["dept-361130-mzj"], [new("承办", "dept-361130-mzj", 10)], 0m, "《社会救助暂行办法》第四十八条");

    private static ElectronicMaterial File(string code, string sha = "") =>
        new(code, $"{code}.pdf", "application/pdf", 2048, sha.Length > 0 ? sha : new string(code[^1], 64), $"jxzwfw://files/{code}");

    private static SubmitOnline Submit(params ElectronicMaterial[] files) => new(
        new ReceiveCase(Guid.NewGuid(), Guid.NewGuid(), 1, Relief, new Applicant(ApplicantKind.Person, "刘建国", "11010519491231002X", null, null, null),
            [], Channel.Online, "centre-361130100", "window-tw-1", "361130100-20250926-0001", null),
        SubmissionStream, "GFT-1", Friday.AddMinutes(-10), files, "hash");

    [Fact]
    public void The_platform_receives_as_the_window_would_with_what_it_uploaded_present_and_the_rest_missing()
    {
        var decision = OnlineSubmissionDecider.Decide(Submit(File("M01", new string('A', 64))), CaseFile.Empty, Platform, Desk, Friday);
        Assert.Null(decision.Error);
        var file = CaseFile.Kind.Fold(decision.Events);
        Assert.Equal(Channel.Online, file.Receipt!.Channel);
        Assert.Equal("platform:jxzwfw", file.Receipt.ReceivedById);
        Assert.Equal(MaterialState.Present, file.StateOf("M01"));
        Assert.Equal(MaterialState.Missing, file.StateOf("M05"));
        Assert.Equal(new string('a', 64), file.Online!.Materials[0].Sha256); // stored lowercase
        var also = Assert.Single(decision.Also);
        Assert.Equal(SubmissionStream, also.StreamId);
        Assert.IsType<OnlineSubmissionReceived>(Assert.Single(also.Events));
    }

    [Fact]
    public void Nobody_but_the_platform_submits_online()
    {
        Assert.Equal("online.platform_only", OnlineSubmissionDecider.Decide(Submit(File("M01")), CaseFile.Empty, Clerk, Desk, Friday).Error?.Code);
    }

    [Fact]
    public void An_acceptance_decision_on_an_online_case_is_recorded_on_its_submission_and_a_counter_case_is_left_alone()
    {
        var online = CaseFile.Kind.Fold(OnlineSubmissionDecider.Decide(Submit(File("M01"), File("M05")), CaseFile.Empty, Platform, Desk, Friday).Events);
        var accepted = CaseDecider.Decide(new AcceptCase(null), online, Clerk, Desk, Friday.AddHours(1));
        var outcome = Assert.IsType<OnlineOutcomeRecorded>(Assert.Single(accepted.Also.Where(a => a.StreamId == SubmissionStream).SelectMany(a => a.Events)));
        Assert.Equal(OnlineOutcome.Accepted, outcome.Outcome);
        Assert.Equal("361130100-20250926-0001-SL", outcome.DocumentNumber);

        var counter = new ReceiveCase(Guid.NewGuid(), Guid.NewGuid(), 1, Relief, new Applicant(ApplicantKind.Person, "刘建国", "11010519491231002X", null, null, null),
            [new("M01", MaterialState.Present, null), new("M05", MaterialState.Present, null)], Channel.Window, "centre-361130100", "window-tw-1", "361130100-20250926-0002", null);
        var file = CaseFile.Kind.Fold(CaseDecider.Decide(counter, CaseFile.Empty, Clerk, Desk, Friday).Events);
        Assert.DoesNotContain(CaseDecider.Decide(new AcceptCase(null), file, Clerk, Desk, Friday).Also, a => a.StreamKind == OnlineSubmissionFile.Kind.Name);
    }
}
