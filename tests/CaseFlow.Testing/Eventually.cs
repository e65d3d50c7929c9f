using System.Diagnostics;

namespace CaseFlow.Testing;

/// <summary>
/// Waits for what another process or a background queue does (Wolverine delivering a message, a node taking
/// over): polls the condition until it holds, failing with <paramref name="what"/> after the limit. Never a fixed sleep.
/// </summary>
public static class Eventually
{
    public static Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        TrueAsync(condition, () => what, within);

    /// <summary>As above, <paramref name="what"/> describing the state when the wait failed.</summary>
    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(20);
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what()}");
            await Task.Delay(50);
        }
        return watch.Elapsed;
    }
}
