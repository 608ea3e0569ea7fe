using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Net.Tests.DataPlane.Security;

/// <summary>
/// An SDK-HMAC-SHA256 signer written from the algorithm's description (peer-gateways.md §5), string by string, sharing
/// nothing with the production code, so the two can check each other.
/// </summary>
internal static class ReferenceSigner
{
    /// <summary>
    /// Signs a request and returns it with <c>X-Sdk-Date</c> (when absent) and <c>Authorization</c> added. Signs every
    /// header given. <paramref name="nodejs"/> signs like the nodejs SDK: path encoded as sent, values untrimmed.
    /// </summary>
    public static SignedRequest Sign(SignedRequest request, string accessKey, string secret, DateTimeOffset date, bool nodejs = false)
    {
        if (request.Header("X-Sdk-Date") is null)
        {
            request = request.WithHeader("X-Sdk-Date", date.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        }

        var names = request.Headers.Select(h => h.Key.ToLowerInvariant()).Where(n => n != "authorization").Distinct().Order(StringComparer.Ordinal).ToList();
        return request.WithHeader("Authorization", Authorization(request, names, accessKey, secret, nodejs));
    }

    public static string Authorization(SignedRequest request, IReadOnlyList<string> signedNames, string accessKey, string secret, bool nodejs)
    {
        var canonical = new StringBuilder();
        canonical.Append(request.Method).Append('\n');
        canonical.Append(Path(request.RawPath, nodejs)).Append('\n');
        canonical.Append(Query(request.RawQuery)).Append('\n');
        foreach (var name in signedNames)
        {
            var values = request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(h => nodejs ? h.Value : h.Value.Trim())
                .OrderBy(v => v, StringComparer.Ordinal);
            foreach (var value in values)
            {
                canonical.Append(name).Append(':').Append(value).Append('\n');
            }
        }

        canonical.Append('\n').Append(string.Join(';', signedNames)).Append('\n');
        canonical.Append(request.Header("X-Sdk-Content-Sha256")?.Trim() ?? Hex(SHA256.HashData(request.Body)));

        var date = request.Header("X-Sdk-Date")!;
        var toSign = "SDK-HMAC-SHA256\n" + date + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        var signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(toSign)));
        return $"SDK-HMAC-SHA256 Access={accessKey}, SignedHeaders={string.Join(';', signedNames)}, Signature={signature}";
    }

    /// <summary>Decode (or not), split on '/', encode each segment, and end with '/'.</summary>
    private static string Path(string rawPath, bool asSent)
    {
        var segments = (asSent ? Encoding.UTF8.GetBytes(rawPath) : Unescape(rawPath)).AsSpan();
        var result = new StringBuilder();
        foreach (var b in segments)
        {
            result.Append(b == '/' ? "/" : Escape([b]));
        }

        var text = result.ToString();
        return text.EndsWith('/') ? text : text + "/";
    }

    private static string Query(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = new List<(byte[] Key, byte[] Value)>();
        foreach (var pair in rawQuery.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? [] : Unescape(pair[(equals + 1)..]);
            if (key.Length > 0)
            {
                pairs.Add((key, value));
            }
        }

        pairs.Sort((a, b) =>
        {
            var byKey = a.Key.AsSpan().SequenceCompareTo(b.Key);
            return byKey != 0 ? byKey : a.Value.AsSpan().SequenceCompareTo(b.Value);
        });
        return string.Join('&', pairs.Select(p => Escape(p.Key) + "=" + Escape(p.Value)));
    }

    /// <summary>%XX becomes its byte; everything else (including '+' and a stray '%') is kept as UTF-8.</summary>
    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        var raw = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]) && Uri.IsHexDigit((char)raw[i + 2]))
            {
                bytes.Add(byte.Parse(Encoding.ASCII.GetString(raw, i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return [.. bytes];
    }

    private static string Escape(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            var c = (char)b;
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' ? c.ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
