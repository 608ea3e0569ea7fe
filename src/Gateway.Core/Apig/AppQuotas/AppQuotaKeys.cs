namespace Gateway.Apig.AppQuotas;

/// <summary>Store key layout of credential quotas and their APP bindings.</summary>
internal static class AppQuotaKeys
{
    public static string Quotas(string instanceId) => $"apig/inst/{instanceId}/app-quotas/";

    public static string Quota(string instanceId, string quotaId) => Quotas(instanceId) + quotaId;

    /// <summary>The quota bindings of an instance, keyed by APP id: an APP is bound to at most one quota (3.28.13 shows one).</summary>
    public static string Bindings(string instanceId) => $"apig/inst/{instanceId}/app-quota-bindings/";

    public static string Binding(string instanceId, string appId) => Bindings(instanceId) + appId;
}
