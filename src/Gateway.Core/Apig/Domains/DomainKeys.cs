namespace Gateway.Apig.Domains;

/// <summary>Store keys of custom domains.</summary>
internal static class DomainKeys
{
    public static string Domains(string instanceId) => $"apig/inst/{instanceId}/domains/";

    public static string Domain(string instanceId, string domainId) => Domains(instanceId) + domainId;

    /// <summary>
    /// The claim on a domain name, outside every instance: a name routes to one group only, so it may be bound once in
    /// the whole store. A claim whose domain record is gone (its group or instance was deleted) is stale and free.
    /// </summary>
    public static string NameClaim(string urlDomain) => $"apig/domain-names/{urlDomain}";
}
