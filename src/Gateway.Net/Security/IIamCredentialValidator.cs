using System.Text;

namespace Gateway.Net.Security;

/// <summary>
/// Who an IAM credential belongs to: the user and the account (domain) that DOMAIN / DOMAIN_ID ACLs and per-user
/// throttles refer to. Built once per credential; the byte forms are what the request path compares.
/// </summary>
internal sealed class IamCaller
{
    public IamCaller(string userId, string domainName, string domainId)
    {
        UserId = userId;
        DomainName = domainName;
        DomainId = domainId;
        UserIdBytes = Encoding.UTF8.GetBytes(userId);
        DomainNameBytes = Encoding.UTF8.GetBytes(domainName);
        DomainIdBytes = Encoding.UTF8.GetBytes(domainId);
    }

    public string UserId { get; }

    public string DomainName { get; }

    public string DomainId { get; }

    public byte[] UserIdBytes { get; }

    public byte[] DomainNameBytes { get; }

    public byte[] DomainIdBytes { get; }
}

/// <summary>An IAM access key's secret and owner, for <c>SDK-HMAC-SHA256</c> requests signed by an IAM user.</summary>
internal sealed class IamAccessKey(byte[] secret, IamCaller caller)
{
    public byte[] Secret { get; } = secret;

    public IamCaller Caller { get; } = caller;
}

/// <summary>
/// Validates the credentials of IAM-authenticated calls (<c>auth_type</c> IAM): an <c>X-Auth-Token</c> or the access
/// key of an AK/SK-signed request. Called on the request path: implementations must answer from memory (cache per
/// token) and must not allocate per call.
/// </summary>
internal interface IIamCredentialValidator
{
    /// <summary>The caller a token belongs to, or null when the token is not valid.</summary>
    IamCaller? ValidateToken(ReadOnlySpan<byte> token);

    /// <summary>The secret and owner of an access key, or null when the key is unknown.</summary>
    IamAccessKey? FindAccessKey(ReadOnlySpan<byte> accessKey);
}
