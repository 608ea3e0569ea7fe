using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Gateway.Hosting.Authentication;

/// <summary>Finds the secret key (SK) paired with an access key (AK).</summary>
internal delegate bool SdkSecretLookup(string accessKey, [NotNullWhen(true)] out string? secretKey);

/// <summary>
/// Verifies Huawei APIG <c>SDK-HMAC-SHA256</c> request signatures (the App-auth / AK-SK scheme) against raw request parts,
/// independent of any HTTP stack. Signatures from every official SDK family are accepted: the standard canonical form
/// is tried first and the nodejs form (<see cref="SdkCanonicalForm.AsSent"/>) only when it could differ.
/// </summary>
internal static class SdkSignatureVerifier
{
    /// <summary>The largest accepted difference between the server clock and <c>X-Sdk-Date</c>, as documented by APIG.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>Verifies one request.</summary>
    /// <param name="method">The HTTP method as sent.</param>
    /// <param name="rawPath">The path as sent on the wire, still percent-encoded, without the query.</param>
    /// <param name="rawQuery">The query string as sent, without the leading '?'.</param>
    /// <param name="headers">The request headers, including <c>Authorization</c>.</param>
    /// <param name="body">The raw body bytes; ignored when <c>X-Sdk-Content-Sha256</c> is sent.</param>
    /// <param name="findSecret">Maps the access key to its secret key.</param>
    /// <param name="now">The current server time.</param>
    /// <param name="maxClockSkew">The largest accepted |now - X-Sdk-Date|.</param>
    public static SdkVerificationResult Verify<THeaders>(
        ReadOnlySpan<char> method,
        ReadOnlySpan<char> rawPath,
        ReadOnlySpan<char> rawQuery,
        THeaders headers,
        ReadOnlySpan<byte> body,
        SdkSecretLookup findSecret,
        DateTimeOffset now,
        TimeSpan maxClockSkew)
        where THeaders : ISdkHeaderLookup
    {
        var authorizationValues = headers.GetValues(SdkSignature.AuthorizationHeaderName);
        if (authorizationValues.Count == 0 || !SdkSignature.IsSdkAuthorization(authorizationValues[0]))
        {
            return new(SdkVerificationStatus.Missing);
        }

        if (authorizationValues.Count > 1
            || !SdkSignature.TryParseAuthorization(authorizationValues[0], out var authorization)
            || !TryCheckSignedHeaderNames(authorization.SignedHeaders, out var dateIsSigned))
        {
            return new(SdkVerificationStatus.Malformed);
        }

        var accessKey = authorization.AccessKey.ToString();
        if (!dateIsSigned)
        {
            return new(SdkVerificationStatus.DateNotSigned, accessKey);
        }

        // Every signed header must be present; checked before any hashing.
        var signedValueHasOuterWhitespace = false;
        foreach (var range in authorization.SignedHeaders.Split(';'))
        {
            var name = authorization.SignedHeaders[range].ToString();
            var values = headers.GetValues(name);
            if (values.Count == 0)
            {
                return new(SdkVerificationStatus.MissingSignedHeader, accessKey, HeaderName: name);
            }

            for (var i = 0; i < values.Count; i++)
            {
                signedValueHasOuterWhitespace |= HasOuterWhitespace(values[i]);
            }
        }

        var sdkDate = headers.GetValues(SdkSignature.DateHeaderName)[0].AsSpan().Trim();
        if (!SdkSignature.TryParseDate(sdkDate, out var signedAt))
        {
            return new(SdkVerificationStatus.InvalidDate, accessKey);
        }

        if (!findSecret(accessKey, out var secret))
        {
            return new(SdkVerificationStatus.UnknownAccessKey, accessKey, signedAt);
        }

        if ((now - signedAt).Duration() > maxClockSkew)
        {
            return new(SdkVerificationStatus.Expired, accessKey, signedAt);
        }

        Span<char> bodyHash = stackalloc char[SdkSignature.HexDigestLength];
        var contentSha256 = headers.GetValues(SdkSignature.ContentSha256HeaderName);
        scoped ReadOnlySpan<char> payloadHash;
        if (contentSha256.Count > 0)
        {
            payloadHash = contentSha256[0].AsSpan().Trim();
        }
        else
        {
            SdkSignature.WriteHexSha256(body, bodyHash);
            payloadHash = bodyHash;
        }

        Span<byte> presented = stackalloc byte[SdkSignature.DigestLength];
        Convert.FromHexString(authorization.Signature, presented, out _, out _);

        var matches = SignatureMatches(
            SdkCanonicalForm.Standard, method, rawPath, rawQuery, authorization.SignedHeaders, headers, payloadHash, secret, sdkDate, presented);

        // The nodejs form differs only for paths with escapes or header values with outer whitespace; only then can it match.
        if (!matches && (signedValueHasOuterWhitespace || rawPath.Contains('%')))
        {
            matches = SignatureMatches(
                SdkCanonicalForm.AsSent, method, rawPath, rawQuery, authorization.SignedHeaders, headers, payloadHash, secret, sdkDate, presented);
        }

        return matches
            ? new(SdkVerificationStatus.Ok, accessKey, signedAt)
            : new(SdkVerificationStatus.SignatureMismatch, accessKey, signedAt);
    }

    private static bool SignatureMatches<THeaders>(
        SdkCanonicalForm form,
        ReadOnlySpan<char> method,
        ReadOnlySpan<char> rawPath,
        ReadOnlySpan<char> rawQuery,
        ReadOnlySpan<char> signedHeaders,
        THeaders headers,
        ReadOnlySpan<char> payloadHash,
        string secret,
        ReadOnlySpan<char> sdkDate,
        ReadOnlySpan<byte> presented)
        where THeaders : ISdkHeaderLookup
    {
        var canonicalRequest = new PooledByteBuilder(256 + (3 * (rawPath.Length + rawQuery.Length)));
        try
        {
            if (!SdkSignature.TryAppendCanonicalRequest(
                    ref canonicalRequest, form, method, rawPath, rawQuery, signedHeaders, headers, payloadHash, out _))
            {
                return false;
            }

            Span<byte> expected = stackalloc byte[SdkSignature.DigestLength];
            SdkSignature.ComputeSignature(secret, sdkDate, canonicalRequest.WrittenSpan, expected);
            return CryptographicOperations.FixedTimeEquals(expected, presented);
        }
        finally
        {
            canonicalRequest.Dispose();
        }
    }

    private static bool HasOuterWhitespace(string value) =>
        value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));

    /// <summary>Rejects empty names (<c>a;;b</c>) and reports whether <c>x-sdk-date</c> is among the names.</summary>
    private static bool TryCheckSignedHeaderNames(ReadOnlySpan<char> signedHeaders, out bool dateIsSigned)
    {
        dateIsSigned = false;
        foreach (var range in signedHeaders.Split(';'))
        {
            var name = signedHeaders[range];
            if (name.IsEmpty || name.ContainsAny(' ', '\t', ':'))
            {
                return false;
            }

            dateIsSigned |= name.Equals(SdkSignature.DateHeaderName, StringComparison.OrdinalIgnoreCase);
        }

        return true;
    }
}

/// <summary>Outcome of <see cref="SdkSignatureVerifier.Verify"/>.</summary>
internal enum SdkVerificationStatus
{
    /// <summary>The signature is valid.</summary>
    Ok,

    /// <summary>No <c>SDK-HMAC-SHA256</c> Authorization header.</summary>
    Missing,

    /// <summary>The Authorization header does not parse, or its SignedHeaders list is invalid.</summary>
    Malformed,

    /// <summary><c>x-sdk-date</c> is not among the signed headers.</summary>
    DateNotSigned,

    /// <summary><c>X-Sdk-Date</c> is not in the <c>yyyyMMddTHHmmssZ</c> format.</summary>
    InvalidDate,

    /// <summary>A header named in SignedHeaders is absent from the request.</summary>
    MissingSignedHeader,

    /// <summary>No secret is configured for the access key.</summary>
    UnknownAccessKey,

    /// <summary><c>X-Sdk-Date</c> is further from the server time than the allowed skew.</summary>
    Expired,

    /// <summary>The signature does not match the request.</summary>
    SignatureMismatch,
}

/// <summary>Result of a signature verification.</summary>
/// <param name="Status">Whether the request is accepted and, if not, why.</param>
/// <param name="AccessKey">The access key named by the request, once the Authorization header parsed.</param>
/// <param name="SignedAt">The parsed <c>X-Sdk-Date</c>, once known.</param>
/// <param name="HeaderName">The signed header missing from the request, for <see cref="SdkVerificationStatus.MissingSignedHeader"/>.</param>
internal readonly record struct SdkVerificationResult(
    SdkVerificationStatus Status,
    string? AccessKey = null,
    DateTimeOffset? SignedAt = null,
    string? HeaderName = null)
{
    public bool IsValid => Status == SdkVerificationStatus.Ok;
}
