using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Net.Security;

namespace Gateway.Hosting.Authentication;

/// <summary>
/// The HTTP-stack-independent parts of the Huawei APIG <c>SDK-HMAC-SHA256</c> algorithm for string-typed requests:
/// Authorization parsing, canonical request construction and the HMAC over the string to sign. The byte-level
/// canonicalisation and the HMAC are the data plane's <see cref="SdkSigning"/>; this class adapts ASP.NET Core's
/// strings to it.
/// </summary>
internal static class SdkSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string AuthorizationHeaderName = "Authorization";
    public const string DateHeaderName = "X-Sdk-Date";
    public const string ContentSha256HeaderName = "X-Sdk-Content-Sha256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Length of a SHA-256 digest and therefore of a signature, in bytes.</summary>
    public const int DigestLength = 32;

    /// <summary>Length of a digest written as hex.</summary>
    public const int HexDigestLength = 64;


    /// <summary>Returns true when the header announces this algorithm, whether or not the rest is well formed.</summary>
    public static bool IsSdkAuthorization(ReadOnlySpan<char> authorization) =>
        authorization.TrimStart().StartsWith(Algorithm, StringComparison.Ordinal);

    /// <summary>
    /// Parses <c>SDK-HMAC-SHA256 Access=ak, SignedHeaders=a;b, Signature=hex</c>. Whitespace after each comma is
    /// optional; the signature must be 64 lower-case hex digits.
    /// </summary>
    public static bool TryParseAuthorization(ReadOnlySpan<char> authorization, out SdkAuthorization parsed)
    {
        parsed = default;
        var rest = authorization.Trim();
        if (!rest.StartsWith(Algorithm, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[Algorithm.Length..];
        var trimmed = rest.TrimStart();
        if (trimmed.Length == rest.Length)
        {
            return false; // the algorithm must be followed by whitespace
        }

        if (!TryTakeParameter(ref trimmed, "Access=", requireComma: true, out var accessKey)
            || !TryTakeParameter(ref trimmed, "SignedHeaders=", requireComma: true, out var signedHeaders)
            || !TryTakeParameter(ref trimmed, "Signature=", requireComma: false, out var signature))
        {
            return false;
        }

        if (signature.Length != HexDigestLength || signature.ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        parsed = new SdkAuthorization(accessKey, signedHeaders, signature);
        return true;
    }

    /// <summary>Parses an <c>X-Sdk-Date</c> value such as <c>20230527T000431Z</c> (UTC).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);

    /// <summary>Formats a time the way signers write <c>X-Sdk-Date</c>.</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Appends the whole canonical request:
    /// <c>Method\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHexPayloadHash</c>.
    /// Returns false, with <paramref name="missingHeader"/> set, when a signed header is absent from the request.
    /// </summary>
    /// <param name="destination">Receives the UTF-8 canonical request.</param>
    /// <param name="form">Which SDK family's canonicalisation to apply.</param>
    /// <param name="method">The HTTP method as sent.</param>
    /// <param name="rawPath">The path as sent on the wire, still percent-encoded.</param>
    /// <param name="rawQuery">The query string as sent, without the leading '?'.</param>
    /// <param name="signedHeaders">The SignedHeaders list taken verbatim from the Authorization header.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="hexPayloadHash">The lower-hex SHA-256 of the body, or the X-Sdk-Content-Sha256 value.</param>
    /// <param name="missingHeader">The first signed header missing from the request.</param>
    public static bool TryAppendCanonicalRequest<THeaders>(
        ref PooledByteBuilder destination,
        SdkCanonicalForm form,
        ReadOnlySpan<char> method,
        ReadOnlySpan<char> rawPath,
        ReadOnlySpan<char> rawQuery,
        ReadOnlySpan<char> signedHeaders,
        THeaders headers,
        ReadOnlySpan<char> hexPayloadHash,
        out string? missingHeader)
        where THeaders : ISdkHeaderLookup
    {
        destination.AppendUtf8(method);
        destination.Append((byte)'\n');
        AppendCanonicalUri(ref destination, rawPath, decodeFirst: form == SdkCanonicalForm.Standard);
        destination.Append((byte)'\n');
        AppendCanonicalQueryString(ref destination, rawQuery);
        destination.Append((byte)'\n');
        if (!TryAppendCanonicalHeaders(ref destination, signedHeaders, headers, trimValues: form == SdkCanonicalForm.Standard, out missingHeader))
        {
            return false;
        }

        destination.Append((byte)'\n');
        destination.AppendUtf8(signedHeaders);
        destination.Append((byte)'\n');
        destination.AppendUtf8(hexPayloadHash);
        return true;
    }

    /// <summary>
    /// Appends the canonical URI: each '/'-separated segment RFC 3986-encoded with upper-case hex, always ending in '/'.
    /// With <paramref name="decodeFirst"/> the path is percent-decoded before encoding, otherwise it is encoded as sent.
    /// The path is taken as UTF-8 and canonicalised by the data plane's <see cref="SdkSigning"/>, so management and
    /// data plane share one implementation.
    /// </summary>
    public static void AppendCanonicalUri(ref PooledByteBuilder destination, ReadOnlySpan<char> rawPath, bool decodeFirst)
    {
        var capacity = Encoding.UTF8.GetMaxByteCount(rawPath.Length);
        byte[]? rented = null;
        Span<byte> pathBytes = capacity <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            var length = Encoding.UTF8.GetBytes(rawPath, pathBytes);
            var target = destination.GetSpan(SdkSigning.MaxCanonicalUriLength(length));
            destination.Advance(SdkSigning.WriteCanonicalUri(pathBytes[..length], decodeFirst, target));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Appends the canonical query string: pairs split on '&amp;' then the first '=', percent-decoded ('+' stays '+'),
    /// empty keys dropped, sorted by key then value in byte order, re-encoded and joined with '&amp;'.
    /// </summary>
    public static void AppendCanonicalQueryString(ref PooledByteBuilder destination, ReadOnlySpan<char> rawQuery)
    {
        if (rawQuery.IsEmpty)
        {
            return;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(rawQuery.Length));
        var decoded = ArrayPool<byte>.Shared.Rent(raw.Length);
        SdkQueryPair[]? pairs = null;
        try
        {
            var query = raw.AsSpan(0, Encoding.UTF8.GetBytes(rawQuery, raw));
            pairs = ArrayPool<SdkQueryPair>.Shared.Rent(SdkSigning.QueryPairCapacity(query));
            var target = destination.GetSpan(SdkSigning.MaxCanonicalQueryLength(query.Length));
            destination.Advance(SdkSigning.WriteCanonicalQuery(query, target, decoded, pairs));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(decoded);
            if (pairs is not null)
            {
                ArrayPool<SdkQueryPair>.Shared.Return(pairs);
            }
        }
    }

    /// <summary>
    /// Appends <c>name:value\n</c> for every name of <paramref name="signedHeaders"/>, in the order given, the value
    /// trimmed when <paramref name="trimValues"/>. A header sent several times contributes one line per value, values
    /// sorted ordinally.
    /// </summary>
    public static bool TryAppendCanonicalHeaders<THeaders>(
        ref PooledByteBuilder destination,
        ReadOnlySpan<char> signedHeaders,
        THeaders headers,
        bool trimValues,
        out string? missingHeader)
        where THeaders : ISdkHeaderLookup
    {
        foreach (var range in signedHeaders.Split(';'))
        {
            var name = signedHeaders[range];
            var nameText = name.ToString();
            var values = headers.GetValues(nameText);
            if (values.Count == 0)
            {
                missingHeader = nameText;
                return false;
            }

            if (values.Count == 1)
            {
                AppendHeaderLine(ref destination, name, trimValues ? values[0].AsSpan().Trim() : values[0]);
                continue;
            }

            var sortedValues = new string[values.Count];
            for (var i = 0; i < sortedValues.Length; i++)
            {
                sortedValues[i] = trimValues ? values[i].Trim() : values[i];
            }

            Array.Sort(sortedValues, StringComparer.Ordinal);
            foreach (var value in sortedValues)
            {
                AppendHeaderLine(ref destination, name, value);
            }
        }

        missingHeader = null;
        return true;
    }

    /// <summary>Writes the lower-hex SHA-256 of <paramref name="data"/> into 64 chars.</summary>
    public static void WriteHexSha256(ReadOnlySpan<byte> data, Span<char> destination)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        SHA256.HashData(data, digest);
        Convert.TryToHexStringLower(digest, destination, out _);
    }

    /// <summary>
    /// Computes <c>HMAC-SHA256(UTF-8(secret), "SDK-HMAC-SHA256\n{date}\n{hex SHA-256(canonical request)}")</c>
    /// into 32 bytes; its lower-hex form is the <c>Signature=</c> value.
    /// </summary>
    public static void ComputeSignature(
        ReadOnlySpan<char> secret,
        ReadOnlySpan<char> sdkDate,
        ReadOnlySpan<byte> canonicalRequest,
        Span<byte> signature)
    {
        var keyCapacity = Encoding.UTF8.GetMaxByteCount(secret.Length);
        var dateCapacity = Encoding.UTF8.GetMaxByteCount(sdkDate.Length);
        byte[]? rentedKey = null;
        byte[]? rentedDate = null;
        Span<byte> keyBuffer = keyCapacity <= 256 ? stackalloc byte[256] : (rentedKey = ArrayPool<byte>.Shared.Rent(keyCapacity));
        Span<byte> dateBuffer = dateCapacity <= 128 ? stackalloc byte[128] : (rentedDate = ArrayPool<byte>.Shared.Rent(dateCapacity));
        try
        {
            var key = keyBuffer[..Encoding.UTF8.GetBytes(secret, keyBuffer)];
            var date = dateBuffer[..Encoding.UTF8.GetBytes(sdkDate, dateBuffer)];
            SdkSigning.ComputeSignature(key, date, canonicalRequest, signature);
            CryptographicOperations.ZeroMemory(key);
        }
        finally
        {
            if (rentedKey is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedKey);
            }

            if (rentedDate is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedDate);
            }
        }
    }

    /// <summary>The canonical URI as a string; for diagnostics and tests.</summary>
    public static string CanonicalUri(ReadOnlySpan<char> rawPath, bool decodeFirst)
    {
        var builder = new PooledByteBuilder(rawPath.Length * 3 + 1);
        try
        {
            AppendCanonicalUri(ref builder, rawPath, decodeFirst);
            return Encoding.ASCII.GetString(builder.WrittenSpan);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The canonical query string as a string; for diagnostics and tests.</summary>
    public static string CanonicalQueryString(ReadOnlySpan<char> rawQuery)
    {
        var builder = new PooledByteBuilder(rawQuery.Length * 3);
        try
        {
            AppendCanonicalQueryString(ref builder, rawQuery);
            return Encoding.ASCII.GetString(builder.WrittenSpan);
        }
        finally
        {
            builder.Dispose();
        }
    }

    private static void AppendHeaderLine(ref PooledByteBuilder destination, ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        destination.AppendUtf8(name);
        destination.Append((byte)':');
        destination.AppendUtf8(value);
        destination.Append((byte)'\n');
    }

    private static bool TryTakeParameter(scoped ref ReadOnlySpan<char> rest, string prefix, bool requireComma, out ReadOnlySpan<char> value)
    {
        value = default;
        if (!rest.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[prefix.Length..];
        var comma = rest.IndexOf(',');
        if (requireComma)
        {
            if (comma <= 0)
            {
                return false;
            }

            value = rest[..comma].Trim();
            rest = rest[(comma + 1)..].TrimStart();
        }
        else
        {
            if (comma >= 0)
            {
                return false;
            }

            value = rest.Trim();
            rest = [];
        }

        return !value.IsEmpty;
    }
}

/// <summary>How official signers of each SDK family canonicalise a request; they differ only in these two details.</summary>
internal enum SdkCanonicalForm
{
    /// <summary>C#, Python and Go SDKs: the path is percent-decoded before each segment is encoded; header values are trimmed.</summary>
    Standard,

    /// <summary>nodejs SDK: the path is encoded as sent (an escaped <c>%20</c> becomes <c>%2520</c>); header values are used untrimmed.</summary>
    AsSent,
}

/// <summary>The three parameters of an <c>SDK-HMAC-SHA256</c> Authorization header, as slices of the header value.</summary>
internal readonly ref struct SdkAuthorization(ReadOnlySpan<char> accessKey, ReadOnlySpan<char> signedHeaders, ReadOnlySpan<char> signature)
{
    public ReadOnlySpan<char> AccessKey { get; } = accessKey;

    public ReadOnlySpan<char> SignedHeaders { get; } = signedHeaders;

    public ReadOnlySpan<char> Signature { get; } = signature;
}
