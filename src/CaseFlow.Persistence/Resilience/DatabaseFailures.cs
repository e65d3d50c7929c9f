using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseFlow.Persistence.Resilience;

/// <summary>
/// What a failure was, told without its message (issue 13): PostgreSQL's message text, detail and context may
/// quote the data that failed (a name, an ID number, a phone), so logs, traces and health reports carry only the
/// exception type, the SQLSTATE and the constraint.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>The database cannot be reached or refuses connections now: the request may be retried later (503).</summary>
    public static bool IsUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                        || pg.SqlState is "57P01" or "57P02" or "57P03" // admin / crash shutdown, cannot connect now
                            or "53300" or "53400"; // too many connections, configuration limit
                case NpgsqlException when x.InnerException is null or SocketException or IOException or TimeoutException or EndOfStreamException:
                    return true;
                case SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>A one-line description safe for logs and traces: types, SQLSTATE, constraint — never a message.</summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.InnerException)
        {
            parts.Add(x switch
            {
                PostgresException pg => $"PostgresException SQLSTATE {pg.SqlState}" + (pg.ConstraintName is { Length: > 0 } c ? $" constraint {c}" : "") + (pg.TableName is { Length: > 0 } t ? $" table {t}" : ""),
                SocketException s => $"SocketException {s.SocketErrorCode}",
                _ => x.GetType().Name,
            });
        }
        return string.Join(" <- ", parts);
    }

    /// <summary>
    /// Why something failed, for an operator's status page: a database error (also one wrapped by Marten) only by its
    /// types and SQLSTATE — its text may quote the data —, CaseFlow's own exceptions with their message.
    /// </summary>
    public static string Why(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException || x.GetType().Namespace?.StartsWith("Marten", StringComparison.Ordinal) == true
                || x.GetType().Namespace?.StartsWith("JasperFx", StringComparison.Ordinal) == true || x.GetType().Namespace?.StartsWith("Weasel", StringComparison.Ordinal) == true)
                return Describe(e);
        }
        var innermost = e;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        return $"{innermost.GetType().Name}: {innermost.Message}";
    }

    /// <summary>Where it happened: the stack frames of the outermost exception (no message, no data).</summary>
    public static string Frames(Exception e) => e.StackTrace ?? "";
}

/// <summary>
/// One warning when the database goes away and one line when it is back — not a stack trace per request or per
/// retry (issue 13). Every part of the host reports here: the HTTP failure handler, the background workers, the
/// health check.
/// </summary>
public sealed class DatabaseOutage(ILogger<DatabaseOutage> logger, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;

    public bool InOutage
    {
        get
        {
            lock (_gate)
                return _since is not null;
        }
    }

    public void ReportUnavailable(Exception e)
    {
        lock (_gate)
        {
            if (_since is not null)
                return;
            _since = clock.GetUtcNow();
        }
        logger.LogWarning("PostgreSQL is unavailable ({Failure}); requests get 503 and background work retries until it is back", DatabaseFailures.Describe(e));
    }

    public void ReportAvailable()
    {
        DateTimeOffset since;
        lock (_gate)
        {
            if (_since is not { } s)
                return;
            since = s;
            _since = null;
        }
        logger.LogInformation("PostgreSQL is available again (unavailable for {Seconds:0} s)", (clock.GetUtcNow() - since).TotalSeconds);
    }
}

/// <summary>The state of one background worker as /health/ready reports it.</summary>
public sealed record WorkerStatus(string Name, DateTimeOffset? LastSuccessAt, int ConsecutiveFailures, string? LastFailure, DateTimeOffset? LastFailureAt, double NextRetrySeconds, long Passes = 0);

/// <summary>
/// Background work keeps going (issue 13): each worker reports its passes here; a failing one backs off
/// (1, 2, 4 … at most 10 s), logs a failure once per streak (never its message), and shows in /health/ready.
/// </summary>
public sealed class BackgroundHealth(DatabaseOutage outage, ILogger<BackgroundHealth> logger, TimeProvider clock)
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, WorkerStatus> _workers = new();

    public IReadOnlyList<WorkerStatus> Workers => _workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();

    public void Succeeded(string worker)
    {
        _workers.AddOrUpdate(worker, w => new WorkerStatus(w, clock.GetUtcNow(), 0, null, null, 0, 1),
            (w, before) => new WorkerStatus(w, clock.GetUtcNow(), 0, null, null, 0, before.Passes + 1));
        outage.ReportAvailable();
    }

    /// <summary>Records a failed pass and returns how long to wait before the next.</summary>
    public TimeSpan Failed(string worker, Exception e)
    {
        var before = _workers.GetValueOrDefault(worker);
        var failures = (before?.ConsecutiveFailures ?? 0) + 1;
        var wait = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 10))));
        _workers[worker] = new WorkerStatus(worker, before?.LastSuccessAt, failures, DatabaseFailures.Describe(e), clock.GetUtcNow(), wait.TotalSeconds, before?.Passes ?? 0);
        if (DatabaseFailures.IsUnavailable(e))
            outage.ReportUnavailable(e);
        else if (failures == 1)
            logger.LogError("Background worker {Worker} failed ({Failure}); it retries with back-off\n{Frames}", worker, DatabaseFailures.Describe(e), DatabaseFailures.Frames(e));
        return wait;
    }
}

/// <summary>
/// A logger for libraries that log exceptions themselves (Marten's daemon retries and logs a stack trace per poll
/// while the database is away): an outage goes to <see cref="DatabaseOutage"/> once, and any other exception is
/// logged by its types, SQLSTATE and frames — never its message, which may quote data (issue 13).
/// </summary>
public sealed class SafeLogger(ILogger inner, DatabaseOutage outage) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is null)
        {
            inner.Log(logLevel, eventId, state, null, formatter);
            return;
        }
        if (DatabaseFailures.IsUnavailable(exception))
        {
            outage.ReportUnavailable(exception);
            return;
        }
        inner.Log(logLevel, eventId, "{Message} ({Failure})\n{Frames}", formatter(state, null), DatabaseFailures.Describe(exception), DatabaseFailures.Frames(exception));
    }
}
