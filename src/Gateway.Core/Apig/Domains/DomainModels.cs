using System.Text.Json.Serialization;

namespace Gateway.Apig.Domains;

/// <summary>3.12.1 bind body.</summary>
internal sealed record BindDomainRequest
{
    public string? UrlDomain { get; init; }
    public string? MinSslVersion { get; init; }
    public bool? IsHttpRedirectToHttps { get; init; }
}

/// <summary>3.12.3 modify body.</summary>
internal sealed record UpdateDomainRequest
{
    public string? MinSslVersion { get; init; }
    public bool? IsHttpRedirectToHttps { get; init; }
    public bool? VerifiedClientCertificateEnabled { get; init; }
}

/// <summary>3.12.2 bind-certificate body.</summary>
internal sealed record BindCertificateRequest
{
    public string? Name { get; init; }
    public string? CertContent { get; init; }
    public string? PrivateKey { get; init; }
}

/// <summary>3.12.5 body.</summary>
internal sealed record DebugDomainAccessRequest
{
    public bool? SlDomainAccessEnabled { get; init; }
}

/// <summary>What a certificate says about itself, as 3.12.7 shows it.</summary>
internal sealed record CertificateDetails
{
    public required string CommonName { get; init; }
    public required List<string> San { get; init; }
    public required int Version { get; init; }
    public required List<string> Organization { get; init; }
    public required List<string> OrganizationalUnit { get; init; }
    public required List<string> Locality { get; init; }
    public required List<string> State { get; init; }
    public required List<string> Country { get; init; }
    public required string NotBefore { get; init; }
    public required string NotAfter { get; init; }
    public required string SerialNumber { get; init; }
    public required List<string> Issuer { get; init; }
    public required string SignatureAlgorithm { get; init; }
}

/// <summary>
/// A certificate bound to a custom domain, as stored: the PEM texts the data plane serves TLS with, and the parsed
/// details. The private key never leaves the store through the management API.
/// </summary>
internal sealed record DomainCertificateRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string CertContent { get; init; }
    public required string PrivateKey { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
    public required CertificateDetails Details { get; init; }
}

/// <summary>
/// A custom domain bound to a group, as stored (entries carry a top-level <c>group_id</c> and go with their group).
/// The group's <c>url_domains</c> mirrors the routing-relevant part.
/// </summary>
internal sealed record DomainRecord
{
    public required string Id { get; init; }
    public required string GroupId { get; init; }
    public required string UrlDomain { get; init; }
    public int Status { get; init; } = 3;
    public required string MinSslVersion { get; init; }
    public bool IsHttpRedirectToHttps { get; init; }
    public bool VerifiedClientCertificateEnabled { get; init; }
    public required string CreateTime { get; init; }
    public DomainCertificateRecord? Certificate { get; init; }
}

/// <summary>The domain object of 3.12.1–3.12.3.</summary>
internal sealed record DomainView
{
    public required string UrlDomain { get; init; }
    public required string Id { get; init; }
    public int Status { get; init; }
    public required string MinSslVersion { get; init; }
    public bool IsHttpRedirectToHttps { get; init; }
    public bool VerifiedClientCertificateEnabled { get; init; }
    public string? SslName { get; init; }
    public string? SslId { get; init; }

    public static DomainView From(DomainRecord domain) => new()
    {
        UrlDomain = domain.UrlDomain,
        Id = domain.Id,
        Status = domain.Status,
        MinSslVersion = domain.MinSslVersion,
        IsHttpRedirectToHttps = domain.IsHttpRedirectToHttps,
        VerifiedClientCertificateEnabled = domain.VerifiedClientCertificateEnabled,
        SslName = domain.Certificate?.Name,
        SslId = domain.Certificate?.Id,
    };
}

/// <summary>The 3.12.7 certificate object.</summary>
internal sealed record CertificateView
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string InstanceId { get; init; }
    public required string ProjectId { get; init; }
    public required string CreateTime { get; init; }
    public required string UpdateTime { get; init; }
    public required string CommonName { get; init; }
    public required List<string> San { get; init; }
    public required int Version { get; init; }
    public required List<string> Organization { get; init; }
    public required List<string> OrganizationalUnit { get; init; }
    public required List<string> Locality { get; init; }
    public required List<string> State { get; init; }
    public required List<string> Country { get; init; }
    public required string NotBefore { get; init; }
    public required string NotAfter { get; init; }
    public required string SerialNumber { get; init; }
    public required List<string> Issuer { get; init; }
    public required string SignatureAlgorithm { get; init; }
}

/// <summary>Who holds a custom domain name: one entry per name across every instance of the store.</summary>
internal sealed record DomainNameClaim
{
    public required string InstanceId { get; init; }
    public required string GroupId { get; init; }
    public required string DomainId { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(BindDomainRequest))]
[JsonSerializable(typeof(UpdateDomainRequest))]
[JsonSerializable(typeof(BindCertificateRequest))]
[JsonSerializable(typeof(DebugDomainAccessRequest))]
[JsonSerializable(typeof(DomainRecord))]
[JsonSerializable(typeof(DomainView))]
[JsonSerializable(typeof(CertificateView))]
[JsonSerializable(typeof(DomainNameClaim))]
internal sealed partial class DomainJsonContext : JsonSerializerContext;
