namespace Gateway.Apig.AppAuthorizations;

/// <summary>Store key layout of APP authorizations.</summary>
internal static class AppAuthorizationKeys
{
    /// <summary>
    /// The authorizations of an instance. Each entry has a top-level <c>api_id</c>, <c>env_id</c> and <c>app_id</c>: it goes
    /// with its API, its environment or its APP.
    /// </summary>
    public static string Authorizations(string instanceId) => $"apig/inst/{instanceId}/app-auths/";

    public static string Authorization(string instanceId, string authId) => Authorizations(instanceId) + authId;
}
