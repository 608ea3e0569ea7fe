namespace Gateway.Net.Routing;

/// <summary>The methods APIs can be defined for, as small indexes for per-method tables.</summary>
internal static class HttpMethods
{
    public const int Count = 7;

    /// <summary>Index of a known method (case-sensitive, as HTTP methods are), or -1.</summary>
    public static int IndexOf(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => 0,
        3 when method.SequenceEqual("PUT"u8) => 2,
        4 when method.SequenceEqual("POST"u8) => 1,
        4 when method.SequenceEqual("HEAD"u8) => 4,
        5 when method.SequenceEqual("PATCH"u8) => 5,
        6 when method.SequenceEqual("DELETE"u8) => 3,
        7 when method.SequenceEqual("OPTIONS"u8) => 6,
        _ => -1,
    };
}
