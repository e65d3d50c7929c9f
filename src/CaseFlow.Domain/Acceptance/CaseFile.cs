using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Calendar;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Domain.Handover;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Acceptance;

/// <summary>Where a case stands at the window (DOMAIN.md §4, up to acceptance).</summary>
public enum CaseStatus
{
    None,
    /// <summary>收件: materials taken in, no notice or decision yet.</summary>
    Received,
    /// <summary>一次性告知 issued; waiting for the corrections.</summary>
    AwaitingCorrections,
    /// <summary>受理 (also 视为受理, and 容缺 once everything arrived): the clock runs.</summary>
    Accepted,
    /// <summary>容缺受理 with materials still outstanding.</summary>
    AcceptedWithDeficiency,
    /// <summary>即办件 finished in the same visit.</summary>
    Completed,
    Rejected,
    Terminated,
    /// <summary>办结: every department decided.</summary>
    Decided,
    /// <summary>The result is at the window for pickup.</summary>
    ResultReady,
    /// <summary>Handed out or delivered: done.</summary>
    Closed,
}

/// <summary>A one-time notice as the case remembers it.</summary>
public sealed record NoticeOnFile(Guid NoticeId, int Ordinal, IReadOnlyList<NoticeItem> Items, string Procedure, DocumentStamp Document, string IssuedByName, DateTimeOffset IssuedAt, bool Open);

/// <summary>
/// Everything the case stream says, folded: the receipt (with the pinned item revision), the materials as they
/// stand now, the notices, and how acceptance ended. Deciders and documents read only this.
/// </summary>
public sealed record CaseFile(
    Guid Id,
    CaseStatus Status,
    CaseReceived? Receipt,
    string? Number,
    AgentSubmissionRecorded? Agent,
    IReadOnlyList<ReceivedMaterial> Materials,
    IReadOnlyList<NoticeOnFile> Notices,
    IReadOnlySet<string> SubmittedSinceFirstNotice,
    IReadOnlyList<Deficiency> Outstanding,
    CaseAccepted? Acceptance,
    CaseAcceptedWithDeficiency? DeficiencyAcceptance,
    CaseDeemedAccepted? Deemed,
    CaseRejected? Rejection,
    CaseTerminated? Termination,
    CaseCompletedOnTheSpot? Completion,
    IReadOnlyList<RepeatNoticeRecorded> RepeatNotices,
    BundleCaseComposed? Bundle,
    WorkOnFile Work,
    IReadOnlyDictionary<string, WarningLevel> Alerts,
    HandoverOnFile Handover,
    Supervision.SupervisionOnFile Supervision,
    OnlineSubmission.OnlineSubmissionRecorded? Online = null)
{
    public static readonly CaseFile Empty = new(Guid.Empty, CaseStatus.None, null, null, null, [], [], new HashSet<string>(), [], null, null, null, null, null, null, [], null, WorkOnFile.None,
        new Dictionary<string, WarningLevel>(), HandoverOnFile.None, Domain.Supervision.SupervisionOnFile.None);

    /// <summary>The highest warning level already raised on a deadline (<see cref="Deadline.Key"/>).</summary>
    public WarningLevel RaisedLevel(string key) => Alerts.GetValueOrDefault(key);

    public CaseClosed? Closure => Handover.Closed;

    public static readonly StreamKind<CaseFile> Kind = new("case", Empty, Evolve);

    public string CentreId => Receipt?.CentreId ?? "";

    /// <summary>Where the case lies for <see cref="Jurisdiction"/>: centre, the centre's region, departments with a part, agent, staff on it.</summary>
    public CaseLocation Location(string? regionCode) => new(
        CentreId, regionCode, Work.Parts.Select(p => p.Plan.DepartmentId).ToHashSet(), Agent?.AgentId,
        Work.Parts.Select(p => p.HolderId).OfType<string>().Append(Receipt?.ReceivedById ?? "").Where(id => id.Length > 0).ToHashSet());

    public ServiceItemDefinition Item => Receipt?.Item ?? throw new InvalidOperationException("case not received");

    public MaterialState StateOf(string code) => Materials.FirstOrDefault(m => m.Code == code)?.State ?? MaterialState.Missing;

    /// <summary>Required materials neither present nor replaced by a commitment the item allows.</summary>
    public IReadOnlyList<Material> UnmetRequired => Item.Materials.Where(m => m.Required && !Satisfied(m)).ToList();

    public bool Satisfied(Material m) => StateOf(m.Code) switch
    {
        MaterialState.Present => true,
        MaterialState.Committed => m.CommitmentAllowed,
        _ => false,
    };

    /// <summary>The day acceptance counts from, once accepted in any way.</summary>
    public DateOnly? AcceptedOn => Acceptance?.AcceptedOn ?? DeficiencyAcceptance?.AcceptedOn ?? Deemed?.AcceptedOn;

    /// <summary>The instant the clock started: acceptance, or for 视为受理 the receipt (Art. 32).</summary>
    public DateTimeOffset? ClockStartedAt => Acceptance?.AcceptedAt ?? DeficiencyAcceptance?.AcceptedAt ?? (Deemed is not null ? Receipt?.ReceivedAt : null);

    /// <summary>Working days an approved extension adds to both limits.</summary>
    public int ExtensionWorkingDays => Work.Extension?.WorkingDays ?? 0;

    /// <summary>
    /// The promised and statutory due dates as of <paramref name="now"/>, recomputed from the events: acceptance,
    /// the item's limits, the extension and every clock stop (DOMAIN.md §5 rules 5–7). Null before acceptance.
    /// </summary>
    public (WorkingDeadline Promised, WorkingDeadline Statutory)? DuesAt(WorkingCalendar calendar, DateTimeOffset now, int? extensionWorkingDays = null)
    {
        if (ClockStartedAt is not { } start)
            return null;
        var stops = Work.ClockStops(now);
        var extension = extensionWorkingDays ?? ExtensionWorkingDays;
        return (calendar.AddWorkingDays(start, Item.PromisedLimitWorkingDays + extension, stops),
                calendar.AddWorkingDays(start, Item.StatutoryLimitWorkingDays + extension, stops));
    }

    /// <summary>
    /// What the back office works on: one part per item (a bundle's items in parallel, the lead's marked), each
    /// with the item's approval steps and the department of its first step.
    /// </summary>
    public IReadOnlyList<(string PartId, Guid ItemId, ServiceItemDefinition Item, bool Lead)> PartPlan =>
        Bundle is { } b
            ? b.Parts.Select(p => (p.Definition.ImplementationCode, p.ItemId, p.Definition, DepartmentOf(p.Definition) == b.Bundle.LeadDepartmentId)).ToList()
            : [(Item.ImplementationCode, Receipt!.ItemId, Item, true)];

    public static string DepartmentOf(ServiceItemDefinition item) =>
        item.Steps.Count > 0 ? item.Steps[0].DepartmentId : item.HandlingDepartments.FirstOrDefault() ?? "";

    public static CaseFile Evolve(CaseFile s, object e) => e switch
    {
        CaseReceived r => s with { Id = r.CaseId, Status = CaseStatus.Received, Receipt = r, Materials = r.Materials },
        CaseNumberAssigned n => s with { Number = n.CaseNumber },
        AgentSubmissionRecorded a => s with { Agent = a },
        OnlineSubmission.OnlineSubmissionRecorded o => s with { Online = o },
        OneTimeNoticeIssued n => s with
        {
            Status = CaseStatus.AwaitingCorrections,
            Notices = [.. s.Notices, new NoticeOnFile(n.NoticeId, n.Ordinal, n.Items, n.Procedure, n.Document, n.IssuedByName, n.IssuedAt, true)],
            // A present material the clerk found wanting on review is non-conforming from now on.
            Materials = Merge(s.Materials, n.Items.Select(i => new ReceivedMaterial(i.Code,
                i.Problem == MaterialProblem.Missing ? MaterialState.Missing : MaterialState.NonConforming, i.Reason))),
        },
        RepeatNoticeRecorded v => s with { RepeatNotices = [.. s.RepeatNotices, v] },
        MaterialsSupplemented m => s with
        {
            Materials = Merge(s.Materials, m.Materials),
            SubmittedSinceFirstNotice = s.Notices.Count == 0 ? s.SubmittedSinceFirstNotice : s.SubmittedSinceFirstNotice.Union(m.Materials.Select(x => x.Code)).ToHashSet(),
            Outstanding = s.Outstanding.Where(d => !m.Materials.Any(x => x.Code == d.Code && x.State is MaterialState.Present or MaterialState.Committed)).ToList(),
        },
        CaseAccepted a => s with { Status = CaseStatus.Accepted, Acceptance = a, Notices = CloseAll(s.Notices) },
        CaseAcceptedWithDeficiency a => s with { Status = CaseStatus.AcceptedWithDeficiency, DeficiencyAcceptance = a, Outstanding = a.Deficiencies, Notices = CloseAll(s.Notices) },
        DeficiencyCleared => s with { Status = s.Status == CaseStatus.AcceptedWithDeficiency ? CaseStatus.Accepted : s.Status, Outstanding = [] },
        CaseDeemedAccepted d => s with { Status = CaseStatus.Accepted, Deemed = d },
        CaseRejected r => s with { Status = CaseStatus.Rejected, Rejection = r, Notices = CloseAll(s.Notices) },
        CaseTerminated t => s with { Status = CaseStatus.Terminated, Termination = t },
        CaseCompletedOnTheSpot c => s with { Status = CaseStatus.Completed, Completion = c },
        BundleCaseComposed b => s with { Bundle = b },
        CorrectionRequested c => s with
        {
            Work = WorkOnFile.Evolve(s.Work, c),
            Notices = [.. s.Notices, new NoticeOnFile(c.NoticeId, c.Ordinal, c.Items, "", c.Document, c.ByName, c.RequestedAt, true)],
            Materials = Merge(s.Materials, c.Items.Select(i => new ReceivedMaterial(i.Code,
                i.Problem == MaterialProblem.Missing ? MaterialState.Missing : MaterialState.NonConforming, i.Reason))),
        },
        ClockResumed r when s.Notices.Any(n => n.NoticeId == r.StopId) => s with
        {
            Work = WorkOnFile.Evolve(s.Work, r),
            Notices = s.Notices.Select(n => n.NoticeId == r.StopId ? n with { Open = false } : n).ToList(),
        },
        CaseDecided d => s with { Status = CaseStatus.Decided, Work = WorkOnFile.Evolve(s.Work, d) },
        ResultSentToWindow r => s with { Status = CaseStatus.ResultReady, Work = WorkOnFile.Evolve(s.Work, r) },
        DeadlineWarningRaised w => s with { Alerts = Raise(s.Alerts, $"{w.Scope}:{w.Target}", WarningLevel.Yellow) },
        DeadlineWentOverdue o => s with { Alerts = Raise(s.Alerts, $"{o.Scope}:{o.Target}", WarningLevel.Red) },
        CaseClosed c => s with { Status = CaseStatus.Closed, Handover = HandoverOnFile.Evolve(s.Handover, c) },
        DeliveryPreferenceChosen or ResultHandedOut or ResultMailed or ServiceRated or DefaultRatingRecorded or RectificationOpened
            or ReturnVisitRecorded or RectificationCompleted or RatingVoided => s with { Handover = HandoverOnFile.Evolve(s.Handover, e) },
        Domain.Supervision.SupervisionOrdered or Domain.Supervision.SupervisionAnswered or Domain.Supervision.SupervisionEscalated
            or Domain.Supervision.AccountabilityOpened or Domain.Supervision.AccountabilityConcluded => s with { Supervision = Domain.Supervision.SupervisionOnFile.Evolve(s.Supervision, e) },
        _ => s with { Work = WorkOnFile.Evolve(s.Work, e) },
    };

    private static List<ReceivedMaterial> Merge(IReadOnlyList<ReceivedMaterial> current, IEnumerable<ReceivedMaterial> changes)
    {
        var byCode = changes.ToDictionary(c => c.Code);
        return current.Select(m => byCode.GetValueOrDefault(m.Code) ?? m).ToList();
    }

    private static Dictionary<string, WarningLevel> Raise(IReadOnlyDictionary<string, WarningLevel> alerts, string key, WarningLevel level)
    {
        var next = new Dictionary<string, WarningLevel>(alerts);
        if (next.GetValueOrDefault(key) < level)
            next[key] = level;
        return next;
    }

    private static List<NoticeOnFile> CloseAll(IReadOnlyList<NoticeOnFile> notices) => notices.Select(n => n with { Open = false }).ToList();
}
