namespace FgcReturns.TestSupport;

/// <summary>A clock tests can set and move.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public void Set(DateTimeOffset value) => now = value;

    public void Advance(TimeSpan by) => now += by;
}
