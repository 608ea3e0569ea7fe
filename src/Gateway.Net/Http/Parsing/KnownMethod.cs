namespace Gateway.Net.Http.Parsing;

/// <summary>Request methods the gateway recognises without comparing bytes again; any other token is <see cref="Custom"/>.</summary>
internal enum KnownMethod : byte
{
    Custom,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Options,
    Patch,
    Trace,
    Connect,
}

internal static class KnownMethods
{
    public static ReadOnlySpan<byte> Get => "GET"u8;
    public static ReadOnlySpan<byte> Head => "HEAD"u8;
    public static ReadOnlySpan<byte> Post => "POST"u8;
    public static ReadOnlySpan<byte> Put => "PUT"u8;
    public static ReadOnlySpan<byte> Delete => "DELETE"u8;
    public static ReadOnlySpan<byte> Options => "OPTIONS"u8;
    public static ReadOnlySpan<byte> Patch => "PATCH"u8;
    public static ReadOnlySpan<byte> Trace => "TRACE"u8;
    public static ReadOnlySpan<byte> Connect => "CONNECT"u8;

    /// <summary>Methods are case-sensitive (RFC 9110 section 9.1), so this is an exact match.</summary>
    public static KnownMethod Classify(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual(Get) => KnownMethod.Get,
        3 when method.SequenceEqual(Put) => KnownMethod.Put,
        4 when method.SequenceEqual(Post) => KnownMethod.Post,
        4 when method.SequenceEqual(Head) => KnownMethod.Head,
        5 when method.SequenceEqual(Patch) => KnownMethod.Patch,
        5 when method.SequenceEqual(Trace) => KnownMethod.Trace,
        6 when method.SequenceEqual(Delete) => KnownMethod.Delete,
        7 when method.SequenceEqual(Options) => KnownMethod.Options,
        7 when method.SequenceEqual(Connect) => KnownMethod.Connect,
        _ => KnownMethod.Custom,
    };

    public static ReadOnlySpan<byte> GetName(KnownMethod method) => method switch
    {
        KnownMethod.Get => Get,
        KnownMethod.Head => Head,
        KnownMethod.Post => Post,
        KnownMethod.Put => Put,
        KnownMethod.Delete => Delete,
        KnownMethod.Options => Options,
        KnownMethod.Patch => Patch,
        KnownMethod.Trace => Trace,
        KnownMethod.Connect => Connect,
        _ => default,
    };
}
