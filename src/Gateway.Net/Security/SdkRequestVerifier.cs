using System.Security.Cryptography;
using Gateway.Net.DataPlane;

namespace Gateway.Net.Security;

/// <summary>Why an <c>SDK-HMAC-SHA256</c> request was refused, or <see cref="Ok"/>.</summary>
internal enum SdkCheck : byte
{
    Ok,

    /// <summary>No Authorization header announcing <c>SDK-HMAC-SHA256</c>.</summary>
    Missing,

    /// <summary>The Authorization header does not parse, is repeated, or its SignedHeaders list is invalid.</summary>
    Malformed,

    /// <summary><c>x-sdk-date</c> is not among the signed headers.</summary>
    DateNotSigned,

    /// <summary><c>X-Sdk-Date</c> is absent or not <c>yyyyMMddTHHmmssZ</c>.</summary>
    InvalidDate,

    /// <summary>A header named in SignedHeaders is absent from the request.</summary>
    MissingSignedHeader,

    /// <summary>No credential is known for the access key.</summary>
    UnknownAccessKey,

    /// <summary><c>X-Sdk-Date</c> is further from the server time than the allowed skew.</summary>
    Expired,

    /// <summary>The signature does not match the request.</summary>
    Mismatch,
}

/// <summary>The parts of a signed request the verifier needs, as ranges into the request head (valid across awaits).</summary>
internal struct SdkRequestSignature
{
    public ByteRange AccessKey;
    public ByteRange SignedHeaders;
    public ByteRange Signature;
    public ByteRange Date;

    /// <summary>The <c>X-Sdk-Content-Sha256</c> value (e.g. <c>UNSIGNED-PAYLOAD</c>); empty when the header is absent.</summary>
    public ByteRange ContentSha256;

    public DateTimeOffset SignedAt;
}

/// <summary>
/// Verifies <c>SDK-HMAC-SHA256</c> signatures of requests held in a <see cref="RequestHead"/>, canonicalising through
/// <see cref="SdkSigning"/>. One per connection: the canonical-request buffer and the query scratch grow to the
/// largest request seen and are reused, so verifying allocates nothing in steady state.
/// </summary>
internal sealed class SdkRequestVerifier
{
    private byte[] _canonical = new byte[1024];
    private byte[] _decoded = new byte[256];
    private SdkQueryPair[] _pairs = new SdkQueryPair[16];
    private int[] _valueIndexes = new int[8];

    // One-shot hashing sets up a native context per call; these are set up once and reused. The HMAC is keyed with
    // the secret it was last used for (compared by reference: compiled secrets never change), so a keep-alive
    // connection of one caller re-keys only when the caller or the snapshot changes.
    private IncrementalHash? _sha256;
    private IncrementalHash? _hmac;
    private byte[]? _hmacSecret;

    /// <summary>
    /// Finds and parses the Authorization header and <c>X-Sdk-Date</c>, and notes <c>X-Sdk-Content-Sha256</c>.
    /// Checks only the form of the request; the caller looks up the key, the clock and then <see cref="Verify"/>.
    /// </summary>
    public static SdkCheck TryRead(RequestHead head, out SdkRequestSignature signature)
    {
        signature = default;
        var authorization = default(HeaderEntry);
        var authorizationCount = 0;
        var contentSha = default(ByteRange);
        foreach (var header in head.Headers)
        {
            var name = head[header.Name];
            if (name.Length == 13 && System.Text.Ascii.EqualsIgnoreCase(name, "Authorization"u8))
            {
                authorization = header;
                authorizationCount++;
            }
            else if (name.Length == 20 && System.Text.Ascii.EqualsIgnoreCase(name, "X-Sdk-Content-Sha256"u8) && contentSha.IsEmpty)
            {
                contentSha = Trimmed(head, header.Value);
            }
        }

        if (authorizationCount == 0 || !SdkSigning.IsSdkAuthorization(head[authorization.Value]))
        {
            return SdkCheck.Missing;
        }

        if (authorizationCount > 1 || !SdkSigning.TryParseAuthorization(head[authorization.Value], out var ranges))
        {
            return SdkCheck.Malformed;
        }

        var start = authorization.Value.Start;
        signature.AccessKey = new ByteRange(start + ranges.AccessKey.Start, ranges.AccessKey.Length);
        signature.SignedHeaders = new ByteRange(start + ranges.SignedHeaders.Start, ranges.SignedHeaders.Length);
        signature.Signature = new ByteRange(start + ranges.Signature.Start, ranges.Signature.Length);
        signature.ContentSha256 = contentSha;
        if (!SdkSigning.ListsHeader(head[signature.SignedHeaders], "x-sdk-date"u8))
        {
            return SdkCheck.DateNotSigned;
        }

        if (!TryFindHeader(head, "X-Sdk-Date"u8, out var date))
        {
            return SdkCheck.MissingSignedHeader;
        }

        signature.Date = Trimmed(head, date);
        return SdkSigning.TryParseDate(head[signature.Date], out signature.SignedAt) ? SdkCheck.Ok : SdkCheck.InvalidDate;
    }

    /// <summary>Whether the signing time is within <paramref name="maxSkew"/> of <paramref name="now"/>, either way.</summary>
    public static bool IsFresh(in SdkRequestSignature signature, DateTimeOffset now, TimeSpan maxSkew) =>
        (now - signature.SignedAt).Duration() <= maxSkew;

    /// <summary>
    /// Checks the signature against <paramref name="secret"/>. <paramref name="payloadHash"/> is the lower-hex SHA-256
    /// of the body; it is ignored when the request carries <c>X-Sdk-Content-Sha256</c>. The standard canonical form is
    /// tried first and the nodejs form only when it could differ (escapes in the path, untrimmed signed values).
    /// </summary>
    public SdkCheck Verify(RequestHead head, in SdkRequestSignature signature, byte[] secret, ReadOnlySpan<byte> payloadHash)
    {
        if (!signature.ContentSha256.IsEmpty)
        {
            payloadHash = head[signature.ContentSha256];
        }

        var signedHeaders = head[signature.SignedHeaders];
        var headerBytes = 0;
        var untrimmed = false;
        foreach (var range in signedHeaders.Split((byte)';'))
        {
            var name = signedHeaders[range];
            var found = false;
            foreach (var header in head.Headers)
            {
                if (header.Name.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(head[header.Name], name))
                {
                    found = true;
                    headerBytes += name.Length + header.Value.Length + 2;
                    var value = head[header.Value];
                    untrimmed |= value.Length > 0 && (IsSpace(value[0]) || IsSpace(value[^1]));
                }
            }

            if (!found)
            {
                return SdkCheck.MissingSignedHeader;
            }
        }

        Span<byte> presented = stackalloc byte[SdkSigning.DigestLength];
        SdkSigning.ParseLowerHex(head[signature.Signature], presented);
        if (Matches(head, signature, secret, payloadHash, headerBytes, decodeFirst: true, trimValues: true, presented))
        {
            return SdkCheck.Ok;
        }

        var path = head[head.Path];
        if ((path.Contains((byte)'%') || untrimmed) &&
            Matches(head, signature, secret, payloadHash, headerBytes, decodeFirst: false, trimValues: false, presented))
        {
            return SdkCheck.Ok;
        }

        return SdkCheck.Mismatch;
    }

    private bool Matches(
        RequestHead head,
        in SdkRequestSignature signature,
        byte[] secret,
        ReadOnlySpan<byte> payloadHash,
        int headerBytes,
        bool decodeFirst,
        bool trimValues,
        ReadOnlySpan<byte> presented)
    {
        var method = head[head.MethodName];
        var path = head[head.Path];
        var query = head[head.Query];
        if (!query.IsEmpty && query[0] == (byte)'?')
        {
            query = query[1..];
        }

        var signedHeaders = head[signature.SignedHeaders];
        var capacity = method.Length + 1 + SdkSigning.MaxCanonicalUriLength(path.Length) + 1 + SdkSigning.MaxCanonicalQueryLength(query.Length) + 1 +
            headerBytes + 1 + signedHeaders.Length + 1 + payloadHash.Length;
        if (_canonical.Length < capacity)
        {
            _canonical = new byte[Math.Max(capacity, _canonical.Length * 2)];
        }

        if (_decoded.Length < query.Length)
        {
            _decoded = new byte[Math.Max(query.Length, _decoded.Length * 2)];
        }

        var pairCount = SdkSigning.QueryPairCapacity(query);
        if (_pairs.Length < pairCount)
        {
            _pairs = new SdkQueryPair[Math.Max(pairCount, _pairs.Length * 2)];
        }

        var buffer = _canonical.AsSpan();
        var length = 0;
        method.CopyTo(buffer);
        length += method.Length;
        buffer[length++] = (byte)'\n';
        length += SdkSigning.WriteCanonicalUri(path, decodeFirst, buffer[length..]);
        buffer[length++] = (byte)'\n';
        length += SdkSigning.WriteCanonicalQuery(query, buffer[length..], _decoded, _pairs);
        buffer[length++] = (byte)'\n';
        foreach (var range in signedHeaders.Split((byte)';'))
        {
            length += WriteHeaderLines(head, signedHeaders[range], trimValues, buffer[length..]);
        }

        buffer[length++] = (byte)'\n';
        signedHeaders.CopyTo(buffer[length..]);
        length += signedHeaders.Length;
        buffer[length++] = (byte)'\n';
        payloadHash.CopyTo(buffer[length..]);
        length += payloadHash.Length;

        var date = head[signature.Date];
        if (date.Length != SdkSigning.DateLength)
        {
            return false; // TryRead accepted only yyyyMMddTHHmmssZ
        }

        _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> digest = stackalloc byte[SdkSigning.DigestLength];
        _sha256.AppendData(buffer[..length]);
        _sha256.GetHashAndReset(digest);
        Span<byte> stringToSign = stackalloc byte[SdkSigning.StringToSignLength(SdkSigning.DateLength)];
        var signLength = SdkSigning.WriteStringToSign(date, digest, stringToSign);
        if (!ReferenceEquals(_hmacSecret, secret))
        {
            _hmac?.Dispose();
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            _hmacSecret = secret;
        }

        _hmac!.AppendData(stringToSign[..signLength]);
        _hmac.GetHashAndReset(digest);
        return CryptographicOperations.FixedTimeEquals(digest, presented);
    }

    /// <summary>One <c>name:value\n</c> line per value of the header; several values are sorted in byte order.</summary>
    private int WriteHeaderLines(RequestHead head, ReadOnlySpan<byte> name, bool trimValues, Span<byte> destination)
    {
        var count = 0;
        var headers = head.Headers;
        for (var i = 0; i < headers.Length; i++)
        {
            if (headers[i].Name.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(head[headers[i].Name], name))
            {
                if (count == _valueIndexes.Length)
                {
                    Array.Resize(ref _valueIndexes, count * 2);
                }

                _valueIndexes[count++] = i;
            }
        }

        var indexes = _valueIndexes.AsSpan(0, count);
        for (var i = 1; i < indexes.Length; i++)
        {
            var current = indexes[i];
            var j = i - 1;
            while (j >= 0 && Value(head, headers[indexes[j]], trimValues).SequenceCompareTo(Value(head, headers[current], trimValues)) > 0)
            {
                indexes[j + 1] = indexes[j];
                j--;
            }

            indexes[j + 1] = current;
        }

        var written = 0;
        foreach (var index in indexes)
        {
            written += SdkSigning.WriteHeaderLine(name, Value(head, headers[index], trimValues), destination[written..]);
        }

        return written;
    }

    private static ReadOnlySpan<byte> Value(RequestHead head, HeaderEntry header, bool trim)
    {
        var value = head[header.Value];
        return trim ? value[System.Text.Ascii.Trim(value)] : value;
    }

    private static bool TryFindHeader(RequestHead head, ReadOnlySpan<byte> name, out ByteRange value)
    {
        foreach (var header in head.Headers)
        {
            if (header.Name.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(head[header.Name], name))
            {
                value = header.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static ByteRange Trimmed(RequestHead head, ByteRange range)
    {
        var (offset, length) = System.Text.Ascii.Trim(head[range]).GetOffsetAndLength(range.Length);
        return new ByteRange(range.Start + offset, length);
    }

    private static bool IsSpace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';
}
