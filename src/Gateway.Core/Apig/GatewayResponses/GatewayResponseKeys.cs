namespace Gateway.Apig.GatewayResponses;

/// <summary>Store keys of group gateway responses (entries carry a top-level <c>group_id</c> and go with their group).</summary>
internal static class GatewayResponseKeys
{
    public static string Responses(string instanceId) => $"apig/inst/{instanceId}/gateway-responses/";

    public static string Response(string instanceId, string responseId) => Responses(instanceId) + responseId;
}
