namespace Gateway.Net.Http.Parsing;

/// <summary>The connection options found in <c>Connection</c> headers that the codec acts on.</summary>
[Flags]
internal enum ConnectionOptions : byte
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,
}
