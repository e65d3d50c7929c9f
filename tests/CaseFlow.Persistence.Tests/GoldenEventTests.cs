using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.EventStore;

namespace CaseFlow.Persistence.Tests;

/// <summary>
/// contracts/events/&lt;name&gt;.json holds one golden sample per event type and version (STYLE.md §4): today's
/// serialisation must equal it, and every sample — including those of retired versions — must still load.
/// Set CASEFLOW_UPDATE_CONTRACTS=1 to write the sample of a newly added event.
/// </summary>
public sealed class GoldenEventTests
{
    private static readonly Guid InquiryId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2025-09-26T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Guid CentreId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4a80");
    private static readonly Guid PostId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4a81");
    private static readonly Guid CaseId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4aa0");
    private static readonly Guid PickupId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4ac0");
    private static readonly Guid NoticeId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ab0");
    private static readonly Guid SubmissionId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4ae0");
    private static readonly Guid ComplaintId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ad0");
    private static readonly Guid LeaveId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ae0");

    private static readonly Guid ItemId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4a70");

    private static readonly Guid ScheduleId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4ad0");
    private static readonly Guid AppointmentId = Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ad1");
    private static readonly Guid SaturdaySlotId = Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4ad2");

    private static readonly CaseFlow.Domain.Appointments.BookableItem BookablePension =
        new("361130-000201002", "城乡居民基本养老保险待遇申领", ["居民身份证", "户口簿", "社会保障卡"]);

    private static readonly CaseFlow.Domain.Appointments.SlotDefinition EveningSlot = new(
        Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4ad3"), "window-tw-1", new DateOnly(2025, 9, 29), new TimeOnly(18, 0), new TimeOnly(20, 0),
        CaseFlow.Domain.Appointments.SlotKind.Extended, 5);

    private static readonly CaseFlow.Domain.Catalogue.ServiceItemDefinition ItemRevision1 = new(
        "00040100105", "361130-000401001", "最低生活保障审核确认", "05", "民政",
        CaseFlow.Domain.Catalogue.ServiceLevel.Township, CaseFlow.Domain.Catalogue.ServiceLevel.County, true, CaseFlow.Domain.Catalogue.CaseKind.Promised, 30, 25,
        [new("M01", "申请人居民身份证", true, true, true, 1, false), new("M02", "户口簿", true, false, true, 1, true)],
        ["dept-361130-mzj"], [new("承办", "dept-361130-mzj", 12), new("审核", "dept-361130-mzj", 6), new("决定", "dept-361130-mzj", 7)],
        0m, "《社会救助暂行办法》第十一条");

    /// <summary>One realistic instance of every event in the catalog.</summary>
    public static readonly IReadOnlyDictionary<Type, object> Samples = new Dictionary<Type, object>
    {
        [typeof(InquiryRegistered)] = new InquiryRegistered(InquiryId, "刘建国", "13907971234", "城乡居民养老保险参保登记需要哪些材料", "360100-000201-001", Channel.Window, "clerk-tw-1", "江瑾瑜", "centre-361130100", At),
        [typeof(InquiryAnswered)] = new InquiryAnswered(InquiryId, "需身份证、户口簿原件，当场可办。", "clerk-tw-1", "江瑾瑜", At.AddMinutes(5)),
        [typeof(InquiryReferred)] = new InquiryReferred(InquiryId, "window-2", "clerk-tw-2", "黎晓东", "涉及社保业务，转社保专窗", false, "clerk-tw-1", "江瑾瑜", At.AddMinutes(3)),
        [typeof(CaseFlow.Domain.Calendar.HolidayArrangementPublished)] = new CaseFlow.Domain.Calendar.HolidayArrangementPublished(
            2027, [new DateOnly(2027, 1, 1), new DateOnly(2027, 2, 6)], [new DateOnly(2027, 2, 14)], "国务院办公厅关于2027年部分节假日安排的通知",
            null, null, "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Catalogue.ServiceItemPublished)] = new CaseFlow.Domain.Catalogue.ServiceItemPublished(ItemId, 1, ItemRevision1, "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Catalogue.ServiceItemRevised)] = new CaseFlow.Domain.Catalogue.ServiceItemRevised(
            ItemId, 2, ItemRevision1, ItemRevision1 with { PromisedLimitWorkingDays = 8 }, "压缩承诺时限", "admin-1", "邵婷", At.AddDays(30)),
        [typeof(CaseFlow.Domain.Organisation.ServiceCentreEstablished)] = new CaseFlow.Domain.Organisation.ServiceCentreEstablished(
            CentreId, "centre-361130100", "梅江镇便民服务中心", new("361130100000", "梅江镇", CaseFlow.Domain.Organisation.RegionLevel.Township, "361130000000"), "admin-1", At),
        [typeof(CaseFlow.Domain.Organisation.DepartmentStationed)] = new CaseFlow.Domain.Organisation.DepartmentStationed(CentreId, "dept-361130100-shbz", "梅江镇社会保障服务所", "admin-1", At),
        [typeof(CaseFlow.Domain.Organisation.WindowOpened)] = new CaseFlow.Domain.Organisation.WindowOpened(
            CentreId, "window-tw-1", "1", CaseFlow.Domain.Organisation.WindowKind.Comprehensive, "民生", ["社会保障", "民政"], ["361130-001001001"], "admin-1", At),
        [typeof(CaseFlow.Domain.Organisation.PostCreated)] = new CaseFlow.Domain.Organisation.PostCreated(
            PostId, CentreId, "梅江镇综合窗口民生岗", "clerk-tw-1", "江瑾瑜", "clerk-tw-2", "黎晓东", "admin-1", At),
        [typeof(CaseFlow.Domain.Organisation.AbsenceDeclared)] = new CaseFlow.Domain.Organisation.AbsenceDeclared(
            PostId, Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4a90"), "clerk-tw-1", CaseFlow.Domain.Organisation.Whereabouts.Leave,
            At.AddDays(3), At.AddDays(5), "病假", "clerk-tw-1", At),
        [typeof(CaseFlow.Domain.Catalogue.BundleDefined)] = new CaseFlow.Domain.Catalogue.BundleDefined(
            Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4a91"),
            new("YJS-361130-001", "企业开办“一件事”", ["361130-001001003", "361130-001001004", "361130-001001005", "361130-000201007"],
                "dept-361130-scjgj", ["dept-361130-gaj", "dept-361130-sw", "dept-361130-rsj"], 1, 20),
            "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Acceptance.CaseReceived)] = new CaseFlow.Domain.Acceptance.CaseReceived(
            Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4aa0"), ItemId, 1, ItemRevision1,
            new(CaseFlow.Domain.Acceptance.ApplicantKind.Person, "刘建国", "11010519491231002X", "13907971234", null, null),
            [new("M01", CaseFlow.Domain.Acceptance.MaterialState.Present, null), new("M02", CaseFlow.Domain.Acceptance.MaterialState.NonConforming, "户口簿复印件不清晰")],
            Channel.Window, "centre-361130100", "window-tw-1", "clerk-tw-1", "江瑾瑜", At),
        [typeof(CaseFlow.Domain.Organisation.StaffRegistered)] = new CaseFlow.Domain.Organisation.StaffRegistered(
            "approver-rsj-1", "黎晓东", Role.Approver, "dept-361130-rsj", "宁都县人力资源和社会保障局", "centre-361130", "dept-361130-rsj", "admin-1", At),
        [typeof(InquiryTakenInAsCase)] = new InquiryTakenInAsCase(InquiryId, Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4a60"), "clerk-tw-1", At.AddMinutes(10)),
        [typeof(CaseNumberAssigned)] = new CaseNumberAssigned(CaseId, "361130100-20250926-0001", At),
        [typeof(AgentSubmissionRecorded)] = new AgentSubmissionRecorded(CaseId, "agent-cn-1", "钟秀兰", "station-361130100201", "城南村便民服务站",
            new WrittenAuthorisation("城南村委托〔2025〕017号", "刘建国", new DateOnly(2025, 9, 25)), "window-tw-1", Due(2025, 9, 30), At),
        [typeof(OneTimeNoticeIssued)] = new OneTimeNoticeIssued(CaseId, NoticeId, 1,
            [new("M05", "家庭收入和财产状况申报及授权核对书", MaterialProblem.Missing, "未提交", "《社会救助暂行办法》第十一条"),
             new("M02", "户口簿", MaterialProblem.NonConforming, "户口簿复印件不清晰", "《社会救助暂行办法》第十一条")],
            "请按本告知书要求补正全部材料后，到梅江镇便民服务中心综合窗口提交；补正材料齐全之日即为受理之日，办结时限自该日起计算。",
            Stamp(DocumentKind.OneTimeNotice, "361130100-20250926-0001-GZ1"), "clerk-tw-1", "江瑾瑜", At),
        [typeof(RepeatNoticeRecorded)] = new RepeatNoticeRecorded(CaseId, NoticeId, ["M01"], "首次告知时身份证复印件漏看有效期，已向申请人致歉", "clerk-tw-1", "江瑾瑜", At.AddDays(3)),
        [typeof(MaterialsSupplemented)] = new MaterialsSupplemented(CaseId, [new("M05", MaterialState.Present, null), new("M02", MaterialState.Committed, null)], "clerk-tw-1", "江瑾瑜", At.AddDays(3)),
        [typeof(CaseAccepted)] = new CaseAccepted(CaseId, "361130100-20250926-0001", AcceptanceRoute.AfterCorrections, new DateOnly(2025, 9, 29),
            Due(2025, 11, 10), Due(2025, 11, 17), Stamp(DocumentKind.AcceptanceNotice, "361130100-20250926-0001-SL"), "clerk-tw-1", "江瑾瑜", At.AddDays(3)),
        [typeof(CaseAcceptedWithDeficiency)] = new CaseAcceptedWithDeficiency(CaseId, "361130100-20250926-0001", new DateOnly(2025, 9, 26), Due(2025, 11, 6), Due(2025, 11, 13),
            [new("M02", "户口簿", new DateOnly(2025, 10, 10))], "本人承诺在2025年10月10日前补交户口簿，逾期未补交的同意终止办理。",
            Stamp(DocumentKind.DeficiencyAcceptanceNotice, "361130100-20250926-0001-RQ"), "clerk-tw-1", "江瑾瑜", At),
        [typeof(DeficiencyCleared)] = new DeficiencyCleared(CaseId, At.AddDays(10)),
        [typeof(CaseDeemedAccepted)] = new CaseDeemedAccepted(CaseId, "361130100-20250926-0001", new DateOnly(2025, 9, 26), Due(2025, 11, 6), Due(2025, 11, 13), Due(2025, 10, 10),
            "clerk-tw-1", "江瑾瑜", "梅江镇便民服务中心", Stamp(DocumentKind.AcceptanceNotice, "361130100-20250926-0001-SL"), At.AddDays(15)),
        [typeof(CaseRejected)] = new CaseRejected(CaseId, "申请人户籍及经常居住地均不在本镇", "《社会救助暂行办法》第四十八条", true, "申请人户籍所在地乡镇人民政府",
            "宁都县人民政府", "宁都县人民法院", Stamp(DocumentKind.NonAcceptanceDecision, "361130100-20250926-0001-BSL"), "clerk-tw-1", "江瑾瑜", At),
        [typeof(CaseTerminated)] = new CaseTerminated(CaseId, "deficiency.not_supplied", "容缺受理承诺的材料逾期未补齐：户口簿（2025-10-10），依承诺终止办理。", ["M02"], At.AddDays(15)),
        [typeof(CaseCompletedOnTheSpot)] = new CaseCompletedOnTheSpot(CaseId, "已完成参保登记，当场告知缴费档次", "clerk-tw-1", "江瑾瑜", At),
        [typeof(BundleCaseComposed)] = new BundleCaseComposed(CaseId, Guid.Parse("01994a2b-3c4d-5e5f-8a9b-0c1d2e3f4a92"),
            new("YJS-361130-002", "不动产交易、登记、缴税“一件事”", ["361130-000901003", "361130-000901002"], "dept-361130-bdc", ["dept-361130-zjj"], 3, 20),
            [new(ItemId, 1, ItemRevision1 with { ImplementationCode = "361130-000901003", Name = "存量房买卖合同网签备案" }),
             new(ItemId, 2, ItemRevision1 with { ImplementationCode = "361130-000901002", Name = "不动产转移登记" })]),
        [typeof(CaseDispatched)] = new CaseDispatched(CaseId,
            [new("361130-000401001", ItemId, "最低生活保障审核确认", "dept-361130-mzj", "宁都县民政局", "宁都县政务服务中心",
                [new("承办", "dept-361130-mzj", 12), new("审核", "dept-361130-mzj", 6), new("决定", "dept-361130-mzj", 7)], true)],
            "梅江镇便民服务中心", At),
        [typeof(CaseClaimed)] = new CaseClaimed(CaseId, "361130-000401001", "approver-mzj-1", "温雅琴", "dept-361130-mzj", At.AddHours(2)),
        [typeof(StepCompleted)] = new StepCompleted(CaseId, "361130-000401001", 0, "承办", StepAction.Pass, "经入户核查，家庭收入低于当地低保标准。",
            "approver-mzj-1", "温雅琴", At.AddHours(2), At.AddDays(10), 12, 6),
        [typeof(PartResubmitted)] = new PartResubmitted(CaseId, "361130-000401001", "已补充村委会入户调查表。", "clerk-tw-1", "江瑾瑜", At.AddDays(4)),
        [typeof(ClockSuspended)] = new ClockSuspended(CaseId, NoticeId, "361130-000401001", SpecialProcedure.ExpertReview, "家庭财产状况需组织专家评审",
            Stamp(DocumentKind.SuspensionNotice, "361130100-20250926-0001-TZ1"), "approver-mzj-1", "温雅琴", At.AddDays(5)),
        [typeof(ClockResumed)] = new ClockResumed(CaseId, NoticeId, 4, Due(2025, 11, 12), Due(2025, 11, 19), "approver-mzj-1", "温雅琴", At.AddDays(11)),
        [typeof(CorrectionRequested)] = new CorrectionRequested(CaseId, "361130-000401001", NoticeId, 2,
            [new("M05", "家庭收入和财产状况申报及授权核对书", MaterialProblem.NonConforming, "缺少共同生活家庭成员签字", "《社会救助暂行办法》第十一条")],
            Stamp(DocumentKind.OneTimeNotice, "361130100-20250926-0001-GZ2"), "approver-mzj-1", "温雅琴", At.AddDays(6)),
        [typeof(CaseExtended)] = new CaseExtended(CaseId, 10, "需补充调查共同生活家庭成员的财产状况", Stamp(DocumentKind.ExtensionNotice, "361130100-20250926-0001-YQ"),
            Due(2025, 11, 20), Due(2025, 11, 27), "head-mzj-1", "罗建华", "dept-361130-mzj", At.AddDays(20)),
        [typeof(PartReassigned)] = new PartReassigned(CaseId, "361130-000401001", "approver-rsj-1", "温雅琴", "approver-rsj-2", "黎晓东",
            "AB岗：温雅琴不在岗（请假，至 2025-10-17 17:30），由 B 岗接办", "system:case-sweeper", At.AddDays(7)),
        [typeof(PartDecided)] = new PartDecided(CaseId, "361130-000401001", false, "家庭人均收入高于当地最低生活保障标准", "《社会救助暂行办法》第十一条",
            "宁都县人民政府", "宁都县人民法院", "approver-mzj-1", "温雅琴", At.AddDays(25)),
        [typeof(CaseDecided)] = new CaseDecided(CaseId, false, new DateOnly(2025, 10, 31), Due(2025, 11, 6), Due(2025, 11, 13), false, 23, At.AddDays(35)),
        [typeof(ResultRegistered)] = new ResultRegistered(CaseId, "361130-000401001",
            [new("最低生活保障证", "宁民低保〔2025〕0312号", new DateOnly(2025, 11, 1), new DateOnly(2026, 10, 31))], "seal-361130-spj-01", "approver-mzj-1", "温雅琴", At.AddDays(35)),
        [typeof(ResultSentToWindow)] = new ResultSentToWindow(CaseId, "window-tw-1", At.AddDays(35)),
        [typeof(CaseEscalated)] = new CaseEscalated(CaseId, "window-tw-9", "申请人户籍迁移中，两地均称不属本地管辖", "clerk-tw-2", "黎晓东", new DateOnly(2025, 10, 17),
            "clerk-tw-1", "江瑾瑜", At.AddDays(2)),
        [typeof(EscalationResolved)] = new EscalationResolved(CaseId, "经协调由户籍迁入地受理，已告知申请人。", "clerk-tw-2", "黎晓东", At.AddDays(9)),
        [typeof(DeadlineWarningRaised)] = new DeadlineWarningRaised(CaseId, DeadlineScope.Case, "case", "JC-01-Y", new DateOnly(2025, 10, 30), 4, "dept-361130-wjw", null, At.AddDays(28)),
        [typeof(DeadlineWentOverdue)] = new DeadlineWentOverdue(CaseId, DeadlineScope.Step, "361130-000401001#0", "JC-02-R", new DateOnly(2025, 10, 13), "dept-361130-mzj", "approver-mzj-1", At.AddDays(18)),
        [typeof(DeliveryPreferenceChosen)] = new DeliveryPreferenceChosen(CaseId, DeliveryMethod.Mail, "宁都县梅江镇城南村 3 组 12 号", "clerk-tw-1", At),
        [typeof(ResultHandedOut)] = new ResultHandedOut(CaseId, "王秀英", "360730199001011238", false, new WrittenAuthorisation("委托书 2025-11-03", "刘建国", new DateOnly(2025, 11, 2)),
            "clerk-tw-1", "江瑾瑜", At.AddDays(40)),
        [typeof(ResultMailed)] = new ResultMailed(CaseId, "中国邮政 EMS", "1187654321098", "宁都县梅江镇城南村 3 组 12 号", "clerk-tw-1", "江瑾瑜", At.AddDays(40)),
        [typeof(MailDeliveryRecorded)] = new MailDeliveryRecorded(CaseId, new DateOnly(2025, 11, 7), "clerk-tw-1", At.AddDays(42)),
        [typeof(CaseClosed)] = new CaseClosed(CaseId, "handed_out", At.AddDays(40)),
        [typeof(ServiceRated)] = new ServiceRated(CaseId, 1, RatingLevel.Dissatisfied, Channel.Window, "等候时间过长，窗口只开一个", true, "clerk-tw-1", At.AddDays(40)),
        [typeof(DefaultRatingRecorded)] = new DefaultRatingRecorded(CaseId, 1, RatingLevel.Basic, 7, At.AddDays(47)),
        [typeof(RectificationOpened)] = new RectificationOpened(CaseId, 1, Due(2025, 11, 10), Due(2025, 11, 26), At.AddDays(40)),
        [typeof(ReturnVisitRecorded)] = new ReturnVisitRecorded(CaseId, 1, "电话回访，申请人反映高峰期排队久", "supervisor-cty-1", "邹志强", At.AddDays(41)),
        [typeof(RectificationCompleted)] = new RectificationCompleted(CaseId, 1, "高峰时段增开两个综合窗口，实行预约办理", "supervisor-cty-1", "邹志强", At.AddDays(50)),
        [typeof(RatingVoided)] = new RatingVoided(CaseId, 1, "经核查系误评：申请人将其他机构的服务评价到本件", "supervisor-cty-1", "邹志强", At.AddDays(45)),
        [typeof(ResultDeliveredToWindow)] = new ResultDeliveredToWindow(PickupId, CaseId, "centre-361130100", "window-tw-1", new DateOnly(2025, 11, 14), At.AddDays(35)),
        [typeof(PickupReminderSent)] = new PickupReminderSent(PickupId, CaseId, 1, At.AddDays(40)),
        [typeof(PickupCompleted)] = new PickupCompleted(PickupId, DeliveryMethod.Pickup, At.AddDays(42)),
        [typeof(WarningRulesPublished)] = new WarningRulesPublished(WarningRuleSet.Defaults.Where(r => r.Scope <= DeadlineScope.Rectification).ToList(), "按县电子监察室要求：黄灯为剩余 1 个工作日或已用 80%", "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Supervision.SupervisionOrdered)] = new CaseFlow.Domain.Supervision.SupervisionOrdered(CaseId, NoticeId, "请于 11 月 26 日前办结并说明超期原因",
            new DateOnly(2025, 11, 26), "supervisor-cty-1", "邹志强", "361130000000", At.AddDays(55)),
        [typeof(CaseFlow.Domain.Supervision.SupervisionAnswered)] = new CaseFlow.Domain.Supervision.SupervisionAnswered(CaseId, NoticeId, "已于 11 月 25 日办结，超期系入户核查人手不足", "approver-mzj-1", "温雅琴", At.AddDays(58)),
        [typeof(CaseFlow.Domain.Supervision.SupervisionEscalated)] = new CaseFlow.Domain.Supervision.SupervisionEscalated(CaseId, NoticeId, new DateOnly(2025, 11, 26), At.AddDays(62)),
        [typeof(CaseFlow.Domain.Supervision.AccountabilityOpened)] = new CaseFlow.Domain.Supervision.AccountabilityOpened(CaseId, PickupId, "Person", "approver-mzj-1", "温雅琴",
            CaseFlow.Domain.Supervision.AccountabilityMeasure.Interview, "承办环节超出时限 3 个工作日", [Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ad0")], "supervisor-cty-1", "邹志强", At.AddDays(63)),
        [typeof(CaseFlow.Domain.Supervision.AccountabilityConcluded)] = new CaseFlow.Domain.Supervision.AccountabilityConcluded(CaseId, PickupId, "已约谈，承办人作出书面说明", "supervisor-cty-1", "邹志强", At.AddDays(70)),
        [typeof(NoticeIssued)] = new NoticeIssued(NoticeId, CaseId, "centre-361130100", "361130100-20250926-0001-GZ1", ["M05", "M02"], At),
        [typeof(NoticeStubSigned)] = new NoticeStubSigned(NoticeId, "刘建国", "clerk-tw-1", "江瑾瑜", At.AddMinutes(2)),
        [typeof(NoticeCorrectionsReceived)] = new NoticeCorrectionsReceived(NoticeId, ["M05", "M02"], true, At.AddDays(3)),
        [typeof(NoticeClosed)] = new NoticeClosed(NoticeId, "corrections_complete", At.AddDays(3)),
        [typeof(CaseFlow.Domain.Appointments.AppointmentItemsPublished)] = new CaseFlow.Domain.Appointments.AppointmentItemsPublished(
            ScheduleId, "centre-361130100", [BookablePension], "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Appointments.AppointmentSlotsPublished)] = new CaseFlow.Domain.Appointments.AppointmentSlotsPublished(
            ScheduleId, "centre-361130100", [EveningSlot, new(SaturdaySlotId, "window-tw-1", new DateOnly(2025, 9, 27), new TimeOnly(9, 0), new TimeOnly(11, 0), CaseFlow.Domain.Appointments.SlotKind.OffDay, 3)],
            "admin-1", "邵婷", At),
        [typeof(CaseFlow.Domain.Appointments.AppointmentBooked)] = new CaseFlow.Domain.Appointments.AppointmentBooked(
            AppointmentId, "YY-361130100-20250929-0001", "centre-361130100", EveningSlot, BookablePension,
            new CaseFlow.Domain.Appointments.BookingApplicant("刘建国", "11010519491231002X", "13907971234"), Channel.Online,
            DateTimeOffset.Parse("2025-09-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "online:public", "网上预约申请人", At),
        [typeof(CaseFlow.Domain.Appointments.AppointmentRescheduled)] = new CaseFlow.Domain.Appointments.AppointmentRescheduled(
            AppointmentId, SaturdaySlotId, EveningSlot, DateTimeOffset.Parse("2025-09-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "clerk-tw-1", "江瑾瑜", At.AddHours(1)),
        [typeof(CaseFlow.Domain.Appointments.AppointmentCancelled)] = new CaseFlow.Domain.Appointments.AppointmentCancelled(AppointmentId, "申请人来电取消", "clerk-tw-1", "江瑾瑜", At.AddHours(2)),
        [typeof(CaseFlow.Domain.Appointments.AppointmentReminderSent)] = new CaseFlow.Domain.Appointments.AppointmentReminderSent(AppointmentId, new DateOnly(2025, 9, 29), At.AddDays(2)),
        [typeof(CaseFlow.Domain.Appointments.AppointmentAttended)] = new CaseFlow.Domain.Appointments.AppointmentAttended(AppointmentId, CaseId, "clerk-tw-1", "江瑾瑜", At.AddDays(3)),
        [typeof(CaseFlow.Domain.Appointments.AppointmentNoShowRecorded)] = new CaseFlow.Domain.Appointments.AppointmentNoShowRecorded(
            AppointmentId, DateTimeOffset.Parse("2025-09-29T20:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), At.AddDays(3).AddHours(11)),
        [typeof(CaseFlow.Domain.Appointments.CaseReceivedByAppointment)] = new CaseFlow.Domain.Appointments.CaseReceivedByAppointment(
            CaseId, AppointmentId, "YY-361130100-20250929-0001", CaseFlow.Domain.Appointments.SlotKind.Extended, EveningSlot.StartsAt, At.AddDays(3)),
        [typeof(CaseFlow.Domain.Appointments.CaseReceivedAtHome)] = new CaseFlow.Domain.Appointments.CaseReceivedAtHome(
            CaseId, CaseFlow.Domain.Appointments.HomeServiceReason.Disabled, null, "36113019490312001244", "梅江镇城南村12号",
            [new("clerk-tw-1", "江瑾瑜"), new("clerk-tw-2", "黎晓东")], "clerk-tw-1", "江瑾瑜", At),
        // 网上办 (issue 17).
        [typeof(CaseFlow.Domain.OnlineSubmission.OnlineSubmissionRecorded)] = new CaseFlow.Domain.OnlineSubmission.OnlineSubmissionRecorded(
            CaseId, SubmissionId, "jxzwfw", "江西省网上政务服务平台（赣服通）", "GFT-20250926-000101", At.AddMinutes(-18),
            [new("M00", "申请表.pdf", "application/pdf", 182337, "3f0a6c2b9d8e7f6a5b4c3d2e1f00112233445566778899aabbccddeeff001122", "jxzwfw://files/2025/0926/000101-1"),
             new("M01", "身份证正反面.jpg", "image/jpeg", 412900, "a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00", "jxzwfw://files/2025/0926/000101-2")],
            "window-tw-1", At),
        [typeof(CaseFlow.Domain.OnlineSubmission.OnlineSubmissionReceived)] = new CaseFlow.Domain.OnlineSubmission.OnlineSubmissionReceived(
            SubmissionId, "jxzwfw", "GFT-20250926-000101", CaseId, "361130100-20250926-0001", "centre-361130100", "window-tw-1", 2,
            "9c1d0e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5", At.AddMinutes(-18), At),
        [typeof(CaseFlow.Domain.OnlineSubmission.OnlineOutcomeRecorded)] = new CaseFlow.Domain.OnlineSubmission.OnlineOutcomeRecorded(
            SubmissionId, "jxzwfw", "GFT-20250926-000101", CaseId, "361130100-20250926-0001", CaseFlow.Domain.OnlineSubmission.OnlineOutcome.NoticeIssued,
            "361130100-20250926-0001-GZ1", "户口簿（未上传户口簿首页及本人页）", At.AddHours(2)),
        // Issue 17: 投诉举报 and 去向留言.
        [typeof(CaseFlow.Domain.Complaints.ComplaintRegistered)] = new CaseFlow.Domain.Complaints.ComplaintRegistered(
            ComplaintId, "centre-361130100", "361130100000", CaseFlow.Domain.Complaints.ComplaintSource.Phone, CaseFlow.Domain.Complaints.ComplaintAgainst.Person,
            "clerk-tw-1", "江瑾瑜", null, null, "办理养老保险时窗口人员态度生硬，要求多跑一趟。", false, "刘建国", "13907971234", "supervisor-cty-1", "邹志强", 5,
            Due(2025, 10, 10), "clerk-tw-2", "黎晓东", At),
        [typeof(CaseFlow.Domain.Complaints.ComplaintAnswerWarningRaised)] = new CaseFlow.Domain.Complaints.ComplaintAnswerWarningRaised(
            ComplaintId, "JC-08-Y", new DateOnly(2025, 10, 10), 1, "supervisor-cty-1", At.AddDays(13)),
        [typeof(CaseFlow.Domain.Complaints.ComplaintAnswerWentOverdue)] = new CaseFlow.Domain.Complaints.ComplaintAnswerWentOverdue(
            ComplaintId, "JC-08-R", new DateOnly(2025, 10, 10), "supervisor-cty-1", At.AddDays(15)),
        [typeof(CaseFlow.Domain.Complaints.ComplaintAnswered)] = new CaseFlow.Domain.Complaints.ComplaintAnswered(
            ComplaintId, CaseFlow.Domain.Complaints.ComplaintFinding.Substantiated, "经调阅窗口录像核实，情况属实，已责令当事人改正并向投诉人致歉。", new DateOnly(2025, 10, 10), true, 2,
            "supervisor-cty-1", "邹志强", "supervisor-cty-1", "邹志强", At.AddDays(18)),
        [typeof(CaseFlow.Domain.Complaints.ComplaintAccountabilityRecorded)] = new CaseFlow.Domain.Complaints.ComplaintAccountabilityRecorded(
            ComplaintId, Guid.Parse("01994a2b-3c4d-7e5f-8a9b-0c1d2e3f4ad1"), "Person", "clerk-tw-1", "江瑾瑜", CaseFlow.Domain.Supervision.AccountabilityMeasure.Interview,
            "投诉举报查实：经调阅窗口录像核实，情况属实，已责令当事人改正并向投诉人致歉。", null, "supervisor-cty-1", "邹志强", At.AddDays(18)),
        [typeof(CaseFlow.Domain.Complaints.ComplaintReturnVisitRecorded)] = new CaseFlow.Domain.Complaints.ComplaintReturnVisitRecorded(
            ComplaintId, RatingLevel.Satisfied, "电话回访，投诉人对处理结果表示满意。", "supervisor-cty-1", "邹志强", At.AddDays(19)),
        [typeof(CaseFlow.Domain.Organisation.LeftWindow)] = new CaseFlow.Domain.Organisation.LeftWindow(
            LeaveId, "clerk-tw-1", "江瑾瑜", "centre-361130100", "window-tw-1", "1", "到二楼档案室调取档案", At.AddMinutes(30), "0797-6821234（窗口分机 801）",
            PostId, "clerk-tw-2", "黎晓东", "supervisor-cty-1", At),
        [typeof(CaseFlow.Domain.Organisation.ReturnedToWindow)] = new CaseFlow.Domain.Organisation.ReturnedToWindow(
            LeaveId, "clerk-tw-1", "window-tw-1", At.AddMinutes(30), 12, At.AddMinutes(42)),
        [typeof(CaseFlow.Domain.Organisation.WindowReturnOverdue)] = new CaseFlow.Domain.Organisation.WindowReturnOverdue(
            LeaveId, "clerk-tw-1", "江瑾瑜", "centre-361130100", "window-tw-1", At.AddMinutes(30), "supervisor-cty-1", At.AddMinutes(31)),
    };

    private static CaseFlow.Domain.Calendar.WorkingDeadline Due(int y, int m, int d) =>
        new(new DateOnly(y, m, d), CaseFlow.Domain.Calendar.WorkingCalendar.EndOf(new DateOnly(y, m, d)));

    private static DocumentStamp Stamp(DocumentKind kind, string number) =>
        new(kind, number, "梅江镇便民服务中心", "梅江镇便民服务中心审批服务专用章", new DateOnly(2025, 9, 26));

    private static string ContractsDir() => Path.Combine(CaseFlow.Testing.Repository.Root, "contracts", "events");

    public static TheoryData<string> EventNames() => new(EventCatalog.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Todays_serialisation_matches_the_golden_sample(string name)
    {
        var type = EventCatalog.TypeOf(name)!;
        Assert.True(Samples.ContainsKey(type), $"Add a sample of {type.Name} to GoldenEventTests.Samples");
        var json = JsonNode.Parse(EventSerializer.Default.Serialize(Samples[type]))!
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(ContractsDir(), name + ".json");
        if (Environment.GetEnvironmentVariable("CASEFLOW_UPDATE_CONTRACTS") == "1" && !File.Exists(path))
            File.WriteAllText(path, json);
        Assert.True(File.Exists(path), $"contracts/events/{name}.json is missing");
        Assert.Equal(File.ReadAllText(path), json);
    }

    [Fact]
    public void Every_committed_sample_still_loads_as_a_current_event()
    {
        var files = Directory.GetFiles(ContractsDir(), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var (type, data) = EventSerializer.Default.Deserialize(name, File.ReadAllText(file));
            Assert.NotNull(EventCatalog.TypeOf(type));
            Assert.IsType(EventCatalog.TypeOf(type)!, data);
        }
    }

    [Fact]
    public void A_decision_recorded_as_v1_reads_as_v2_with_its_working_days_unknown()
    {
        var (type, data) = EventSerializer.Default.Deserialize("case.decided.v1", File.ReadAllText(Path.Combine(ContractsDir(), "case.decided.v1.json")));
        Assert.Equal("case.decided.v2", type);
        var decided = Assert.IsType<CaseDecided>(data);
        Assert.Null(decided.WorkingDaysUsed);
        Assert.Equal(new DateOnly(2025, 10, 31), decided.DecidedOn);
    }
}
