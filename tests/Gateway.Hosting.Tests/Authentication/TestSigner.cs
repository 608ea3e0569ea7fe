using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Hosting.Tests.Authentication;

/// <summary>
/// A deliberately plain, string-based SDK-HMAC-SHA256 signer written straight from the algorithm description, kept
/// separate from the production verifier so the two can check each other.
/// </summary>
internal static class TestSigner
{
    public const string Algorithm = "SDK-HMAC-SHA256";

    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Builds the Authorization header value for a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path as it will be sent, percent-encoded.</param>
    /// <param name="rawQuery">The query as it will be sent, without '?'.</param>
    /// <param name="headers">All request headers, including X-Sdk-Date and host.</param>
    /// <param name="signedHeaderNames">Which headers to sign; lower-cased and sorted here.</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="accessKey">The AK.</param>
    /// <param name="secretKey">The SK.</param>
    /// <param name="nodejsStyle">Sign like the nodejs SDK: the path is encoded as sent, without decoding it first, and header values are not trimmed.</param>
    public static string Sign(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        IEnumerable<string> signedHeaderNames,
        byte[] body,
        string accessKey,
        string secretKey,
        bool nodejsStyle = false)
    {
        var names = signedHeaderNames.Select(n => n.ToLowerInvariant()).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(";", names);
        var canonicalRequest = CanonicalRequest(method, rawPath, rawQuery, headers, names, body, nodejsStyle);
        var date = headers.First(h => h.Key.Equals("X-Sdk-Date", StringComparison.OrdinalIgnoreCase)).Value;
        var stringToSign = $"{Algorithm}\n{date}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Access={accessKey}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string CanonicalRequest(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        IReadOnlyList<string> signedHeaderNames,
        byte[] body,
        bool nodejsStyle)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(rawPath, encodePathAsSent: nodejsStyle)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaderNames)
        {
            var values = headers
                .Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(h => nodejsStyle ? h.Value : h.Value.Trim())
                .OrderBy(v => v, StringComparer.Ordinal);
            foreach (var value in values)
            {
                builder.Append(name).Append(':').Append(value).Append('\n');
            }
        }

        builder.Append('\n');
        builder.Append(string.Join(";", signedHeaderNames)).Append('\n');
        var contentSha = headers.FirstOrDefault(h => h.Key.Equals("X-Sdk-Content-Sha256", StringComparison.OrdinalIgnoreCase));
        builder.Append(contentSha.Key is not null ? contentSha.Value.Trim() : Hex(SHA256.HashData(body)));
        return builder.ToString();
    }

    public static string CanonicalUri(string rawPath, bool encodePathAsSent)
    {
        var path = encodePathAsSent ? rawPath : Uri.UnescapeDataString(rawPath);
        var uri = string.Join("/", path.Split('/').Select(Encode));
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var pair in rawQuery.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key.Length > 0)
            {
                pairs.Add((key, value));
            }
        }

        return string.Join("&", pairs
            .OrderBy(p => p.Key, Utf8ByteOrder.Instance)
            .ThenBy(p => p.Value, Utf8ByteOrder.Instance)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
    }

    /// <summary>RFC 3986: unreserved characters stay, every other UTF-8 byte becomes %XX with upper-case hex.</summary>
    public static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private sealed class Utf8ByteOrder : IComparer<string>
    {
        public static readonly Utf8ByteOrder Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
