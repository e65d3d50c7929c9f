using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.BackOffice;

public enum PartStage
{
    /// <summary>In the department's inbox, nobody has claimed it.</summary>
    Waiting,
    Claimed,
    ReturnedToWindow,
    Decided,
}

/// <summary>One department's part as it stands.</summary>
public sealed record PartOnFile(
    DispatchedPart Plan, PartStage Stage, string? HolderId, string? HolderName, int Step, DateTimeOffset StepStartedAt, bool? Approved,
    IReadOnlyList<ResultDocument> Results, string? SealId)
{
    public ApprovalStepView CurrentStep => new(Step, Plan.Steps.Count == 0 ? "办理" : Plan.Steps[Math.Min(Step, Plan.Steps.Count - 1)].Name,
        Plan.Steps.Count == 0 ? 0 : Plan.Steps[Math.Min(Step, Plan.Steps.Count - 1)].ShareWorkingDays);

    public bool AtFinalStep => Step >= Plan.Steps.Count - 1;

    public bool Settled => Stage == PartStage.Decided && (Approved == false || Results.Count > 0);
}

public sealed record ApprovalStepView(int Index, string Name, int ShareWorkingDays);

/// <summary>A period the clock stood (or stands) still: a special procedure or a back-office correction.</summary>
public sealed record StopOnFile(Guid Id, string Kind, DateTimeOffset From, DateTimeOffset? To);

/// <summary>The back-office half of the case file (DOMAIN.md §4 after acceptance).</summary>
public sealed record WorkOnFile(
    IReadOnlyList<PartOnFile> Parts,
    IReadOnlyList<StopOnFile> Stops,
    IReadOnlyList<ClockSuspended> Suspensions,
    IReadOnlyList<CorrectionRequested> Corrections,
    CaseExtended? Extension,
    CaseDecided? Decision,
    IReadOnlyList<PartDecided> PartDecisions,
    ResultSentToWindow? SentToWindow,
    CaseEscalated? Escalation,
    EscalationResolved? Resolution,
    IReadOnlyList<PartReassigned> Reassignments)
{
    public static readonly WorkOnFile None = new([], [], [], [], null, null, [], null, null, null, []);

    public bool Dispatched => Parts.Count > 0;

    public StopOnFile? OpenStop => Stops.FirstOrDefault(s => s.To is null);

    public PartOnFile? Part(string partId) => Parts.FirstOrDefault(p => p.Plan.PartId == partId);

    /// <summary>The clock stops as of <paramref name="now"/>: an open stop counts up to now.</summary>
    public IReadOnlyList<ClockStop> ClockStops(DateTimeOffset now) => Stops.Select(s => new ClockStop(s.From, s.To ?? now)).ToList();

    public static WorkOnFile Evolve(WorkOnFile w, object e) => e switch
    {
        CaseDispatched d => w with { Parts = d.Parts.Select(p => new PartOnFile(p, PartStage.Waiting, null, null, 0, d.DispatchedAt, null, [], null)).ToList() },
        CaseClaimed c => Update(w, c.PartId, p => p with { Stage = PartStage.Claimed, HolderId = c.ApproverId, HolderName = c.ApproverName, Step = 0, StepStartedAt = c.ClaimedAt }),
        StepCompleted s => Update(w, s.PartId, p => s.Action switch
        {
            StepAction.Pass => p with { Step = Math.Min(s.StepIndex + 1, Math.Max(0, p.Plan.Steps.Count - 1)), StepStartedAt = s.CompletedAt },
            StepAction.ReturnToPrevious => p with { Step = Math.Max(0, s.StepIndex - 1), StepStartedAt = s.CompletedAt },
            _ => p with { Stage = PartStage.ReturnedToWindow, StepStartedAt = s.CompletedAt },
        }),
        PartResubmitted r => Update(w, r.PartId, p => p with { Stage = PartStage.Claimed, Step = 0, StepStartedAt = r.ResubmittedAt }),
        PartReassigned r => w with
        {
            Parts = w.Parts.Select(p => p.Plan.PartId == r.PartId ? p with { HolderId = r.ToId, HolderName = r.ToName } : p).ToList(),
            Reassignments = [.. w.Reassignments, r],
        },
        ClockSuspended s => w with { Stops = [.. w.Stops, new StopOnFile(s.SuspensionId, s.Procedure.ToString(), s.SuspendedAt, null)], Suspensions = [.. w.Suspensions, s] },
        CorrectionRequested c => w with { Stops = [.. w.Stops, new StopOnFile(c.NoticeId, "Correction", c.RequestedAt, null)], Corrections = [.. w.Corrections, c] },
        ClockResumed r => w with { Stops = w.Stops.Select(s => s.Id == r.StopId ? s with { To = r.ResumedAt } : s).ToList() },
        CaseExtended x => w with { Extension = x },
        PartDecided d => Update(w, d.PartId, p => p with { Stage = PartStage.Decided, Approved = d.Approved }) with { PartDecisions = [.. w.PartDecisions, d] },
        CaseDecided d => w with { Decision = d },
        ResultRegistered r => Update(w, r.PartId, p => p with { Results = r.Documents, SealId = r.SealId }),
        ResultSentToWindow s => w with { SentToWindow = s },
        CaseEscalated x => w with { Escalation = x, Resolution = null },
        EscalationResolved r => w with { Resolution = r },
        _ => w,
    };

    private static WorkOnFile Update(WorkOnFile w, string partId, Func<PartOnFile, PartOnFile> change) =>
        w with { Parts = w.Parts.Select(p => p.Plan.PartId == partId ? change(p) : p).ToList() };
}
