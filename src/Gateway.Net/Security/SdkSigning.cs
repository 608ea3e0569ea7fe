using System.Security.Cryptography;

namespace Gateway.Net.Security;

/// <summary>
/// The byte-level core of Huawei's <c>SDK-HMAC-SHA256</c> signature (peer-gateways.md §5): canonical URI, canonical
/// query string, header lines, the Authorization header's parts, the date and the HMAC over the string to sign. Every
/// verifier in the project (the management API and the data plane) canonicalises through these methods. Nothing here
/// allocates: callers hand in destinations sized with the <c>Max…</c> helpers.
/// </summary>
internal static class SdkSigning
{
    /// <summary>Length of a SHA-256 digest and therefore of a signature, in bytes.</summary>
    public const int DigestLength = 32;

    /// <summary>Length of a digest written as hex.</summary>
    public const int HexDigestLength = 64;

    /// <summary>Length of an <c>X-Sdk-Date</c> value such as <c>20230527T000431Z</c>.</summary>
    public const int DateLength = 16;

    public static ReadOnlySpan<byte> Algorithm => "SDK-HMAC-SHA256"u8;

    /// <summary>The payload hash of an empty body.</summary>
    public static ReadOnlySpan<byte> EmptyBodyHash => "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"u8;

    private static ReadOnlySpan<byte> UpperHex => "0123456789ABCDEF"u8;

    /// <summary>The most bytes <see cref="WriteCanonicalUri"/> writes for a path of <paramref name="rawLength"/> bytes.</summary>
    public static int MaxCanonicalUriLength(int rawLength) => (3 * rawLength) + 1;

    /// <summary>The most bytes <see cref="WriteCanonicalQuery"/> writes for a query of <paramref name="rawLength"/> bytes.</summary>
    public static int MaxCanonicalQueryLength(int rawLength) => 3 * rawLength;

    /// <summary>How many pairs a query can hold: one more than its '&amp;' count.</summary>
    public static int QueryPairCapacity(ReadOnlySpan<byte> rawQuery) => rawQuery.Count((byte)'&') + 1;

    /// <summary>True when the header value announces this algorithm, whether or not the rest is well formed.</summary>
    public static bool IsSdkAuthorization(ReadOnlySpan<byte> authorization) =>
        authorization[System.Text.Ascii.Trim(authorization)].StartsWith(Algorithm);

    /// <summary>
    /// Parses <c>SDK-HMAC-SHA256 Access=ak, SignedHeaders=a;b, Signature=hex</c> into ranges of
    /// <paramref name="authorization"/>. Whitespace after each comma is optional; the signature must be 64 lower-case
    /// hex digits; every signed header name must be non-empty and free of spaces, tabs and colons.
    /// </summary>
    public static bool TryParseAuthorization(ReadOnlySpan<byte> authorization, out SdkAuthorizationRanges parsed)
    {
        parsed = default;
        var trim = System.Text.Ascii.Trim(authorization);
        var offset = trim.Start.GetOffset(authorization.Length);
        var rest = authorization[trim];
        if (!rest.StartsWith(Algorithm))
        {
            return false;
        }

        var afterAlgorithm = Algorithm.Length;
        var position = afterAlgorithm;
        while (position < rest.Length && rest[position] is (byte)' ' or (byte)'\t')
        {
            position++;
        }

        if (position == afterAlgorithm)
        {
            return false; // the algorithm must be followed by whitespace
        }

        if (!TakeParameter(rest, ref position, "Access="u8, requireComma: true, out var access)
            || !TakeParameter(rest, ref position, "SignedHeaders="u8, requireComma: true, out var signedHeaders)
            || !TakeParameter(rest, ref position, "Signature="u8, requireComma: false, out var signature))
        {
            return false;
        }

        var signatureBytes = rest.Slice(signature.Start, signature.Length);
        if (signatureBytes.Length != HexDigestLength || signatureBytes.ContainsAnyExcept("0123456789abcdef"u8))
        {
            return false;
        }

        var names = rest.Slice(signedHeaders.Start, signedHeaders.Length);
        foreach (var range in names.Split((byte)';'))
        {
            var name = names[range];
            if (name.IsEmpty || name.IndexOfAny(" \t:"u8) >= 0)
            {
                return false;
            }
        }

        parsed = new SdkAuthorizationRanges(
            (offset + access.Start, access.Length),
            (offset + signedHeaders.Start, signedHeaders.Length),
            (offset + signature.Start, signature.Length));
        return true;
    }

    /// <summary>Whether a SignedHeaders list (<c>a;b;c</c>) names <paramref name="name"/> (ASCII case-insensitive).</summary>
    public static bool ListsHeader(ReadOnlySpan<byte> signedHeaders, ReadOnlySpan<byte> name)
    {
        foreach (var range in signedHeaders.Split((byte)';'))
        {
            if (System.Text.Ascii.EqualsIgnoreCase(signedHeaders[range], name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses <c>yyyyMMddTHHmmssZ</c> (UTC) exactly, with a valid calendar date and time.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> value, out DateTimeOffset date)
    {
        date = default;
        if (value.Length != DateLength || value[8] != (byte)'T' || value[15] != (byte)'Z')
        {
            return false;
        }

        if (!TryDigits(value[..4], out var year) || !TryDigits(value.Slice(4, 2), out var month) || !TryDigits(value.Slice(6, 2), out var day) ||
            !TryDigits(value.Slice(9, 2), out var hour) || !TryDigits(value.Slice(11, 2), out var minute) || !TryDigits(value.Slice(13, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        date = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    /// <summary>Writes <paramref name="date"/> as <c>yyyyMMddTHHmmssZ</c> (UTC) into 16 bytes.</summary>
    public static void FormatDate(DateTimeOffset date, Span<byte> destination)
    {
        var utc = date.UtcDateTime;
        WriteDigits(destination[..4], utc.Year);
        WriteDigits(destination.Slice(4, 2), utc.Month);
        WriteDigits(destination.Slice(6, 2), utc.Day);
        destination[8] = (byte)'T';
        WriteDigits(destination.Slice(9, 2), utc.Hour);
        WriteDigits(destination.Slice(11, 2), utc.Minute);
        WriteDigits(destination.Slice(13, 2), utc.Second);
        destination[15] = (byte)'Z';
    }

    /// <summary>
    /// Writes the canonical URI: each '/'-separated segment RFC 3986-encoded with upper-case hex, always ending in '/'.
    /// With <paramref name="decodeFirst"/> (C#, Python, Go signers) escapes are decoded before encoding (a '%' not
    /// followed by two hex digits stays literal); without it (nodejs) the path is encoded as sent. Returns the length.
    /// </summary>
    public static int WriteCanonicalUri(ReadOnlySpan<byte> rawPath, bool decodeFirst, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < rawPath.Length)
        {
            var value = rawPath[i];
            if (decodeFirst && value == (byte)'%' && i + 2 < rawPath.Length && IsHex(rawPath[i + 1]) && IsHex(rawPath[i + 2]))
            {
                value = (byte)((HexValue(rawPath[i + 1]) << 4) | HexValue(rawPath[i + 2]));
                i += 3;
            }
            else
            {
                i++;
            }

            written += WriteEncoded(value, keepSlash: true, destination[written..]);
        }

        if (written == 0 || destination[written - 1] != (byte)'/')
        {
            destination[written++] = (byte)'/';
        }

        return written;
    }

    /// <summary>
    /// Writes the canonical query string: pairs split on '&amp;' then the first '=', percent-decoded ('+' stays '+'),
    /// empty keys dropped, sorted by key then value in byte order, re-encoded and joined with '&amp;'.
    /// <paramref name="decoded"/> needs <c>rawQuery.Length</c> bytes and <paramref name="pairs"/>
    /// <see cref="QueryPairCapacity"/> entries. Returns the length written.
    /// </summary>
    public static int WriteCanonicalQuery(ReadOnlySpan<byte> rawQuery, Span<byte> destination, Span<byte> decoded, Span<SdkQueryPair> pairs)
    {
        if (rawQuery.IsEmpty)
        {
            return 0;
        }

        var used = 0;
        var count = 0;
        foreach (var range in rawQuery.Split((byte)'&'))
        {
            var pair = rawQuery[range];
            var equals = pair.IndexOf((byte)'=');
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? [] : pair[(equals + 1)..];
            var keyLength = PercentDecode(key, decoded[used..]);
            if (keyLength == 0)
            {
                continue;
            }

            var valueLength = PercentDecode(value, decoded[(used + keyLength)..]);
            pairs[count++] = new SdkQueryPair(used, keyLength, used + keyLength, valueLength);
            used += keyLength + valueLength;
        }

        // Few pairs in practice: an insertion sort needs no comparer object and no allocation.
        var sorted = pairs[..count];
        for (var i = 1; i < sorted.Length; i++)
        {
            var current = sorted[i];
            var j = i - 1;
            while (j >= 0 && Compare(decoded, sorted[j], current) > 0)
            {
                sorted[j + 1] = sorted[j];
                j--;
            }

            sorted[j + 1] = current;
        }

        var written = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                destination[written++] = (byte)'&';
            }

            var pair = sorted[i];
            written += WriteEncoded(decoded.Slice(pair.KeyStart, pair.KeyLength), keepSlash: false, destination[written..]);
            destination[written++] = (byte)'=';
            written += WriteEncoded(decoded.Slice(pair.ValueStart, pair.ValueLength), keepSlash: false, destination[written..]);
        }

        return written;
    }

    /// <summary>Writes <c>name:value\n</c>; returns the length (<c>name.Length + value.Length + 2</c>).</summary>
    public static int WriteHeaderLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        name.CopyTo(destination);
        destination[name.Length] = (byte)':';
        value.CopyTo(destination[(name.Length + 1)..]);
        destination[name.Length + 1 + value.Length] = (byte)'\n';
        return name.Length + value.Length + 2;
    }

    /// <summary>The most bytes <see cref="WriteStringToSign"/> writes for a date of <paramref name="dateLength"/> bytes.</summary>
    public static int StringToSignLength(int dateLength) => Algorithm.Length + 1 + dateLength + 1 + HexDigestLength;

    /// <summary>
    /// Writes <c>SDK-HMAC-SHA256\n{date}\n{lower-hex canonicalHash}</c>, the string to sign, given the SHA-256 of the
    /// canonical request; returns its length (<see cref="StringToSignLength"/>).
    /// </summary>
    public static int WriteStringToSign(ReadOnlySpan<byte> date, ReadOnlySpan<byte> canonicalHash, Span<byte> destination)
    {
        var length = 0;
        Algorithm.CopyTo(destination);
        length += Algorithm.Length;
        destination[length++] = (byte)'\n';
        date.CopyTo(destination[length..]);
        length += date.Length;
        destination[length++] = (byte)'\n';
        WriteLowerHex(canonicalHash, destination.Slice(length, HexDigestLength));
        return length + HexDigestLength;
    }

    /// <summary>
    /// Computes <c>HMAC-SHA256(secret, "SDK-HMAC-SHA256\n{date}\n{hex SHA-256(canonical request)}")</c> into 32 bytes;
    /// its lower-hex form is the <c>Signature=</c> value.
    /// </summary>
    public static void ComputeSignature(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> date, ReadOnlySpan<byte> canonicalRequest, Span<byte> signature)
    {
        var needed = StringToSignLength(date.Length);
        byte[]? rented = null;
        var stringToSign = needed <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(needed));
        Span<byte> canonicalHash = stackalloc byte[DigestLength];
        SHA256.HashData(canonicalRequest, canonicalHash);
        var length = WriteStringToSign(date, canonicalHash, stringToSign);
        HMACSHA256.HashData(secret, stringToSign[..length], signature);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes bytes as lower-case hex (two bytes per input byte).</summary>
    public static void WriteLowerHex(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var digits = "0123456789abcdef"u8;
        for (var i = 0; i < data.Length; i++)
        {
            destination[2 * i] = digits[data[i] >> 4];
            destination[(2 * i) + 1] = digits[data[i] & 0xF];
        }
    }

    /// <summary>Parses 64 lower-hex digits into 32 bytes (the caller has checked the digits).</summary>
    public static void ParseLowerHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)((HexValue(hex[2 * i]) << 4) | HexValue(hex[(2 * i) + 1]));
        }
    }

    private static bool TakeParameter(ReadOnlySpan<byte> text, ref int position, ReadOnlySpan<byte> prefix, bool requireComma, out (int Start, int Length) value)
    {
        value = default;
        if (!text[position..].StartsWith(prefix))
        {
            return false;
        }

        var start = position + prefix.Length;
        var rest = text[start..];
        var comma = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> raw;
        if (requireComma)
        {
            if (comma <= 0)
            {
                return false;
            }

            raw = rest[..comma];
            position = start + comma + 1;
            while (position < text.Length && text[position] is (byte)' ' or (byte)'\t')
            {
                position++;
            }
        }
        else
        {
            if (comma >= 0)
            {
                return false;
            }

            raw = rest;
            position = text.Length;
        }

        var trim = System.Text.Ascii.Trim(raw);
        var (offset, length) = trim.GetOffsetAndLength(raw.Length);
        value = (start + offset, length);
        return length > 0;
    }

    /// <summary>Percent-decodes bytes; '+' stays; a '%' without two hex digits after it stays literal.</summary>
    private static int PercentDecode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < source.Length)
        {
            if (source[i] == (byte)'%' && i + 2 < source.Length && IsHex(source[i + 1]) && IsHex(source[i + 2]))
            {
                destination[written++] = (byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2]));
                i += 3;
            }
            else
            {
                destination[written++] = source[i++];
            }
        }

        return written;
    }

    private static int WriteEncoded(ReadOnlySpan<byte> bytes, bool keepSlash, Span<byte> destination)
    {
        var written = 0;
        foreach (var value in bytes)
        {
            written += WriteEncoded(value, keepSlash, destination[written..]);
        }

        return written;
    }

    private static int WriteEncoded(byte value, bool keepSlash, Span<byte> destination)
    {
        if (IsUnreserved(value) || (keepSlash && value == (byte)'/'))
        {
            destination[0] = value;
            return 1;
        }

        destination[0] = (byte)'%';
        destination[1] = UpperHex[value >> 4];
        destination[2] = UpperHex[value & 0xF];
        return 3;
    }

    private static int Compare(ReadOnlySpan<byte> decoded, SdkQueryPair x, SdkQueryPair y)
    {
        var byKey = decoded.Slice(x.KeyStart, x.KeyLength).SequenceCompareTo(decoded.Slice(y.KeyStart, y.KeyLength));
        return byKey != 0 ? byKey : decoded.Slice(x.ValueStart, x.ValueLength).SequenceCompareTo(decoded.Slice(y.ValueStart, y.ValueLength));
    }

    private static bool IsUnreserved(byte value) =>
        value is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    private static bool IsHex(byte value) => char.IsAsciiHexDigit((char)value);

    private static int HexValue(byte value) => value switch
    {
        >= (byte)'0' and <= (byte)'9' => value - '0',
        >= (byte)'a' and <= (byte)'f' => value - 'a' + 10,
        _ => value - 'A' + 10,
    };

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }

    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}

/// <summary>One decoded query pair, as ranges into the decode buffer.</summary>
internal readonly record struct SdkQueryPair(int KeyStart, int KeyLength, int ValueStart, int ValueLength);

/// <summary>Where the three parameters of an <c>SDK-HMAC-SHA256</c> Authorization value are, as (start, length) ranges.</summary>
internal readonly record struct SdkAuthorizationRanges((int Start, int Length) AccessKey, (int Start, int Length) SignedHeaders, (int Start, int Length) Signature);
