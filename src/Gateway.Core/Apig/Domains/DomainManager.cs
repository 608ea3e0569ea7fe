using Gateway.Apig.Common;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.Domains;

/// <summary>
/// 3.12 custom domains of a group, their certificates and the debug-domain switch. A domain is stored in its own record
/// and mirrored into the group's <c>url_domains</c> (read-modify-write of the group inside the same transaction), which
/// is what the data plane routes by. A name may be bound once across the whole store.
/// </summary>
internal sealed class DomainManager(ResourceWriter writer, TimeProvider time, ApigOptions options)
{
    /// <summary>APIGROUP_DOMAIN_NUM_LIMIT: "each API group can bind at most 5 domains".</summary>
    public const int MaxDomainsPerGroup = 5;

    private static readonly string[] SslVersions = ["TLSv1.1", "TLSv1.2"];

    public Task<DomainView> BindDomainAsync(ApigScope scope, string groupId, BindDomainRequest request, CancellationToken cancellationToken)
    {
        var urlDomain = UrlDomain(request.UrlDomain);
        var minSslVersion = Check.OptionalOneOf(request.MinSslVersion, "min_ssl_version", SslVersions) ?? "TLSv1.1";
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            if (group.UrlDomains.Count >= MaxDomainsPerGroup)
            {
                throw DomainErrors.TooManyDomains(MaxDomainsPerGroup);
            }

            await ClaimNameAsync(transaction, scope.InstanceId, groupId, urlDomain, cancellationToken).ConfigureAwait(false);
            var domain = new DomainRecord
            {
                Id = ApigClock.NewId(),
                GroupId = groupId,
                UrlDomain = urlDomain,
                MinSslVersion = minSslVersion,
                IsHttpRedirectToHttps = request.IsHttpRedirectToHttps ?? false,
                CreateTime = ApigClock.Timestamp(time),
            };
            transaction.Put(DomainKeys.NameClaim(urlDomain), ResourceWriter.Serialize(
                new DomainNameClaim { InstanceId = scope.InstanceId, GroupId = groupId, DomainId = domain.Id }, DomainJsonContext.Default.DomainNameClaim));
            PutDomain(transaction, scope.InstanceId, domain);
            PutGroup(transaction, scope.InstanceId, group with { UrlDomains = [.. group.UrlDomains, Mirror(domain)], UpdateTime = ApigClock.Timestamp(time) });
            return DomainView.From(domain);
        }, cancellationToken);
    }

    /// <summary>3.12.3. Optional flags left out keep their current value.</summary>
    public Task<DomainView> UpdateAsync(ApigScope scope, string groupId, string domainId, UpdateDomainRequest request, CancellationToken cancellationToken)
    {
        var minSslVersion = Check.OneOf(request.MinSslVersion, "min_ssl_version", SslVersions);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var (group, domain) = await RequireDomainAsync(scope, groupId, domainId, cancellationToken).ConfigureAwait(false);
            var updated = domain with
            {
                MinSslVersion = minSslVersion,
                IsHttpRedirectToHttps = request.IsHttpRedirectToHttps ?? domain.IsHttpRedirectToHttps,
                VerifiedClientCertificateEnabled = request.VerifiedClientCertificateEnabled ?? domain.VerifiedClientCertificateEnabled,
            };
            PutDomain(transaction, scope.InstanceId, updated);
            PutGroup(transaction, scope.InstanceId, WithMirror(group, updated));
            return DomainView.From(updated);
        }, cancellationToken);
    }

    public Task UnbindDomainAsync(ApigScope scope, string groupId, string domainId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var (group, domain) = await RequireDomainAsync(scope, groupId, domainId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(DomainKeys.Domain(scope.InstanceId, domainId));
            transaction.Delete(DomainKeys.NameClaim(domain.UrlDomain));
            PutGroup(transaction, scope.InstanceId, group with
            {
                UrlDomains = group.UrlDomains.FindAll(mirror => mirror.Id != domainId),
                UpdateTime = ApigClock.Timestamp(time),
            });
            return true;
        }, cancellationToken);

    /// <summary>3.12.2. A domain has at most one certificate: binding another replaces it (a renewal without a gap).</summary>
    public Task<DomainView> BindCertificateAsync(ApigScope scope, string groupId, string domainId, BindCertificateRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 4, 50, DomainPatterns.CertificateName());
        var certContent = Check.Required(request.CertContent, "cert_content");
        var privateKey = Check.Required(request.PrivateKey, "private_key");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var (group, domain) = await RequireDomainAsync(scope, groupId, domainId, cancellationToken).ConfigureAwait(false);
            var details = DomainCertificate.Validate(certContent, privateKey, domain.UrlDomain, time.GetUtcNow());
            var timestamp = ApigClock.Timestamp(time);
            var updated = domain with
            {
                Certificate = new DomainCertificateRecord
                {
                    Id = ApigClock.NewId(),
                    Name = name,
                    CertContent = certContent,
                    PrivateKey = privateKey,
                    CreateTime = timestamp,
                    UpdateTime = timestamp,
                    Details = details,
                },
            };
            PutDomain(transaction, scope.InstanceId, updated);
            PutGroup(transaction, scope.InstanceId, WithMirror(group, updated));
            return DomainView.From(updated);
        }, cancellationToken);
    }

    public Task DeleteCertificateAsync(ApigScope scope, string groupId, string domainId, string certificateId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var (group, domain) = await RequireDomainAsync(scope, groupId, domainId, cancellationToken).ConfigureAwait(false);
            RequireCertificate(domain, certificateId);
            var updated = domain with { Certificate = null };
            PutDomain(transaction, scope.InstanceId, updated);
            PutGroup(transaction, scope.InstanceId, WithMirror(group, updated));
            return true;
        }, cancellationToken);

    public async Task<CertificateView> GetCertificateAsync(ApigScope scope, string groupId, string domainId, string certificateId, CancellationToken cancellationToken)
    {
        var (_, domain) = await RequireDomainAsync(scope, groupId, domainId, cancellationToken).ConfigureAwait(false);
        var certificate = RequireCertificate(domain, certificateId);
        var details = certificate.Details;
        return new CertificateView
        {
            Id = certificate.Id,
            Name = certificate.Name,
            Type = "instance",
            InstanceId = scope.InstanceId,
            ProjectId = scope.ProjectId,
            CreateTime = certificate.CreateTime,
            UpdateTime = certificate.UpdateTime,
            CommonName = details.CommonName,
            San = details.San,
            Version = details.Version,
            Organization = details.Organization,
            OrganizationalUnit = details.OrganizationalUnit,
            Locality = details.Locality,
            State = details.State,
            Country = details.Country,
            NotBefore = details.NotBefore,
            NotAfter = details.NotAfter,
            SerialNumber = details.SerialNumber,
            Issuer = details.Issuer,
            SignatureAlgorithm = details.SignatureAlgorithm,
        };
    }

    /// <summary>3.12.5: whether the group's debug sub-domain may be used to call its APIs.</summary>
    public Task SetDebugDomainAccessAsync(ApigScope scope, string groupId, DebugDomainAccessRequest request, CancellationToken cancellationToken)
    {
        var enabled = Check.Required(request.SlDomainAccessEnabled, "sl_domain_access_enabled");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            if (group.SlDomainAccessEnabled != enabled)
            {
                PutGroup(transaction, scope.InstanceId, group with { SlDomainAccessEnabled = enabled, UpdateTime = ApigClock.Timestamp(time) });
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>The domain records of an instance, for the data plane (hosts, TLS settings and certificates).</summary>
    public static Task<List<DomainRecord>> ListAllAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken) =>
        writer.ListAsync(DomainKeys.Domains(instanceId), DomainJsonContext.Default.DomainRecord, cancellationToken);

    /// <summary>The lower-cased, validated <c>url_domain</c> (a trailing dot is dropped).</summary>
    private string UrlDomain(string? value)
    {
        var text = Check.Required(value, "url_domain");
        Check.MaxLength(text, "url_domain", DomainNames.MaxLength);
        var domain = text.EndsWith('.') ? text[..^1] : text;
        domain = domain.ToLowerInvariant();
        if (!DomainNames.IsValid(domain))
        {
            throw DomainErrors.InvalidDomain("url_domain");
        }

        // Names under the debug suffix belong to groups' own sub-domains.
        var suffix = options.SubdomainSuffix.ToLowerInvariant();
        if (domain == suffix || domain.EndsWith("." + suffix, StringComparison.Ordinal))
        {
            throw DomainErrors.ReservedDomain(domain);
        }

        return domain;
    }

    /// <summary>
    /// Makes the commit conditional on nobody holding the name: absent, or held by a claim whose domain record is gone
    /// (then the stale claim is taken over at its current revision).
    /// </summary>
    private async Task ClaimNameAsync(StoreTransaction transaction, string instanceId, string groupId, string urlDomain, CancellationToken cancellationToken)
    {
        var key = DomainKeys.NameClaim(urlDomain);
        var entry = await writer.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            transaction.RequireAbsent(key);
            return;
        }

        var claim = System.Text.Json.JsonSerializer.Deserialize(entry.Value.Span, DomainJsonContext.Default.DomainNameClaim);
        if (claim is not null)
        {
            var holder = await writer.ReadAsync(DomainKeys.Domain(claim.InstanceId, claim.DomainId), DomainJsonContext.Default.DomainRecord, cancellationToken).ConfigureAwait(false);
            if (holder is not null && holder.UrlDomain == urlDomain)
            {
                throw DomainErrors.DomainExists(urlDomain);
            }
        }

        transaction.RequireModRevision(key, entry.ModRevision);
    }

    private async Task<ApiGroup> RequireGroupAsync(ApigScope scope, string groupId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Group(scope.InstanceId, groupId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.GroupNotFound(groupId);
    }

    private async Task<(ApiGroup Group, DomainRecord Domain)> RequireDomainAsync(ApigScope scope, string groupId, string domainId, CancellationToken cancellationToken)
    {
        var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
        var domain = await writer.ReadAsync(DomainKeys.Domain(scope.InstanceId, domainId), DomainJsonContext.Default.DomainRecord, cancellationToken).ConfigureAwait(false)
            ?? throw DomainErrors.NotFound(domainId);
        if (domain.GroupId != groupId)
        {
            throw DomainErrors.GroupMismatch(domainId, groupId);
        }

        return (group, domain);
    }

    private static DomainCertificateRecord RequireCertificate(DomainRecord domain, string certificateId) =>
        domain.Certificate is { } certificate && certificate.Id == certificateId ? certificate : throw DomainErrors.CertificateNotFound(certificateId);

    private static UrlDomain Mirror(DomainRecord domain) => new()
    {
        Id = domain.Id,
        Domain = domain.UrlDomain,
        CnameStatus = domain.Status,
        SslId = domain.Certificate?.Id,
        SslName = domain.Certificate?.Name,
        MinSslVersion = domain.MinSslVersion,
        VerifiedClientCertificateEnabled = domain.VerifiedClientCertificateEnabled,
        IsHasTrustedRootCa = false,
    };

    private ApiGroup WithMirror(ApiGroup group, DomainRecord domain)
    {
        var mirrors = new List<UrlDomain>(group.UrlDomains.Count);
        foreach (var mirror in group.UrlDomains)
        {
            mirrors.Add(mirror.Id == domain.Id ? Mirror(domain) : mirror);
        }

        return group with { UrlDomains = mirrors, UpdateTime = ApigClock.Timestamp(time) };
    }

    private static void PutDomain(StoreTransaction transaction, string instanceId, DomainRecord domain) =>
        transaction.Put(DomainKeys.Domain(instanceId, domain.Id), ResourceWriter.Serialize(domain, DomainJsonContext.Default.DomainRecord));

    private static void PutGroup(StoreTransaction transaction, string instanceId, ApiGroup group) =>
        transaction.Put(ApigKeys.Group(instanceId, group.Id), ResourceWriter.Serialize(group, GroupJsonContext.Default.ApiGroup));
}
