namespace CaseFlow.Domain.Common;

/// <summary>Roles of DOMAIN.md §1. <see cref="System"/> is the background jobs (deemed acceptance, sweeper).</summary>
public enum Role
{
    Clerk,
    Agent,
    Approver,
    DepartmentHead,
    Supervisor,
    Admin,
    System,
}

/// <summary>How a command reached CaseFlow (DOMAIN.md §1: "from which channel").</summary>
public enum Channel
{
    Window,
    VillageAgent,
    Online,
    SelfServiceTerminal,
    BackOffice,
    System,
    /// <summary>电子监察: supervisors' orders, accountability records, reassignments and rating follow-ups.</summary>
    Supervision,
}

/// <summary>
/// Who acts: every state change records the person, role and unit (centre / department / region) and channel
/// (DOMAIN.md §1).
/// </summary>
public sealed record Actor(string Id, string Name, Role Role, string UnitId, string UnitName, Channel Channel)
{
    public static Actor SystemJob(string jobName) =>
        new($"system:{jobName}", jobName, Role.System, "system", "CaseFlow", Channel.System);
}
