namespace Gateway.Apig.Authorizers;

/// <summary>Store keys of custom authorizers.</summary>
internal static class AuthorizerKeys
{
    public static string Authorizers(string instanceId) => $"apig/inst/{instanceId}/authorizers/";

    public static string Authorizer(string instanceId, string authorizerId) => Authorizers(instanceId) + authorizerId;
}
