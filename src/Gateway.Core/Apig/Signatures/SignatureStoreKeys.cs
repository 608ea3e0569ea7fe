namespace Gateway.Apig.Signatures;

/// <summary>Store key layout of signature keys and their bindings.</summary>
internal static class SignatureStoreKeys
{
    public static string Signs(string instanceId) => $"apig/inst/{instanceId}/signs/";

    public static string Sign(string instanceId, string signId) => Signs(instanceId) + signId;

    /// <summary>Bindings carry top-level <c>api_id</c>, <c>env_id</c> and <c>sign_id</c>; they go with their API, environment or key.</summary>
    public static string Bindings(string instanceId) => $"apig/inst/{instanceId}/sign-bindings/";

    public static string Binding(string instanceId, string bindingId) => Bindings(instanceId) + bindingId;
}
