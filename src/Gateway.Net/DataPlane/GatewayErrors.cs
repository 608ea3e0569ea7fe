using System.Text;

namespace Gateway.Net.DataPlane;

/// <summary>
/// The gateway-response types the data plane answers failures with, their default statuses and the <c>APIG.0xxx</c>
/// codes Huawei's gateway uses (peer-gateways.md, "Huawei details").
/// </summary>
internal enum GatewayError : byte
{
    NotFound,
    RequestParametersFailure,
    BadRequest,
    BackendUnavailable,
    BackendTimeout,
    Throttled,
    AuthFailure,
    AuthHeaderMissing,
    AccessDenied,
    DefaultServerError,
    IamAuthFailure,
    AppAuthHeaderMissing,
    AppNotAuthorized,
    IpNotAuthorized,
    AppIpNotTrusted,
    AppQuotaExhausted,
    AuthorizerFailure,
    AuthorizerConfFailure,
    AuthorizerIdentityFailure,
    Unauthorized,
    NoBackendAvailable,
    RequestBodyTooLarge,
}

/// <summary>A failure's response: status, the response type name, the error code and message (pre-encoded JSON-safe bytes).</summary>
internal sealed class GatewayErrorResponse(int status, string type, string code, string message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public byte[] Code { get; } = Encoding.ASCII.GetBytes(code);

    public byte[] Message { get; } = Encoding.UTF8.GetBytes(message);

    public byte[] TypeBytes { get; } = Encoding.ASCII.GetBytes(type);
}

/// <summary>The default response of each error type (apig.md 3.19 / 4.11).</summary>
internal static class GatewayErrors
{
    private static readonly GatewayErrorResponse[] Defaults =
    [
        new(404, "NOT_FOUND", "APIG.0101", "The API does not exist or has not been published in the environment"),
        new(400, "REQUEST_PARAMETERS_FAILURE", "APIG.0201", "Invalid request parameters"),
        new(400, "DEFAULT_4XX", "APIG.0201", "Bad request"),
        new(502, "BACKEND_UNAVAILABLE", "APIG.0202", "Backend unavailable"),
        new(504, "BACKEND_TIMEOUT", "APIG.0203", "Backend timeout"),
        new(429, "THROTTLED", "APIG.0308", "The throttling threshold has been reached"),
        new(401, "AUTH_FAILURE", "APIG.0303", "Incorrect app authentication information"),
        new(401, "AUTH_HEADER_MISSING", "APIG.0301", "Incorrect IAM authentication information: the token is missing"),
        new(403, "ACCESS_DENIED", "APIG.0306", "API access denied"),
        new(500, "DEFAULT_5XX", "APIG.0705", "Internal error"),
        new(401, "AUTH_FAILURE", "APIG.0301", "Incorrect IAM authentication information"),
        new(401, "AUTH_HEADER_MISSING", "APIG.0303", "Incorrect app authentication information: the authorization header is missing"),
        // apig.md 4.4: an APP not authorized for the API in the environment fails with UNAUTHORIZED (401).
        new(401, "UNAUTHORIZED", "APIG.0304", "The app is not authorized to access the API"),
        new(403, "ACCESS_DENIED", "APIG.0402", "The IP address is not authorized to access the API"),
        new(403, "ACCESS_DENIED", "APIG.0405", "The app is not accessed from a trusted IP address"),
        new(405, "DEFAULT_4XX", "APIG.0501", "The app quota has been used up"),
        // The custom-authorizer codes are not in the published list; these are this library's choice.
        new(500, "AUTHORIZER_FAILURE", "APIG.0601", "Custom authentication failed: the authorizer refused the request"),
        new(500, "AUTHORIZER_CONF_FAILURE", "APIG.0602", "Custom authorizer error: communication failure or abnormal response"),
        new(401, "AUTHORIZER_IDENTITY_FAILURE", "APIG.0305", "Identity source of the custom authorizer is missing or invalid"),
        new(401, "UNAUTHORIZED", "APIG.0304", "The app is not authorized to access the API"),
        new(502, "BACKEND_UNAVAILABLE", "APIG.0610", "No backend available"),
        new(413, "DEFAULT_4XX", "APIG.0201", "Request entity too large"),
    ];

    public static GatewayErrorResponse Default(GatewayError error) => Defaults[(int)error];

    /// <summary>A 4xx for a refused request head (400, 413, 414, 431, 501, 505) with the generic 4XX code.</summary>
    public static GatewayErrorResponse ForRejection(int status) => status switch
    {
        400 => Defaults[(int)GatewayError.BadRequest],
        413 => RequestTooLarge,
        414 => UriTooLong,
        431 => HeadersTooLarge,
        _ => new GatewayErrorResponse(status, "DEFAULT_4XX", "APIG.0201", "Bad request"),
    };

    private static readonly GatewayErrorResponse RequestTooLarge = new(413, "DEFAULT_4XX", "APIG.0201", "Request entity too large");
    private static readonly GatewayErrorResponse UriTooLong = new(414, "DEFAULT_4XX", "APIG.0201", "Request URI too large");
    private static readonly GatewayErrorResponse HeadersTooLarge = new(431, "DEFAULT_4XX", "APIG.0201", "Request header fields too large");
}
