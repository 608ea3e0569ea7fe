namespace Gateway.Apig.Authorizers;

/// <summary>
/// Where an authorizer lives. The document addresses FunctionGraph functions by URN; this library calls authorizers
/// over HTTP, so an absolute <c>http://</c> or <c>https://</c> URL is the callable form. URNs are accepted and stored
/// as they are for compatibility, but the data plane cannot call them.
/// </summary>
internal static class AuthorizerAddress
{
    /// <summary>The longest address accepted (the document prints no limit; URLs rarely need more).</summary>
    public const int MaxLength = 2048;

    /// <summary>Whether <paramref name="address"/> is an absolute http(s) URL with a host and no fragment.</summary>
    public static bool TryGetUrl(string? address, out Uri url)
    {
        url = null!;
        if (string.IsNullOrEmpty(address) ||
            !Uri.TryCreate(address, UriKind.Absolute, out var parsed) ||
            (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(parsed.Host) ||
            address.Contains('#', StringComparison.Ordinal) ||
            ContainsWhitespace(address))
        {
            return false;
        }

        url = parsed;
        return true;
    }

    /// <summary>A FunctionGraph URN such as <c>urn:fss:region:project:function:package:name[:version]</c>.</summary>
    public static bool IsUrn(string address)
    {
        if (!address.StartsWith("urn:", StringComparison.Ordinal) || address.Length == 4 || ContainsWhitespace(address))
        {
            return false;
        }

        foreach (var part in address.Split(':'))
        {
            if (part.Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValid(string address) => TryGetUrl(address, out _) || IsUrn(address);

    /// <summary>
    /// The URL the data plane calls: the alias address wins when both are set (as the document says of alias URNs);
    /// null when the effective address is a URN.
    /// </summary>
    public static Uri? CallTarget(Authorizer authorizer)
    {
        var address = authorizer.AuthorizerAliasUri ?? authorizer.AuthorizerUri;
        return TryGetUrl(address, out var url) ? url : null;
    }

    private static bool ContainsWhitespace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
