using System.Globalization;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// An injected clock read from a file holding one ISO 8601 instant (<c>CaseFlow:Clock:File</c>, Development only):
/// how a test moves the time of several host processes at once (ThreeHostTests) — standing still between moves,
/// never the machine's clock. The file is re-read at most every 50 ms; an unreadable file keeps the last instant.
/// </summary>
public sealed class FileClock : TimeProvider
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private DateTimeOffset _now;
    private long _readAt;

    public FileClock(string path)
    {
        _path = path;
        _now = Read() ?? throw new InvalidOperationException($"CaseFlow:Clock:File: {path} holds no ISO 8601 instant");
        _readAt = Environment.TickCount64;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        if (Environment.TickCount64 - Volatile.Read(ref _readAt) < 50)
            return _now;
        lock (_gate)
        {
            if (Read() is { } now)
                _now = now;
            Volatile.Write(ref _readAt, Environment.TickCount64);
            return _now;
        }
    }

    private DateTimeOffset? Read()
    {
        try
        {
            return DateTimeOffset.TryParse(File.ReadAllText(_path).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime()
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
