namespace Gateway.Apig.Apps;

/// <summary>Store key layout of APPs (credentials) and what hangs off them.</summary>
internal static class AppKeys
{
    /// <summary>The APPs of an instance. Each entry has a top-level <c>id</c>, <c>name</c>, <c>app_key</c> and <c>app_secret</c>.</summary>
    public static string Apps(string instanceId) => $"apig/inst/{instanceId}/apps/";

    public static string App(string instanceId, string appId) => Apps(instanceId) + appId;

    /// <summary>
    /// The AppCodes of an instance, one flat collection (the store lists direct members only, and code values are unique
    /// instance-wide). Each entry has a top-level <c>app_id</c>.
    /// </summary>
    public static string AppCodes(string instanceId) => $"apig/inst/{instanceId}/app-codes/";

    public static string AppCode(string instanceId, string appCodeId) => AppCodes(instanceId) + appCodeId;

    /// <summary>APP access-control settings, at most one per APP, keyed by the APP id.</summary>
    public static string AppAcls(string instanceId) => $"apig/inst/{instanceId}/app-acls/";

    public static string AppAcl(string instanceId, string appId) => AppAcls(instanceId) + appId;
}
