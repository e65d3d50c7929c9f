using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Complaints;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Organisation;
using CaseFlow.Domain.Supervision;

namespace CaseFlow.Domain.Tests.Complaints;

/// <summary>Issue 17: the complaint's and the window leave's pure rules.</summary>
public sealed class ComplaintDeciderTests
{
    private static readonly DateTimeOffset Friday = new(2025, 9, 26, 9, 30, 0, WorkingCalendar.Beijing);
    private static readonly Actor Clerk = new("clerk-tw-1", "江瑾瑜", Role.Clerk, "centre-361130100", "梅江镇便民服务中心", Channel.Window);
    private static readonly Actor Supervisor = new("supervisor-cty-1", "邹志强", Role.Supervisor, "supervision-361130", "宁都县电子监察室", Channel.Supervision);
    private static readonly Actor Sweeper = Actor.SystemJob("case-sweeper");
    private static readonly Guid Id = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ad0");

    private static readonly ComplaintDesk Desk = new("centre-361130100", "361130100000", "梅江镇便民服务中心 1 号窗口", null, null, "supervisor-cty-1", "邹志强", 5, WorkingCalendar.Official);

    private static IReadOnlyList<object> Registration()
    {
        var d = ComplaintDecider.Decide(new RegisterComplaint(Id, ComplaintSource.Phone, ComplaintAgainst.Window, "window-tw-1", "窗口长时间无人。", false, "刘建国", "13907971234"),
            Complaint.Empty, Desk, Clerk, Friday);
        Assert.Null(d.Error);
        return d.Events;
    }

    private static Complaint Registered() => Complaint.Kind.Fold(Registration());

    [Fact]
    public void The_answer_is_due_the_configured_working_days_later_counted_on_the_official_calendar()
    {
        // 2025-09-26 + 5 working days: 09-28 (make-up), 09-29, 09-30, then 10-09 and 10-10 after National Day.
        Assert.Equal(new DateOnly(2025, 10, 10), Registered().AnswerDue!.Day);
    }

    [Fact]
    public void A_late_answer_carries_its_red_light_if_the_sweeper_had_not_raised_it_and_never_twice()
    {
        var s = Registered();
        var late = new DateTimeOffset(2025, 10, 14, 10, 0, 0, WorkingCalendar.Beijing);
        var answer = new AnswerComplaint(ComplaintFinding.NotSubstantiated, "经核实不属实。", null, null, Guid.Empty);
        var d = ComplaintDecider.Decide(answer, s, WarningRuleSet.Kind.Initial, WorkingCalendar.Official, Supervisor, late);
        Assert.IsType<ComplaintAnswerWentOverdue>(d.Events[0]);
        var answered = Assert.IsType<ComplaintAnswered>(d.Events[1]);
        Assert.True(answered.Late);
        Assert.Equal(3, answered.WorkingDaysLate); // due 10-10; late on 10-11 (a make-up Saturday), 10-13 and 10-14
        Assert.Equal("supervisor-cty-1", answered.HolderId);

        var red = ComplaintDecider.Decide(new RaiseComplaintWarnings(), s, WarningRuleSet.Kind.Initial, WorkingCalendar.Official, Sweeper, late);
        var raised = Complaint.Kind.Fold([.. Registration(), .. red.Events]);
        var again = ComplaintDecider.Decide(answer, raised, WarningRuleSet.Kind.Initial, WorkingCalendar.Official, Supervisor, late);
        Assert.Single(again.Events);
        Assert.Equal("case.no_warning_due", ComplaintDecider.Decide(new RaiseComplaintWarnings(), raised, WarningRuleSet.Kind.Initial, WorkingCalendar.Official, Sweeper, late).Error!.Code);
    }

    [Fact]
    public void Substantiated_needs_a_measure_and_a_person_or_department_when_the_complaint_named_a_window()
    {
        var s = Registered();
        var rules = WarningRuleSet.Kind.Initial;
        Assert.Equal("complaint.measure_required", ComplaintDecider.Decide(new AnswerComplaint(ComplaintFinding.Substantiated, "属实。", null, null, Guid.Empty), s, rules, WorkingCalendar.Official, Supervisor, Friday).Error!.Code);
        Assert.Equal("complaint.accountable_required", ComplaintDecider.Decide(new AnswerComplaint(ComplaintFinding.Substantiated, "属实。", AccountabilityMeasure.Reminder, null, Guid.Empty), s, rules, WorkingCalendar.Official, Supervisor, Friday).Error!.Code);
        var ok = ComplaintDecider.Decide(new AnswerComplaint(ComplaintFinding.Substantiated, "属实。", AccountabilityMeasure.Reminder, new AccountableTarget("Person", "clerk-tw-2", "黎晓东"), Guid.Empty), s, rules, WorkingCalendar.Official, Supervisor, Friday);
        var record = Assert.IsType<ComplaintAccountabilityRecorded>(ok.Events[^1]);
        Assert.Equal(("Person", "clerk-tw-2", AccountabilityMeasure.Reminder), (record.TargetKind, record.TargetId, record.Measure));
        Assert.Equal("complaint.supervisor_only", ComplaintDecider.Decide(new AnswerComplaint(ComplaintFinding.NotSubstantiated, "否。", null, null, Guid.Empty), s, rules, WorkingCalendar.Official, Clerk, Friday).Error!.Code);
    }

    [Fact]
    public void A_leave_needs_a_contact_and_is_flagged_once_after_its_expected_return()
    {
        var desk = new LeaveDesk("centre-361130100", "window-tw-1", "1", null, "clerk-tw-2", "黎晓东", "supervisor-cty-1");
        var empty = WindowWhereabouts.Kind.Initial;
        Assert.Equal("whereabouts.contact_required", empty.Decide(new LeaveWindow(Id, "调档案", Friday.AddMinutes(30), null), desk, Clerk, Friday).Error!.Code);
        var left = empty.Decide(new LeaveWindow(Id, "调档案", Friday.AddMinutes(30), "0797-6821234"), desk, Clerk, Friday);
        var away = WindowWhereabouts.Kind.Fold(left.Events);
        Assert.Equal("whereabouts.not_overdue", away.Decide(new FlagOverdueReturn(), Sweeper, Friday.AddMinutes(29)).Error!.Code);
        var flagged = away.Decide(new FlagOverdueReturn(), Sweeper, Friday.AddMinutes(31));
        Assert.IsType<WindowReturnOverdue>(Assert.Single(flagged.Events));
        var once = WindowWhereabouts.Kind.Fold([.. left.Events, .. flagged.Events]);
        Assert.Equal("whereabouts.not_overdue", once.Decide(new FlagOverdueReturn(), Sweeper, Friday.AddMinutes(40)).Error!.Code);
        var back = Assert.IsType<ReturnedToWindow>(Assert.Single(once.Decide(new ReturnToWindow(), Clerk, Friday.AddMinutes(42)).Events));
        Assert.Equal(12, back.MinutesLate);
    }
}
