using CaseFlow.Domain.Catalogue;
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
    IReadOnlyList<RepeatNoticeRecorded> RepeatNotices)
{
    public static readonly CaseFile Empty = new(Guid.Empty, CaseStatus.None, null, null, null, [], [], new HashSet<string>(), [], null, null, null, null, null, null, []);

    public static readonly StreamKind<CaseFile> Kind = new("case", Empty, Evolve);

    public string CentreId => Receipt?.CentreId ?? "";

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

    public static CaseFile Evolve(CaseFile s, object e) => e switch
    {
        CaseReceived r => s with { Id = r.CaseId, Status = CaseStatus.Received, Receipt = r, Materials = r.Materials },
        CaseNumberAssigned n => s with { Number = n.CaseNumber },
        AgentSubmissionRecorded a => s with { Agent = a },
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
        DeficiencyCleared => s with { Status = CaseStatus.Accepted, Outstanding = [] },
        CaseDeemedAccepted d => s with { Status = CaseStatus.Accepted, Deemed = d },
        CaseRejected r => s with { Status = CaseStatus.Rejected, Rejection = r, Notices = CloseAll(s.Notices) },
        CaseTerminated t => s with { Status = CaseStatus.Terminated, Termination = t },
        CaseCompletedOnTheSpot c => s with { Status = CaseStatus.Completed, Completion = c },
        _ => s,
    };

    private static List<ReceivedMaterial> Merge(IReadOnlyList<ReceivedMaterial> current, IEnumerable<ReceivedMaterial> changes)
    {
        var byCode = changes.ToDictionary(c => c.Code);
        return current.Select(m => byCode.GetValueOrDefault(m.Code) ?? m).ToList();
    }

    private static List<NoticeOnFile> CloseAll(IReadOnlyList<NoticeOnFile> notices) => notices.Select(n => n with { Open = false }).ToList();
}
