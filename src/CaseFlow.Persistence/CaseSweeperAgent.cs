using JasperFx;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace CaseFlow.Persistence;

/// <summary>
/// Whether this node may run the sweeper (<c>CaseFlow:Background:Enabled</c>) and how often the node running it scans
/// (<c>CaseFlow:Background:SweepInterval</c>; real time, the decisions read the injected clock).
/// </summary>
public sealed record SweepSchedule(TimeSpan Interval, bool RunsHere = true)
{
    public static readonly SweepSchedule Default = new(TimeSpan.FromMinutes(1));
}

/// <summary>
/// Due actions queued by the scan and not yet tried once on this node: the next scan waits until each has been
/// tried, so a slow catch-up is not queued twice. A failed try counts as tried — its retries go on by themselves — so
/// one action that keeps failing never holds the sweeper back. A node taking over after a crash starts from none;
/// the deciders make repeats harmless.
/// </summary>
public sealed class SweepBacklog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DueCaseAction, byte> _open = new();

    public int Open => _open.Count;

    public void Queued(DueCaseAction action) => _open.TryAdd(action, 0);

    public void Tried(DueCaseAction action) => _open.TryRemove(action, out _);
}

/// <summary>
/// The case sweeper as a Wolverine agent (issue 15). Every node knows the family (whichever node leads places the
/// agent), but only nodes that run background work declare it as a capability (<see cref="SweepSchedule.RunsHere"/>):
/// the leader places the one agent on one of those — never on a host with <c>CaseFlow:Background:Enabled=false</c>
/// or the command line — and moves it when that node dies, within the stated failover time (README "Background work").
/// </summary>
public sealed class CaseSweeperAgentFamily(
    CaseSweeper sweeper, Commands.CommandPipeline pipeline, Resilience.BackgroundHealth health, SweepSchedule schedule, SweepBacklog backlog, ILogger<CaseSweeperAgent> logger)
    : IStaticAgentFamily
{
    public const string AgentScheme = "caseflow-sweeper";

    public static readonly Uri AgentUri = new($"{AgentScheme}://cases");

    public string Scheme => AgentScheme;

    public ValueTask<IReadOnlyList<Uri>> AllKnownAgentsAsync() => new([AgentUri]);

    public ValueTask<IReadOnlyList<Uri>> SupportedAgentsAsync() => new(schedule.RunsHere ? [AgentUri] : []);

    public ValueTask<IAgent> BuildAgentAsync(Uri uri, IWolverineRuntime wolverineRuntime) =>
        new(new CaseSweeperAgent(sweeper, pipeline, health, schedule, backlog, new Wolverine.Runtime.MessageBus(wolverineRuntime), logger));

    /// <summary>
    /// Only on a node that declared the capability: Wolverine's distributions place an agent on any node when none
    /// has declared it (measured), and a node without background work must never sweep. The agent stays where it runs
    /// while that node is alive; otherwise it goes to a capable node other than the leader if there is one.
    /// </summary>
    public ValueTask EvaluateAssignmentsAsync(AssignmentGrid assignments)
    {
        var agent = assignments.AgentFor(AgentUri);
        var capable = assignments.Nodes.Where(n => !n.IsWarmup && n.Capabilities.Contains(AgentUri)).OrderBy(n => n.IsLeader).ThenBy(n => n.AssignedId).ToList();
        if (agent.AssignedNode is { } current && capable.Contains(current))
            return ValueTask.CompletedTask;
        agent.Detach();
        if (capable.Count > 0)
            capable[0].Assign(agent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Scans once per <see cref="SweepSchedule.Interval"/> and queues what is due to <c>case-actions</c>.</summary>
public sealed class CaseSweeperAgent(
    CaseSweeper sweeper, Commands.CommandPipeline pipeline, Resilience.BackgroundHealth health, SweepSchedule schedule, SweepBacklog backlog, Wolverine.IMessageBus bus,
    ILogger<CaseSweeperAgent> logger)
    : IAgent
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public Uri Uri => CaseSweeperAgentFamily.AgentUri;

    public AgentStatus Status { get; private set; } = AgentStatus.Stopped;

    public string Description => "CaseFlow case sweeper: deemed acceptance, 容缺 termination, AB岗, deadline warnings, pickup reminders, default ratings, 督办 escalation, complaint answer lights, overdue returns to the window";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        Status = AgentStatus.Running;
        logger.LogInformation("Case sweeper started on this node");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Status = AgentStatus.Stopped;
        if (_stop is null)
            return;
        await _stop.CancelAsync();
        try
        {
            await (_loop ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _stop = null;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Status == AgentStatus.Running ? HealthCheckResult.Healthy("sweeping") : HealthCheckResult.Unhealthy("stopped"));

    private async Task LoopAsync(CancellationToken ct)
    {
        var waitingSince = DateTimeOffset.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Real time: how long the previous pass's actions may hold the next one back.
                if (backlog.Open > 0 && DateTimeOffset.UtcNow - waitingSince < TimeSpan.FromMinutes(10))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                    continue;
                }
                var context = await sweeper.PassContextAsync(ct);
                var queued = 0;
                await sweeper.ScanAsync(async action =>
                {
                    backlog.Queued(action);
                    await bus.PublishAsync(action);
                    queued++;
                }, context, ct);
                await pipeline.ForgetExpiredKeysAsync(ct);
                health.Succeeded("case sweeper");
                if (queued > 0)
                    logger.LogInformation("Sweep: {Queued} due actions queued", queued);
                waitingSince = DateTimeOffset.UtcNow;
                await Task.Delay(schedule.Interval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await Task.Delay(health.Failed("case sweeper", e), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
