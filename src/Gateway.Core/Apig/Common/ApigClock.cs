using System.Globalization;

namespace Gateway.Apig.Common;

/// <summary>Timestamps and IDs in the documented wire forms.</summary>
internal static class ApigClock
{
    /// <summary>RFC 3339 with fractional seconds and Z, e.g. <c>2020-07-31T06:55:55.3831692Z</c>.</summary>
    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A new 32-character lowercase hex ID.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");
}
