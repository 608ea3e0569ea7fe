namespace Gateway.Apig;

/// <summary>Settings of the APIG resource families that are not part of any resource.</summary>
public sealed class ApigOptions
{
    /// <summary>
    /// The DNS suffix of group debug sub-domains: a group gets <c>{group_id}.{suffix}</c> as its <c>sl_domain</c>.
    /// The default uses <c>.localhost</c>, which resolvers map to the loopback address, so sub-domains work without DNS set-up.
    /// </summary>
    public string SubdomainSuffix { get; set; } = "apig.localhost";

    /// <summary>The address reported as an instance's <c>ingress_ip</c> (where its data plane listens).</summary>
    public string IngressAddress { get; set; } = "127.0.0.1";

    /// <summary>The version string reported as <c>instance_version</c>.</summary>
    public string InstanceVersion { get; set; } = "1.0.0";

    /// <summary>How many historical versions are kept per API and environment (the document's limit is 10).</summary>
    public int MaxVersionsPerEnvironment { get; set; } = 10;
}
