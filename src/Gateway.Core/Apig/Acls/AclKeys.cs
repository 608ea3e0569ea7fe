namespace Gateway.Apig.Acls;

/// <summary>Store key layout of ACL policies and their API bindings.</summary>
internal static class AclKeys
{
    public static string Policies(string instanceId) => $"apig/inst/{instanceId}/acls/";

    public static string Policy(string instanceId, string aclId) => Policies(instanceId) + aclId;

    /// <summary>One entry per (API, environment, ACL) binding, carrying top-level <c>api_id</c>, <c>env_id</c> and <c>acl_id</c>.</summary>
    public static string Bindings(string instanceId) => $"apig/inst/{instanceId}/acl-bindings/";

    public static string Binding(string instanceId, string bindingId) => Bindings(instanceId) + bindingId;
}
