using System.Security.Cryptography;
using System.Text;

namespace Gateway.Apig.GatewayResponses;

/// <summary>
/// The documented error types (3.19, 4.11) with their default statuses, and how a stored response resolves to what the
/// data plane sends.
/// </summary>
internal static class GatewayResponseCatalog
{
    /// <summary>The name of every group's default response.</summary>
    public const string DefaultName = "default";

    /// <summary>The documented default body template of every error type.</summary>
    public const string DefaultBody = """{"error_code": "$context.error.code", "error_msg": "$context.error.message", "request_id": "$context.requestId"}""";

    public const string AuthFailure = "AUTH_FAILURE";
    public const string AuthHeaderMissing = "AUTH_HEADER_MISSING";
    public const string AuthorizerFailure = "AUTHORIZER_FAILURE";
    public const string AuthorizerConfFailure = "AUTHORIZER_CONF_FAILURE";
    public const string AuthorizerIdentityFailure = "AUTHORIZER_IDENTITY_FAILURE";
    public const string BackendUnavailable = "BACKEND_UNAVAILABLE";
    public const string BackendTimeout = "BACKEND_TIMEOUT";
    public const string Throttled = "THROTTLED";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string AccessDenied = "ACCESS_DENIED";
    public const string NotFound = "NOT_FOUND";
    public const string RequestParametersFailure = "REQUEST_PARAMETERS_FAILURE";
    public const string Default4xx = "DEFAULT_4XX";
    public const string Default5xx = "DEFAULT_5XX";
    public const string ThirdAuthFailure = "THIRD_AUTH_FAILURE";
    public const string ThirdAuthIdentityFailure = "THIRD_AUTH_IDENTITY_FAILURE";
    public const string ThirdAuthConfFailure = "THIRD_AUTH_CONF_FAILURE";
    public const string OrchestrationParameterNotFound = "ORCHESTRATION_PARAMETER_NOT_FOUND";
    public const string OrchestrationFailure = "ORCHESTRATION_FAILURE";

    /// <summary>
    /// Every type in the documented enum order with its default status. DEFAULT_4XX/5XX have none: they keep the
    /// status of the error they stand for. The two orchestration types are in no example; 400 is this library's choice,
    /// as both describe a request that cannot be mapped.
    /// </summary>
    public static readonly IReadOnlyList<(string Type, int? Status)> Types =
    [
        (AuthFailure, 401),
        (AuthHeaderMissing, 401),
        (AuthorizerFailure, 500),
        (AuthorizerConfFailure, 500),
        (AuthorizerIdentityFailure, 401),
        (BackendUnavailable, 502),
        (BackendTimeout, 504),
        (Throttled, 429),
        (Unauthorized, 401),
        (AccessDenied, 403),
        (NotFound, 404),
        (RequestParametersFailure, 400),
        (Default4xx, null),
        (Default5xx, null),
        (ThirdAuthFailure, 401),
        (ThirdAuthIdentityFailure, 401),
        (ThirdAuthConfFailure, 500),
        (OrchestrationParameterNotFound, 400),
        (OrchestrationFailure, 400),
    ];

    /// <summary>
    /// The canonical type for a key as sent, or null if it is not a documented type. Some examples and descriptions
    /// print the plural <c>…_IDENTITIES_FAILURE</c>; it is accepted and means the singular enum value.
    /// </summary>
    public static string? Normalize(string? type) => type switch
    {
        null => null,
        "AUTHORIZER_IDENTITIES_FAILURE" => AuthorizerIdentityFailure,
        "THIRD_AUTH_IDENTITIES_FAILURE" => ThirdAuthIdentityFailure,
        _ => DefaultStatusIndex(type) >= 0 ? Types[DefaultStatusIndex(type)].Type : null,
    };

    /// <summary>The documented default status of a canonical type (null for DEFAULT_4XX/DEFAULT_5XX).</summary>
    public static int? DefaultStatus(string type)
    {
        var index = DefaultStatusIndex(type);
        return index >= 0 ? Types[index].Status : throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown gateway response type.");
    }

    /// <summary>The rule for a customized status: 200–599, but never 444.</summary>
    public static bool IsValidStatus(int status) => status is >= 200 and <= 599 and not 444;

    /// <summary>
    /// The response for an error of <paramref name="type"/> (canonical or plural form) under <paramref name="response"/>
    /// (null = the group has only its derived default). <paramref name="originalStatus"/> is the status of the error
    /// itself, used by DEFAULT_4XX/DEFAULT_5XX when they carry no status of their own.
    /// </summary>
    public static EffectiveGatewayResponse Effective(GatewayResponseRecord? response, string type, int originalStatus)
    {
        var canonical = Normalize(type) ?? throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown gateway response type.");
        ResponseCustomization? custom = null;
        response?.Customized.TryGetValue(canonical, out custom);
        var status = custom?.Status ?? DefaultStatus(canonical) ?? originalStatus;
        return new EffectiveGatewayResponse(status, custom?.Body ?? DefaultBody, custom?.Headers ?? []);
    }

    /// <summary>The ResponseInfoResp of one type: the customization merged over the defaults.</summary>
    public static ResponseInfoResp Describe(GatewayResponseRecord response, string type)
    {
        if (!response.Customized.TryGetValue(type, out var custom))
        {
            return new ResponseInfoResp { Status = DefaultStatus(type), Body = DefaultBody, Default = true };
        }

        return new ResponseInfoResp
        {
            Status = custom.Status ?? DefaultStatus(type),
            Body = custom.Body ?? DefaultBody,
            Headers = custom.Headers is { Count: > 0 } headers ? headers : null,
            Default = false,
        };
    }

    /// <summary>The response object with every documented type, in enum order.</summary>
    public static GatewayResponseView View(GatewayResponseRecord response)
    {
        var responses = new Dictionary<string, ResponseInfoResp>(Types.Count, StringComparer.Ordinal);
        foreach (var (type, _) in Types)
        {
            responses[type] = Describe(response, type);
        }

        return new GatewayResponseView
        {
            Name = response.Name,
            Responses = responses,
            Id = response.Id,
            Default = response.Default,
            CreateTime = response.CreateTime,
            UpdateTime = response.UpdateTime,
        };
    }

    /// <summary>
    /// The default response of a group before anyone changed it. Its ID is derived from the group ID so that it is the
    /// same on every read and on every node, without a write at group creation.
    /// </summary>
    public static GatewayResponseRecord DerivedDefault(string groupId, string groupRegisterTime)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("gateway-response-default:" + groupId));
        return new GatewayResponseRecord
        {
            Id = Convert.ToHexStringLower(hash.AsSpan(0, 16)),
            GroupId = groupId,
            Name = DefaultName,
            Default = true,
            CreateTime = groupRegisterTime,
            UpdateTime = groupRegisterTime,
        };
    }

    private static int DefaultStatusIndex(string type)
    {
        for (var i = 0; i < Types.Count; i++)
        {
            if (string.Equals(Types[i].Type, type, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
