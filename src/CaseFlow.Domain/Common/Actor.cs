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
    /// <summary>
    /// The provincial government-service platform (网上办, issue 17): not staff, never in a token; it signs its
    /// requests (README "Security"). Its channel is <see cref="Channel.Online"/>.
    /// </summary>
    Platform,
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

    /// <summary>The provincial platform as the actor of an online submission (issue 17).</summary>
    public static Actor Platform(string platformId, string platformName) =>
        new($"platform:{platformId}", platformName, Role.Platform, platformId, platformName, Channel.Online);
}
