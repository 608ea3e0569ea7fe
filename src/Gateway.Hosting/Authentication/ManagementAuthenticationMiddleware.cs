using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Hosting.Authentication;

/// <summary>
/// Authenticates management API calls with an <c>X-Auth-Token</c> or an <c>SDK-HMAC-SHA256</c> signature and answers
/// 401 with an APIG error body otherwise. Runs before model binding, so a signed body is verified before anything
/// reads it, and is rewound for the endpoint.
/// </summary>
internal sealed class ManagementAuthenticationMiddleware
{
    public const string TokenHeaderName = "X-Auth-Token";

    private const string TokenMissingCode = "APIG.1000";
    private const string TokenMissingMessage = "Token missing. Log in again or try again later.";
    private const string AuthenticationFailedCode = "APIG.1002";
    private const string IncorrectTokenMessage = "Incorrect token or token resolution failed.";

    private static readonly JsonWriterOptions ErrorJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RequestDelegate _next;
    private readonly IOptions<ManagementAuthenticationOptions> _options;
    private readonly TimeProvider _timeProvider;

    public ManagementAuthenticationMiddleware(
        RequestDelegate next,
        IOptions<ManagementAuthenticationOptions> options,
        TimeProvider? timeProvider = null)
    {
        _next = next;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var failure = await AuthenticateAsync(context);
        if (failure is { } error)
        {
            await WriteErrorAsync(context.Response, error.Code, error.Message);
            return;
        }

        await _next(context);
    }

    /// <summary>Returns null when the request is authenticated, otherwise the error to answer with.</summary>
    private ValueTask<AuthenticationError?> AuthenticateAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var options = _options.Value;

        // A token, when sent, decides on its own: a wrong token is not rescued by a signature.
        // An empty header counts as absent, as some clients and servers drop empty fields.
        var tokens = headers[TokenHeaderName];
        if (!StringValues.IsNullOrEmpty(tokens))
        {
            AuthenticationError? tokenResult = tokens.Count == 1 && IsAcceptedToken(tokens[0], options.Tokens)
                ? null
                : new AuthenticationError(AuthenticationFailedCode, IncorrectTokenMessage);
            return ValueTask.FromResult(tokenResult);
        }

        var authorization = headers.Authorization;
        if (authorization.Count > 0 && SdkSignature.IsSdkAuthorization(authorization[0]))
        {
            return VerifySignatureAsync(context, options);
        }

        return ValueTask.FromResult<AuthenticationError?>(new AuthenticationError(TokenMissingCode, TokenMissingMessage));
    }

    private async ValueTask<AuthenticationError?> VerifySignatureAsync(HttpContext context, ManagementAuthenticationOptions options)
    {
        var request = context.Request;
        var maxBodyBytes = (int)Math.Clamp(options.MaxSignedBodyBytes, 0, Array.MaxLength - 1);

        // With X-Sdk-Content-Sha256 the body is not part of the signature, so it is left unread.
        if (request.Headers.ContainsKey(SdkSignature.ContentSha256HeaderName))
        {
            return Verify(context, options, []);
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return BodyTooLarge(maxBodyBytes);
        }

        request.EnableBuffering();
        var initialSize = request.ContentLength is long contentLength and > 0 ? (int)contentLength + 1 : 4096;
        var body = ArrayPool<byte>.Shared.Rent(initialSize);
        try
        {
            var bodyLength = 0;
            while (true)
            {
                if (bodyLength == body.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(body.Length * 2L, Array.MaxLength));
                    body.AsSpan(0, bodyLength).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(body);
                    body = larger;
                }

                var read = await request.Body.ReadAsync(body.AsMemory(bodyLength), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                bodyLength += read;
                if (bodyLength > maxBodyBytes)
                {
                    return BodyTooLarge(maxBodyBytes);
                }
            }

            request.Body.Position = 0;
            return Verify(context, options, body.AsSpan(0, bodyLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private AuthenticationError? Verify(HttpContext context, ManagementAuthenticationOptions options, ReadOnlySpan<byte> body)
    {
        var request = context.Request;
        SplitRequestTarget(context, out var rawPath, out var rawQuery);
        var now = _timeProvider.GetUtcNow();
        var result = SdkSignatureVerifier.Verify(
            request.Method,
            rawPath,
            rawQuery,
            new RequestHeaderLookup(request.Headers),
            body,
            options.AccessKeys.TryGetValue,
            now,
            options.MaxClockSkew);

        var message = result.Status switch
        {
            SdkVerificationStatus.Ok => null,
            SdkVerificationStatus.Missing => TokenMissingMessage,
            SdkVerificationStatus.Malformed =>
                "Malformed Authorization header; expected SDK-HMAC-SHA256 Access={AK}, SignedHeaders={h1;h2}, Signature={64 lower-case hex}.",
            SdkVerificationStatus.DateNotSigned => "x-sdk-date must be listed in SignedHeaders.",
            SdkVerificationStatus.InvalidDate => "Invalid X-Sdk-Date; expected the format yyyyMMddTHHmmssZ (UTC).",
            SdkVerificationStatus.MissingSignedHeader => $"Signed header '{result.HeaderName}' is missing from the request.",
            SdkVerificationStatus.UnknownAccessKey => "Unknown access key.",
            SdkVerificationStatus.Expired => string.Create(
                CultureInfo.InvariantCulture,
                $"The signature has expired: signature time {SdkSignature.FormatDate(result.SignedAt!.Value)}, server time {SdkSignature.FormatDate(now)}."),
            _ => "Signature mismatch.",
        };

        if (message is null)
        {
            return null;
        }

        return result.Status == SdkVerificationStatus.Missing
            ? new AuthenticationError(TokenMissingCode, message)
            : new AuthenticationError(AuthenticationFailedCode, message);
    }

    /// <summary>
    /// The path and query exactly as sent, since the signer signed those bytes; falls back to the re-escaped decoded path
    /// when the server does not expose an origin-form request target.
    /// </summary>
    private static void SplitRequestTarget(HttpContext context, out ReadOnlySpan<char> rawPath, out ReadOnlySpan<char> rawQuery)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(rawTarget) && rawTarget[0] == '/')
        {
            var target = rawTarget.AsSpan();
            var question = target.IndexOf('?');
            rawPath = question < 0 ? target : target[..question];
            rawQuery = question < 0 ? [] : target[(question + 1)..];
            return;
        }

        var request = context.Request;
        rawPath = (request.PathBase + request.Path).ToUriComponent();
        rawQuery = request.QueryString.HasValue ? request.QueryString.Value.AsSpan(1) : [];
    }

    /// <summary>Compares SHA-256 digests in constant time so neither content nor length of the tokens leaks.</summary>
    private static bool IsAcceptedToken(string? presented, List<string> acceptedTokens)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> presentedDigest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> acceptedDigest = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(presented, presentedDigest);
        var accepted = false;
        foreach (var token in acceptedTokens)
        {
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            HashUtf8(token, acceptedDigest);
            accepted |= CryptographicOperations.FixedTimeEquals(presentedDigest, acceptedDigest);
        }

        return accepted;
    }

    private static void HashUtf8(string text, Span<byte> digest)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            SHA256.HashData(rented.AsSpan(0, length), digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static AuthenticationError BodyTooLarge(int maxBodyBytes) => new(
        AuthenticationFailedCode,
        string.Create(
            CultureInfo.InvariantCulture,
            $"The request body exceeds {maxBodyBytes} bytes, the limit for signed requests; use token authentication instead."));

    private static Task WriteErrorAsync(HttpResponse response, string code, string message)
    {
        var json = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(json, ErrorJsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error_code", code);
            writer.WriteString("error_msg", message);
            writer.WriteEndObject();
        }

        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = json.WrittenCount;
        return response.Body.WriteAsync(json.WrittenMemory).AsTask();
    }

    private readonly record struct AuthenticationError(string Code, string Message);

    /// <summary>Presents ASP.NET Core request headers to the HTTP-independent verifier.</summary>
    private readonly struct RequestHeaderLookup(IHeaderDictionary headers) : ISdkHeaderLookup
    {
        public SdkHeaderValues GetValues(string name)
        {
            var values = headers[name];
            return values.Count switch
            {
                0 => default,
                1 => new SdkHeaderValues(values[0] ?? string.Empty),
                _ => new SdkHeaderValues(Array.ConvertAll(values.ToArray(), value => value ?? string.Empty)),
            };
        }
    }
}
