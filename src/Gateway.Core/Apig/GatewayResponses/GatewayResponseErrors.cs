using Gateway.Errors;

namespace Gateway.Apig.GatewayResponses;

/// <summary>The documented errors of the gateway-response family, with messages in the documented style.</summary>
internal static class GatewayResponseErrors
{
    // The document shows no 404 for an unknown response ID; APIG.3007 "The configuration does not exist" is the
    // appendix entry that fits a group's response configuration.
    public static ApiErrorException NotFound(string id) => new(404, "APIG.3007", $"The gateway response {id} does not exist");

    public static ApiErrorException NameExists(string name) => new(400, "APIG.3216", $"The response name already exists,name:{name}");

    public static ApiErrorException TooMany(int limit) =>
        new(403, "APIG.3136", $"The number of responses exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException DefaultNotDeletable() => new(409, "APIG.3491", "The default response cannot be deleted");

    public static ApiErrorException DefaultNotRenamable() => new(409, "APIG.3492", "The default response name cannot be modified");

    public static ApiErrorException InvalidStatus(string parameter) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. The status must be 200-599 and must not be 444");

    public static ApiErrorException DuplicateHeader(string parameter, string key) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. The header {key} is given more than once");

    public static ApiErrorException DuplicateType(string parameter) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. The error type is given more than once");
}
