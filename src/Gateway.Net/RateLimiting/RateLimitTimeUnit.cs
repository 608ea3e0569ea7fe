namespace Gateway.Net.RateLimiting;

/// <summary>The <c>time_unit</c> of a throttling policy; the window is <c>time_interval</c> of these.</summary>
internal enum RateLimitTimeUnit
{
    Second,
    Minute,
    Hour,
    Day,
}

internal static class RateLimitTimeUnitExtensions
{
    public static long ToSeconds(this RateLimitTimeUnit unit) => unit switch
    {
        RateLimitTimeUnit.Second => 1,
        RateLimitTimeUnit.Minute => 60,
        RateLimitTimeUnit.Hour => 3_600,
        RateLimitTimeUnit.Day => 86_400,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };
}
