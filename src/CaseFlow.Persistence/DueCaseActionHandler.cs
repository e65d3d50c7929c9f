using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace CaseFlow.Persistence;

/// <summary>
/// Runs a due action from the durable local queue <c>case-actions</c> (issue 15), several at once. A lost race with
/// another command on the case is retried within a second, then later, instead of waiting for the next scan; what
/// still fails lands in the dead letters for the administrator.
/// </summary>
public static class DueCaseActionHandler
{
    public const string Queue = "case-actions";

    public static void Configure(HandlerChain chain) =>
        chain.OnException<DueActionConflictException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.MoveToErrorQueue();

    public static async Task Handle(DueCaseAction action, CaseSweeper sweeper, SweepBacklog backlog, CancellationToken ct)
    {
        try
        {
            await sweeper.ExecuteAsync(action, context: null, throwOnConflict: true, ct);
        }
        finally
        {
            backlog.Tried(action); // a failed try too: its retries go on without holding the next scan back
        }
    }
}
