namespace Gateway.Apig.Throttles;

/// <summary>Store key layout of throttling policies, their API bindings and their special settings.</summary>
internal static class ThrottleKeys
{
    public static string Policies(string instanceId) => $"apig/inst/{instanceId}/throttles/";

    public static string Policy(string instanceId, string throttleId) => Policies(instanceId) + throttleId;

    /// <summary>One entry per (API, environment) binding, carrying top-level <c>api_id</c>, <c>env_id</c> and <c>throttle_id</c>.</summary>
    public static string Bindings(string instanceId) => $"apig/inst/{instanceId}/throttle-bindings/";

    public static string Binding(string instanceId, string bindingId) => Bindings(instanceId) + bindingId;

    /// <summary>One entry per special setting, carrying its <c>throttle_id</c>.</summary>
    public static string Specials(string instanceId) => $"apig/inst/{instanceId}/throttle-specials/";

    public static string Special(string instanceId, string specialId) => Specials(instanceId) + specialId;

    /// <summary>APP records, written by the credentials family; read here to resolve special APP settings.</summary>
    public static string App(string instanceId, string appId) => $"apig/inst/{instanceId}/apps/{appId}";
}
