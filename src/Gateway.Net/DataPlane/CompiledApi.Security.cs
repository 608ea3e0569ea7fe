using Gateway.Net.Routing;
using Gateway.Net.Security;

namespace Gateway.Net.DataPlane;

/// <summary>An API's <c>auth_type</c>, parsed.</summary>
internal enum AuthKind : byte
{
    None,
    App,
    Iam,
    Authorizer,
}

/// <summary>What an ACL policy restricts (<c>entity_type</c>).</summary>
internal enum AclEntity : byte
{
    Ip,
    Domain,
    DomainId,
}

/// <summary>An APP (credential) compiled for the request path: key, secret and id as bytes, its own IP ACL.</summary>
internal sealed class CompiledApp
{
    public required string Id { get; init; }
    public required byte[] IdBytes { get; init; }
    public required byte[] Key { get; init; }
    public required byte[] Secret { get; init; }

    /// <summary>The APP's own access control (3.28.14): the source IPs its credentials may or may not be used from.</summary>
    public AddressRangeSet? AclAddresses { get; init; }

    /// <summary>True when <see cref="AclAddresses"/> is a PERMIT list, false for a DENY list.</summary>
    public bool AclPermits { get; init; }
}

/// <summary>Every APP of the snapshot, by app_key and by the SHA-256 of each of its AppCodes.</summary>
internal sealed class AppDirectory(ByteKeyMap<CompiledApp> byKey, ByteKeyMap<CompiledApp> byCodeDigest)
{
    public static AppDirectory Empty { get; } = new(new ByteKeyMap<CompiledApp>([]), new ByteKeyMap<CompiledApp>([]));

    public CompiledApp? FindByKey(ReadOnlySpan<byte> appKey) => byKey.Find(appKey);

    /// <summary>Looks an AppCode up by its digest, so the lookup's timing says nothing about stored codes.</summary>
    public CompiledApp? FindByCode(ReadOnlySpan<byte> appCode)
    {
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(appCode, digest);
        return byCodeDigest.Find(digest);
    }
}

/// <summary>One bound ACL policy: PERMIT or DENY over addresses or account names/ids.</summary>
internal sealed class AclRule
{
    public required bool Permit { get; init; }
    public required AclEntity Entity { get; init; }
    public AddressRangeSet? Addresses { get; init; }
    public ByteKeyMap<byte[]>? Accounts { get; init; }
}

/// <summary>
/// How an API is protected in one environment: its auth type, whether AppCodes are accepted, which APPs are
/// authorized (3.10) and the bound ACL policies (3.14), DENY rules ordered before PERMIT rules.
/// </summary>
internal sealed class ApiSecurityPlan
{
    public static ApiSecurityPlan Open { get; } = new() { Auth = AuthKind.None };

    public required AuthKind Auth { get; init; }

    /// <summary><c>auth_opt.app_code_auth_type</c> = HEADER: an <c>X-Apig-AppCode</c> header authenticates the APP.</summary>
    public bool AppCodeInHeader { get; init; }

    public AppDirectory Apps { get; init; } = AppDirectory.Empty;

    /// <summary>The APPs authorized to call this API in this environment (compared by reference).</summary>
    public HashSet<CompiledApp> AuthorizedApps { get; init; } = [];

    public AclRule[] Acls { get; init; } = [];
}

internal sealed partial class CompiledApi
{
    /// <summary>Authentication, app authorization and ACLs of this API in its environment (set by the compiler).</summary>
    public ApiSecurityPlan Security { get; set; } = ApiSecurityPlan.Open;
}
