namespace Gateway.Net.Http.Parsing;

/// <summary>What the header fields of one head say about framing and connection reuse, collected as fields arrive.</summary>
internal struct MessageFramingHeaders
{
    public bool HasContentLength;
    public long ContentLength;
    public bool HasTransferEncoding;
    public bool IsChunked;
    public int HostCount;
    public ConnectionOptions Connection;
    public bool ExpectContinue;
    public bool HasUpgrade;

    public RequestRejection Observe(KnownHeader header, ReadOnlySpan<byte> value)
    {
        switch (header)
        {
            case KnownHeader.ContentLength:
                // Two Content-Length fields are refused even when equal: the simplest rule two parsers cannot disagree on.
                if (HasContentLength)
                {
                    return RequestRejection.MultipleContentLength;
                }

                if (!Http1Syntax.TryParseContentLength(value, out ContentLength))
                {
                    return RequestRejection.InvalidContentLength;
                }

                HasContentLength = true;
                return RequestRejection.None;

            case KnownHeader.TransferEncoding:
                HasTransferEncoding = true;
                return Http1Syntax.ParseTransferEncoding(value, ref IsChunked);

            case KnownHeader.Host:
                if (++HostCount > 1)
                {
                    return RequestRejection.MultipleHost;
                }

                return value.ContainsAny(HttpCharacters.InvalidInHost) ? RequestRejection.InvalidHost : RequestRejection.None;

            case KnownHeader.Connection:
                Connection |= Http1Syntax.ParseConnection(value);
                return RequestRejection.None;

            case KnownHeader.Expect:
                ExpectContinue |= System.Text.Ascii.EqualsIgnoreCase(value, KnownHeaders.ContinueExpectation);
                return RequestRejection.None;

            case KnownHeader.Upgrade:
                HasUpgrade = true;
                return RequestRejection.None;

            default:
                return RequestRejection.None;
        }
    }
}
