using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>Helpers for APP / IAM authentication and ACL tests: APPs, authorizations, ACLs and a request signer.</summary>
internal sealed partial class DataPlaneTestHost
{
    public const string ReleaseEnvironment = "DEFAULT_ENVIRONMENT_RELEASE_ID";

    /// <summary>The token the management API accepts; the built-in IAM check accepts it too.</summary>
    public const string ManagementToken = Token;

    /// <summary>Creates an API with the given auth type (and optional <c>auth_opt</c>), returns its id.</summary>
    public async Task<string> CreateApiWithAuthAsync(string groupId, string authType, string fields, string? appCodeAuthType = null)
    {
        var authOpt = appCodeAuthType is null ? "" : $$""","auth_opt":{"app_code_auth_type":"{{appCodeAuthType}}"}""";
        var body = $$"""{"group_id":"{{groupId}}","type":1,"req_protocol":"HTTP","auth_type":"{{authType}}"{{authOpt}},{{fields}}}""";
        using var api = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apis", body, HttpStatusCode.Created);
        return api.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates an APP with the given key and secret; returns its id.</summary>
    public async Task<string> CreateAppAsync(string name, string appKey, string appSecret)
    {
        using var app = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apps",
            $$"""{"name":"{{name}}","app_key":"{{appKey}}","app_secret":"{{appSecret}}"}""", HttpStatusCode.Created);
        return app.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Authorizes the API to the APP in the environment and waits for the data plane.</summary>
    public async Task AuthorizeAsync(string appId, string apiId, string envId = ReleaseEnvironment)
    {
        using var _ = await SendJsonAsync(HttpMethod.Post, $"{Instance}/app-auths",
            $$"""{"env_id":"{{envId}}","app_ids":["{{appId}}"],"api_ids":["{{apiId}}"]}""", HttpStatusCode.Created);
        await WaitForDataPlaneAsync();
    }

    public async Task AddAppCodeAsync(string appId, string appCode)
    {
        using var _ = await SendJsonAsync(HttpMethod.Post, $"{Instance}/apps/{appId}/app-codes", $$"""{"app_code":"{{appCode}}"}""", HttpStatusCode.Created);
        await WaitForDataPlaneAsync();
    }

    public async Task SetAppAclAsync(string appId, string type, params string[] values)
    {
        var list = string.Join(',', values.Select(v => $"\"{v}\""));
        using var _ = await SendJsonAsync(HttpMethod.Put, $"{Instance}/apps/{appId}/app-acl",
            $$"""{"app_acl_type":"{{type}}","app_acl_values":[{{list}}]}""", HttpStatusCode.Created);
        await WaitForDataPlaneAsync();
    }

    /// <summary>Creates an ACL policy and binds it to a publish record; waits for the data plane.</summary>
    public async Task BindAclAsync(string publishId, string name, string aclType, string entityType, string value)
    {
        using var acl = await SendJsonAsync(HttpMethod.Post, $"{Instance}/acls",
            $$"""{"acl_name":"{{name}}","acl_type":"{{aclType}}","entity_type":"{{entityType}}","acl_value":"{{value}}"}""", HttpStatusCode.Created);
        var aclId = acl.RootElement.GetProperty("id").GetString();
        using var _ = await SendJsonAsync(HttpMethod.Post, $"{Instance}/acl-bindings",
            $$"""{"acl_id":"{{aclId}}","publish_ids":["{{publishId}}"]}""", HttpStatusCode.Created);
        await WaitForDataPlaneAsync();
    }

    /// <summary>
    /// Signs a request with SDK-HMAC-SHA256 as the C# and Python SDKs do (peer-gateways.md §5), signing Host,
    /// X-Sdk-Date and, when there is a body, Content-Type. Sets those headers on the request.
    /// </summary>
    public static async Task SignAsync(HttpRequestMessage request, string key, string secret, DateTimeOffset date)
    {
        var uri = request.RequestUri!;
        var host = request.Headers.Host ?? uri.Authority;
        request.Headers.Host = host;
        var sdkDate = date.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove("X-Sdk-Date");
        request.Headers.Add("X-Sdk-Date", sdkDate);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-sdk-date"] = sdkDate };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri.AbsolutePath)).Append('\n')
            .Append(CanonicalQuery(uri.Query.TrimStart('?'))).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        var signedHeaders = string.Join(';', headers.Keys);
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var toSign = $"SDK-HMAC-SHA256\n{sdkDate}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SDK-HMAC-SHA256 Access={key}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static string CanonicalPath(string path)
    {
        var encoded = string.Join('/', Uri.UnescapeDataString(path).Split('/').Select(Uri.EscapeDataString));
        return encoded.EndsWith('/') ? encoded : encoded + "/";
    }

    private static string CanonicalQuery(string query) =>
        query.Length == 0
            ? ""
            : string.Join('&', query.Split('&')
                .Select(pair => pair.Split('=', 2))
                .Select(parts => (Key: Uri.UnescapeDataString(parts[0]), Value: parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
                .Where(p => p.Key.Length > 0)
                .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
