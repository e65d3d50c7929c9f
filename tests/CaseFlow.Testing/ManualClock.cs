namespace CaseFlow.Testing;

/// <summary>An injected clock the test moves by hand: no sleeps, ever.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public static ManualClock At(string isoInstant) => new(DateTimeOffset.Parse(isoInstant, global::System.Globalization.CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to.ToUniversalTime();
}
