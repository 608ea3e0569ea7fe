using System.Security.Cryptography;
using System.Text;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.Apis;
using Gateway.Apig.Apps;
using Gateway.Apig.Authorizers;
using Gateway.Apig.Common;
using Gateway.Apig.Debugging;
using Gateway.Apig.Runtime;
using Gateway.Errors;
using Gateway.Net.Security;

namespace Gateway.Hosting.Apig;

internal sealed partial class ApiDebugger
{
    /// <summary>The validated <c>app_key</c>/<c>app_secret</c> of a debug request, or null when none were given.</summary>
    private static AppCredentials? ReadAppCredentials(ApiDebugRequest request)
    {
        var hasKey = !string.IsNullOrEmpty(request.AppKey);
        var hasSecret = !string.IsNullOrEmpty(request.AppSecret);
        if (!hasKey && !hasSecret)
        {
            return null;
        }

        if (hasKey != hasSecret)
        {
            throw ApigErrors.Missing(hasKey ? "app_secret" : "app_key"); // one is no use without the other
        }

        // Only values an APP can have: this also keeps line breaks and separators out of the Authorization header.
        var key = Check.Text(request.AppKey, "app_key", 8, 200, AppPatterns.AppKey());
        var secret = Check.Text(request.AppSecret, "app_secret", 8, 128, AppPatterns.AppSecret());
        return new AppCredentials(key, secret);
    }

    /// <summary>
    /// How the debug request authenticates, by the API's auth_type and the mode:
    /// <list type="bullet">
    /// <item>DEVELOPER: the caller owns the API, so APP and IAM authentication are not enforced (the API is compiled
    /// as auth_type NONE). Given app credentials still sign the request, so the backend sees what a client sends.</item>
    /// <item>CONSUMER/MARKET, APP: the request is signed with SDK-HMAC-SHA256 using <c>app_key</c>/<c>app_secret</c>,
    /// and the snapshot holds the instance's APPs and APP authorizations, so the signature and the APP's
    /// authorization for the API in the stage are checked as on the data plane. Without credentials the request is
    /// sent unsigned and the gateway's 401 is the result.</item>
    /// <item>CONSUMER/MARKET, IAM: the management caller's token or AK/SK signature is never forwarded to the
    /// debugged API and the debug request cannot carry <c>X-Auth-Token</c> or <c>Authorization</c>, so it arrives
    /// without an IAM credential and the result is the gateway's 401.</item>
    /// <item>AUTHORIZER: the custom authorizer is called in every mode (its answer feeds backend parameters).</item>
    /// </list>
    /// ACLs are not applied: the debug request has no client address and no IAM caller to check them against.
    /// Every decision that changes what is sent is noted in the result's log.
    /// </summary>
    private static DebugAuthentication PlanAuthentication(Api api, bool consumer, AppCredentials? credentials, ApiDebugRequest request, StringBuilder log)
    {
        var authType = api.AuthType;
        var userAuthorization = request.Header?.Keys.Any(name => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) == true;
        var isApp = authType is not ("NONE" or "IAM" or "AUTHORIZER"); // the data plane treats unknown types as APP
        AppCredentials? signWith = null;
        if (credentials is not null)
        {
            if (!isApp)
            {
                log.Append("app_key and app_secret are not used: the API's auth_type is ").Append(authType).Append(".\n");
            }
            else if (userAuthorization)
            {
                log.Append("The request is not signed with app_key: it carries its own Authorization header.\n");
            }
            else
            {
                signWith = credentials;
                log.Append("The request is signed with SDK-HMAC-SHA256 using app_key ").Append(credentials.Key).Append(".\n");
            }
        }

        if (!consumer && (isApp || authType == "IAM"))
        {
            log.Append("DEVELOPER mode: ").Append(authType).Append(" authentication is not enforced for the API's owner.\n");
            return new DebugAuthentication(api with { AuthType = "NONE" }, LoadApps: false, signWith);
        }

        if (consumer && isApp && signWith is null && !userAuthorization)
        {
            log.Append("No app_key and app_secret: the request is sent unsigned.\n");
        }
        else if (consumer && authType == "IAM")
        {
            log.Append("IAM authentication: the caller's own credentials are not forwarded, so the request carries no IAM credential.\n");
        }

        return new DebugAuthentication(api, LoadApps: consumer && isApp, signWith);
    }

    /// <summary>Adds what authentication needs to the debug model: authorizers always, APPs and their authorizations for APP calls.</summary>
    private async Task<ApigRuntimeModel> AddSecurityAsync(ApigRuntimeModel model, string instanceId, DebugAuthentication plan, CancellationToken cancellationToken)
    {
        var authorizers = await writer.ListAsync(AuthorizerKeys.Authorizers(instanceId), AuthorizerJsonContext.Default.Authorizer, cancellationToken).ConfigureAwait(false);
        if (!plan.LoadApps)
        {
            return model with { Authorizers = authorizers };
        }

        var apps = await writer.ListAsync(AppKeys.Apps(instanceId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false);
        var authorizations = await writer.ListAsync(AppAuthorizationKeys.Authorizations(instanceId), AppAuthorizationJsonContext.Default.AppAuthorization, cancellationToken).ConfigureAwait(false);
        var apiId = plan.Api.Id;
        return model with
        {
            Authorizers = authorizers,
            Apps = apps,
            AppAuthorizations = authorizations.FindAll(a => a.ApiId == apiId),
        };
    }

    private static string FormatSdkDate(DateTimeOffset now)
    {
        Span<byte> date = stackalloc byte[SdkSigning.DateLength];
        SdkSigning.FormatDate(now, date);
        return Encoding.ASCII.GetString(date);
    }

    /// <summary>
    /// The <c>Authorization</c> value of an SDK-HMAC-SHA256 request signed with the APP's secret over the method, the
    /// path and query as sent, the <c>host</c> and <c>x-sdk-date</c> headers and the SHA-256 of the body; the
    /// canonicalisation is the data plane's own (<see cref="SdkSigning"/>).
    /// </summary>
    private static string SignatureHeader(AppCredentials app, string method, string path, string query, string host, string date, byte[] body)
    {
        const string signedHeaders = "host;x-sdk-date";
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var queryBytes = Encoding.UTF8.GetBytes(query);
        var hostBytes = Encoding.UTF8.GetBytes(host);
        var dateBytes = Encoding.ASCII.GetBytes(date);
        var canonical = new byte[method.Length + 1 + SdkSigning.MaxCanonicalUriLength(pathBytes.Length) + 1 +
            SdkSigning.MaxCanonicalQueryLength(queryBytes.Length) + 1 + hostBytes.Length + dateBytes.Length + 32 +
            signedHeaders.Length + 1 + SdkSigning.HexDigestLength];
        var span = canonical.AsSpan();
        var length = Encoding.ASCII.GetBytes(method, span);
        span[length++] = (byte)'\n';
        length += SdkSigning.WriteCanonicalUri(pathBytes, decodeFirst: true, span[length..]);
        span[length++] = (byte)'\n';
        length += SdkSigning.WriteCanonicalQuery(queryBytes, span[length..], new byte[queryBytes.Length], new SdkQueryPair[SdkSigning.QueryPairCapacity(queryBytes)]);
        span[length++] = (byte)'\n';
        length += SdkSigning.WriteHeaderLine("host"u8, hostBytes, span[length..]);
        length += SdkSigning.WriteHeaderLine("x-sdk-date"u8, dateBytes, span[length..]);
        span[length++] = (byte)'\n';
        length += Encoding.ASCII.GetBytes(signedHeaders, span[length..]);
        span[length++] = (byte)'\n';
        SdkSigning.WriteLowerHex(SHA256.HashData(body), span.Slice(length, SdkSigning.HexDigestLength));
        length += SdkSigning.HexDigestLength;

        Span<byte> signature = stackalloc byte[SdkSigning.DigestLength];
        SdkSigning.ComputeSignature(Encoding.UTF8.GetBytes(app.Secret), dateBytes, span[..length], signature);
        Span<byte> hex = stackalloc byte[SdkSigning.HexDigestLength];
        SdkSigning.WriteLowerHex(signature, hex);
        return $"SDK-HMAC-SHA256 Access={app.Key}, SignedHeaders={signedHeaders}, Signature={Encoding.ASCII.GetString(hex)}";
    }

    private sealed record AppCredentials(string Key, string Secret)
    {
        // Records print their members; the secret must never reach a log.
        public override string ToString() => Key;
    }

    /// <summary>The definition to compile, whether the instance's APPs are needed, and the credentials to sign with.</summary>
    private sealed record DebugAuthentication(Api Api, bool LoadApps, AppCredentials? SignWith);
}
