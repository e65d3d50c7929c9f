using CaseFlow.Persistence.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.ErrorHandling;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// How long a failing notification waits before each retry (<c>CaseFlow:Notifications:Retry</c>, comma-separated
/// <c>hh:mm:ss</c> lists).
/// </summary>
public sealed class NotificationRetryOptions
{
    /// <summary>Retries in the same hand-over, the message held (quick: a gateway blinking).</summary>
    public string Cooldowns { get; set; } = "00:00:01,00:00:05,00:00:30";

    /// <summary>Then retries scheduled later, the queue free meanwhile (a gateway down for a while). After the last: a dead letter.</summary>
    public string Scheduled { get; set; } = "00:02:00,00:10:00,01:00:00";

    public static TimeSpan[] Parse(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => TimeSpan.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>
/// Wolverine in every CaseFlow process that sends commands — the API host and the command line alike (issue 15):
/// Balanced durability over the database (nodes, envelopes and dead letters in <c>cf_wolverine</c>), durable local
/// queues, handler code generated ahead (<c>codegen write</c>) and loaded as is.
/// </summary>
public static class Messaging
{
    public const string NotificationsQueue = "notifications";

    /// <summary>The notification gateway: the recording sender unless <c>CaseFlow:Notifications:Gateway:Url</c> names an HTTP one.</summary>
    public static IServiceCollection AddCaseFlowNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var gateway = configuration.GetSection("CaseFlow:Notifications:Gateway").Get<NotificationGatewayOptions>() ?? new NotificationGatewayOptions();
        if (gateway.Url is { } url)
        {
            services.AddHttpClient<INotificationSender, HttpNotificationSender>(http =>
            {
                http.BaseAddress = url;
                http.Timeout = gateway.Timeout;
            });
        }
        services.TryAddSingleton<INotificationSender, RecordingNotificationSender>();
        return services;
    }

    /// <summary>
    /// How quickly a dead node's work moves (README "Background work"): heartbeats every 2 s, a node silent for 12 s is
    /// stale, the leader re-checks assignments every 5 s, a stopping node drains for at most 8 s (below the stale limit,
    /// or its peers would run what it is still finishing). Measured takeover after SIGKILL: ThreeHostTests.
    /// </summary>
    public static readonly TimeSpan StaleNodeTimeout = TimeSpan.FromSeconds(12);

    /// <param name="leadershipEligible">false for the command line: a short-lived process never leads the cluster.</param>
    public static void Configure(WolverineOptions opts, IConfiguration configuration, bool leadershipEligible = true)
    {
        opts.ServiceName = "caseflow";
        // Generated handler code lives in this assembly (src/CaseFlow.Api/Internal/Generated), the handlers in Persistence.
        opts.ApplicationAssembly = typeof(Messaging).Assembly;
        opts.Discovery.IncludeAssembly(typeof(OutboxMessage).Assembly);
        opts.Durability.Mode = DurabilityMode.Balanced;
        opts.Durability.LeadershipEligible = leadershipEligible;
        opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(2);
        opts.Durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        opts.Durability.StaleNodeTimeout = StaleNodeTimeout;
        opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(5);
        opts.Durability.DrainTimeout = TimeSpan.FromSeconds(8);
        opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(2);
        opts.Policies.UseDurableLocalQueues();
        // Wolverine 6 ships no runtime compiler: its handler code is generated ahead and loaded as is; CI fails when
        // `codegen write` would change it (.ci/run).
        opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Static;

        // Due actions the sweeper found (CaseSweeper, issue 15): several at once, conflicts retried by their handler.
        opts.PublishMessage<CaseFlow.Persistence.DueCaseAction>().ToLocalQueue(CaseFlow.Persistence.DueCaseActionHandler.Queue);
        opts.LocalQueue(CaseFlow.Persistence.DueCaseActionHandler.Queue).MaximumParallelMessages(4);

        opts.PublishMessage<OutboxMessage>().ToLocalQueue(NotificationsQueue);
        opts.LocalQueue(NotificationsQueue).MaximumParallelMessages(4);
        var retry = configuration.GetSection("CaseFlow:Notifications:Retry").Get<NotificationRetryOptions>() ?? new NotificationRetryOptions();
        // A refusal retrying cannot mend (a 4xx) goes to the dead letters at once, for the administrator.
        opts.OnException<NotificationGatewayException>(e => e.Permanent).MoveToErrorQueue();
        // Every other failure of any message (a gateway down; for a due action, the database away) is retried so, then
        // parked as a dead letter; a due action's lost race has its own quicker rule (DueCaseActionHandler.Configure).
        var policy = opts.OnException<Exception>().RetryWithCooldown(NotificationRetryOptions.Parse(retry.Cooldowns));
        if (NotificationRetryOptions.Parse(retry.Scheduled) is { Length: > 0 } later)
            policy.Then.ScheduleRetry(later).Then.MoveToErrorQueue();
        else
            policy.Then.MoveToErrorQueue();
    }
}
