using System.Globalization;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;

namespace CaseFlow.Domain.Supervision;

/// <summary>One recorded event of a case with who did it (from the event's metadata).</summary>
public sealed record RecordedFact(long Version, Guid EventId, string Type, object Event, DateTimeOffset At, string ById, string ByName, string Role, string UnitId, string UnitName);

/// <summary>
/// One line of the timeline: who (name, role, unit), when, what in plain Chinese, and the deadlines as they stood
/// right after it (promised and statutory due dates, whether the clock was stopped).
/// </summary>
public sealed record TimelinePoint(
    long Version, Guid EventId, DateTimeOffset At, string Type, string What, string ById, string ByName, string Role, string RoleName, string UnitId, string UnitName,
    CaseStatus Status, string StatusName, DateOnly? PromisedDue, DateOnly? StatutoryDue, bool ClockStopped);

/// <summary>A stage of the case and how long it was held: by whom, how many working days, against what share.</summary>
public sealed record StageHolding(string Stage, string StageName, string? PartId, string HolderId, string HolderName, string UnitId, DateTimeOffset From, DateTimeOffset? To, int WorkingDays, int? ShareWorkingDays);

/// <summary>The working days each person held the case, over all stages.</summary>
public sealed record PersonHolding(string PersonId, string PersonName, string UnitId, int WorkingDays, int OverShareWorkingDays);

public sealed record CaseTimeline(Guid CaseId, string? CaseNumber, string ItemName, IReadOnlyList<TimelinePoint> Events, IReadOnlyList<StageHolding> Stages, IReadOnlyList<PersonHolding> People, CaseAttribution Attribution);

/// <summary>
/// 办件全过程 (issue 8): every event in order in readable Chinese with who, when and the deadlines at that point,
/// and the time each stage and each person held the case. Holding time is counted in working days, clock stops
/// excluded (DOMAIN.md §5); back-office steps come from <see cref="Attribution"/>, so the timeline and the
/// attribution of overrun days always agree.
/// </summary>
public static class CaseTimelines
{
    public static CaseTimeline For(IReadOnlyList<RecordedFact> facts, WorkingCalendar calendar, DateTimeOffset now)
    {
        var state = CaseFile.Empty;
        var points = new List<TimelinePoint>(facts.Count);
        foreach (var f in facts)
        {
            state = CaseFile.Evolve(state, f.Event);
            (DateOnly? Promised, DateOnly? Statutory) due = (null, null);
            try
            {
                if (state.DuesAt(calendar, f.At) is var (p, s))
                    due = (p.Day, s.Day);
            }
            catch (CalendarYearNotPublishedException)
            {
                // a due date in a year without a published calendar is not shown rather than guessed
            }
            points.Add(new TimelinePoint(f.Version, f.EventId, f.At, f.Type, Describe(f.Event, f.Type), f.ById, f.ByName, f.Role, RoleName(f.Role), f.UnitId, f.UnitName,
                state.Status, CaseDecider.StatusName(state.Status), due.Promised, due.Statutory, state.Work.OpenStop is not null));
        }
        var attribution = Attribution.For(state, facts.Select(f => f.Event).ToList(), calendar, now);
        var stages = new List<StageHolding>();
        if (state.Receipt is { } r && facts.Count > 0)
        {
            // 受理: the receiving clerk holds the case until it is accepted, rejected, terminated or done on the spot.
            var ended = facts.FirstOrDefault(f => f.Event is CaseAccepted or CaseAcceptedWithDeficiency or CaseDeemedAccepted or CaseRejected or CaseTerminated or CaseCompletedOnTheSpot);
            var end = ended?.At;
            // An online submission (issue 17) waits in the 预审 queue of the window it was routed to: that window holds it.
            var (holderId, holderName) = state.Online is { } online ? (online.RoutedToWindowId, "综合窗口（网上办预审）") : (r.ReceivedById, r.ReceivedByName);
            stages.Add(new StageHolding("Acceptance", "受理", null, holderId, holderName, r.CentreId, r.ReceivedAt, end,
                calendar.WorkingDaysBetween(r.ReceivedAt, end ?? now), CaseDecider.NoticePeriodWorkingDays));
        }
        foreach (var step in attribution.Steps)
        {
            foreach (var held in step.Held)
                stages.Add(new StageHolding("Step", step.StepName, step.PartId, held.PersonId, held.PersonName, step.DepartmentId, step.StartedAt, step.EndedAt, held.WorkingDays, step.ShareWorkingDays));
        }
        var sent = facts.LastOrDefault(f => f.Event is ResultSentToWindow);
        if (sent is not null && state.Receipt is { } receipt)
        {
            var closed = facts.FirstOrDefault(f => f.Event is ResultHandedOut or ResultMailed && f.Version > sent.Version);
            var (holderId, holderName) = state.Online is { } online ? (online.RoutedToWindowId, "综合窗口（网上办预审）") : (receipt.ReceivedById, receipt.ReceivedByName);
            stages.Add(new StageHolding("Handover", "出件", null, holderId, holderName, receipt.CentreId, sent.At, closed?.At,
                calendar.WorkingDaysBetween(sent.At, closed?.At ?? now), null));
        }
        var over = attribution.ByPerson.ToDictionary(c => (c.PersonId, c.DepartmentId), c => c.WorkingDays);
        var people = stages.GroupBy(s => (s.HolderId, s.UnitId))
            .Select(g => new PersonHolding(g.Key.HolderId, g.First().HolderName, g.Key.UnitId, g.Sum(s => s.WorkingDays), over.GetValueOrDefault(g.Key)))
            .OrderByDescending(p => p.WorkingDays).ToList();
        return new CaseTimeline(state.Id, state.Number, state.Receipt?.Item.Name ?? "", points, stages, people, attribution);
    }

    public static string RoleName(string role) => role switch
    {
        nameof(Common.Role.Clerk) => "综合窗口受理人员",
        nameof(Common.Role.Agent) => "帮代办员",
        nameof(Common.Role.Approver) => "部门审批人员",
        nameof(Common.Role.DepartmentHead) => "部门负责人",
        nameof(Common.Role.Supervisor) => "监督人员",
        nameof(Common.Role.Admin) => "系统管理员",
        nameof(Common.Role.System) => "系统（自动）",
        nameof(Common.Role.Platform) => "政务服务平台（网上办）",
        _ => role,
    };

    private static string D(DateOnly day) => day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>What happened, in a sentence a supervisor can read; personal data (ID numbers, phones) never appears.</summary>
    public static string Describe(object e, string type) => e switch
    {
        CaseReceived r => $"收件：{r.Item.Name}，申请人{r.Applicant.Name}，收到材料 {r.Materials.Count(m => m.State == MaterialState.Present)} 项",
        Appointments.CaseReceivedByAppointment x => $"按预约收件：预约号 {x.AppointmentNumber}（{(x.SlotKind switch { Appointments.SlotKind.Extended => "延时服务", Appointments.SlotKind.OffDay => "错时服务", _ => "办公时间" })}）",
        Appointments.CaseReceivedAtHome x => $"上门服务收件（{(x.Reason switch { Appointments.HomeServiceReason.Elderly => "老年人", Appointments.HomeServiceReason.Disabled => "残疾人", _ => "行动不便" })}），上门人员 {string.Join("、", x.StaffWhoWent.Select(s => s.Name))}",
        OnlineSubmission.OnlineSubmissionRecorded o => $"网上申报（{o.PlatformName}，申报编号 {o.SubmissionId}）：电子材料 {o.Materials.Count} 份，进入本中心预审",
        OneTimeNoticeIssued n => $"出具一次性告知书（第 {n.Ordinal} 次，{n.Document.Number}）：需补正 {string.Join("、", n.Items.Select(i => i.Name))}",
        RepeatNoticeRecorded x => $"二次告知（{string.Join("、", x.MaterialCodes)}），经办人说明理由：{x.OverrideReason}",
        CaseAccepted a => $"受理（{a.Document.Number}），承诺办结 {D(a.PromisedDue.Day)}，法定期限 {D(a.StatutoryDue.Day)}",
        CaseAcceptedWithDeficiency a => $"容缺受理（{a.Document.Number}），待补 {string.Join("、", a.Deficiencies.Select(d => $"{d.Name}（{D(d.DueOn)}前）"))}，承诺办结 {D(a.PromisedDue.Day)}",
        CaseDeemedAccepted d => $"视为受理：收件后 5 个工作日内未告知，责任人 {d.ResponsibleName}（{d.ResponsibleUnit}）",
        CaseRejected x => $"不予受理（{x.Document.Number}）：{x.Reason}；依据 {x.LegalBasis}",
        CaseTerminated x => $"终止办理：{x.Reason}",
        CaseCompletedOnTheSpot x => $"即办件当场办结：{x.Result}",
        CaseDispatched d => $"分送部门审批：{string.Join("、", d.Parts.Select(p => p.DepartmentName))}",
        CaseClaimed c => $"部门签收（{c.DepartmentId}），承办人 {c.ApproverName}",
        StepCompleted s => $"完成「{s.StepName}」环节（{StepActionName(s.Action)}）：用时 {s.UsedWorkingDays} 个工作日，环节时限 {s.ShareWorkingDays} 个工作日" +
            (s.UsedWorkingDays > s.ShareWorkingDays ? $"，超出 {s.UsedWorkingDays - s.ShareWorkingDays} 个工作日" : ""),
        ClockSuspended x => $"中止计时（{BackOfficeDecider.NameOf(x.Procedure)}）：{x.Reason}",
        ClockResumed x => $"恢复计时：中止 {x.WorkingDaysStopped} 个工作日，承诺办结顺延至 {D(x.PromisedDue.Day)}",
        CorrectionRequested x => $"后台要求补正（{x.Document.Number}）：{string.Join("、", x.Items.Select(i => i.Name))}，期间不计时",
        CaseExtended x => $"延期 {x.WorkingDays} 个工作日（{x.ApprovedByName} 批准）：{x.Reason}，承诺办结改为 {D(x.PromisedDue.Day)}",
        PartReassigned x => $"改派：{x.FromName} → {x.ToName}（{x.Reason}）",
        PartDecided x => $"部门作出{(x.Approved ? "准予" : "不予")}决定（{x.DeciderName}）",
        CaseDecided x => $"办结（{D(x.DecidedOn)}），{(x.Overdue ? $"超过承诺期限 {D(x.PromisedDue.Day)}" : "在承诺期限内")}" +
            (x.WorkingDaysUsed is { } used ? $"，用时 {used} 个工作日" : ""),
        CaseEscalated x => $"转“办不成事”窗口：{x.Reason}，协调人 {x.CoordinatorName}，{D(x.DueOn)}前办结",
        DeadlineWarningRaised x => $"黄灯预警（{ScopeName(x.Scope)}）：{D(x.DueOn)} 到期，剩余 {x.RemainingWorkingDays} 个工作日",
        DeadlineWentOverdue x => $"红灯：{ScopeName(x.Scope)}已超期（{D(x.DueOn)} 到期）",
        ResultHandedOut x => $"出件：{(x.ByApplicant ? "申请人本人领取" : "受托人凭委托书领取")}，经办 {x.ClerkName}",
        ResultMailed x => $"邮寄送达：{x.Carrier} {x.WaybillNumber}",
        ServiceRated x => $"好差评：{RatingName(x.Level)}",
        DefaultRatingRecorded x => $"默认评价：{RatingName(x.Level)}（{x.AfterNaturalDays} 日内未评价）",
        RectificationOpened x => $"差评整改任务：{D(x.ReturnVisitDue.Day)}前回访，{D(x.RectificationDue.Day)}前整改",
        SupervisionOrdered x => $"督办（{x.SupervisorName}）：{x.Instruction}，{D(x.DueOn)}前答复",
        SupervisionAnswered x => $"答复督办（{x.ByName}）：{x.Answer}",
        SupervisionEscalated x => $"督办逾期未答复，升级（{D(x.DueOn)} 到期）",
        AccountabilityOpened x => $"问责（{MeasureName(x.Measure)}）对象 {x.TargetName}：{x.Facts}",
        AccountabilityConcluded x => $"问责处理结果：{x.Outcome}",
        _ => Title(type),
    };

    public static string StepActionName(StepAction action) => action switch
    {
        StepAction.Pass => "通过",
        StepAction.ReturnToPrevious => "退回上一环节",
        _ => "退回窗口",
    };

    public static string ScopeName(DeadlineScope scope) => scope switch
    {
        DeadlineScope.Case => "承诺办结",
        DeadlineScope.Step => "审批环节",
        DeadlineScope.Pickup => "出件",
        DeadlineScope.NoticePeriod => "受理告知期",
        DeadlineScope.AgentForwarding => "代办转办",
        DeadlineScope.ReturnVisit => "差评回访",
        DeadlineScope.Rectification => "差评整改",
        DeadlineScope.Complaint => "投诉答复",
        _ => scope.ToString(),
    };

    public static string RatingName(RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied => "非常满意",
        RatingLevel.Satisfied => "满意",
        RatingLevel.Basic => "基本满意",
        RatingLevel.Dissatisfied => "不满意",
        _ => "非常不满意",
    };

    public static string MeasureName(AccountabilityMeasure measure) => measure switch
    {
        AccountabilityMeasure.Reminder => "提醒",
        AccountabilityMeasure.Interview => "约谈",
        AccountabilityMeasure.PublicCriticism => "通报批评",
        _ => "责令整改",
    };

    /// <summary>The short title of an event type (the window's own case view shows these).</summary>
    public static string Title(string type) => type switch
    {
        "case.received.v1" => "收件",
        "case.number_assigned.v1" => "分配办件编号",
        "case.agent_submission_recorded.v1" => "代办员代办提交（已登记委托书）",
        "case.received_by_appointment.v1" => "预约办理（按预约收件）",
        "case.received_at_home.v1" => "上门服务收件",
        "case.online_submission_recorded.v1" => "网上申报（电子材料已登记，进入预审）",
        "case.one_time_notice_issued.v1" => "出具一次性告知书",
        "case.repeat_notice_recorded.v1" => "记录二次告知",
        "case.materials_supplemented.v1" => "补交材料",
        "case.accepted.v1" => "受理",
        "case.accepted_with_deficiency.v1" => "容缺受理",
        "case.deficiency_cleared.v1" => "容缺材料已补齐",
        "case.deemed_accepted.v1" => "视为受理（收件后5个工作日内未告知）",
        "case.rejected.v1" => "不予受理",
        "case.terminated.v1" => "终止办理",
        "case.completed_on_the_spot.v1" => "即办件当场办结",
        "case.bundle_composed.v1" => "一件事：组合事项",
        "case.dispatched.v1" => "分送部门审批",
        "case.claimed.v1" => "部门签收",
        "case.step_completed.v1" => "完成审批环节",
        "case.part_resubmitted.v1" => "窗口重新提交",
        "case.clock_suspended.v1" => "特别程序中止计时",
        "case.clock_resumed.v1" => "恢复计时",
        "case.correction_requested.v1" => "后台要求补正",
        "case.extended.v1" => "延期",
        "case.part_reassigned.v1" => "改派",
        "case.part_decided.v1" => "部门作出决定",
        "case.decided.v2" => "办结",
        "case.result_registered.v1" => "登记办理结果",
        "case.result_sent_to_window.v1" => "结果送窗口待取件",
        "case.escalated.v1" => "转“办不成事”窗口",
        "case.escalation_resolved.v1" => "“办不成事”协调办结",
        "case.deadline_warning_raised.v1" => "黄灯预警",
        "case.deadline_went_overdue.v1" => "红灯：超期",
        "case.delivery_preference_chosen.v1" => "选择领取方式",
        "case.result_handed_out.v1" => "出件",
        "case.result_mailed.v1" => "邮寄送达",
        "case.mail_delivery_recorded.v1" => "邮件已送达",
        "case.closed.v1" => "办结归档",
        "case.rated.v1" => "好差评",
        "case.default_rating_recorded.v1" => "默认评价（逾期未评价）",
        "case.rectification_opened.v1" => "差评整改任务",
        "case.return_visit_recorded.v1" => "差评回访",
        "case.rectification_completed.v1" => "整改完成",
        "case.rating_voided.v1" => "评价作废（申诉复核）",
        "case.supervision_ordered.v1" => "督办",
        "case.supervision_answered.v1" => "答复督办",
        "case.supervision_escalated.v1" => "督办逾期升级",
        "case.accountability_opened.v1" => "问责",
        "case.accountability_concluded.v1" => "问责处理结果",
        _ => type,
    };
}
