using Gateway.Errors;

namespace Gateway.Apig.Authorizers;

/// <summary>The documented errors of the custom-authorizer family, with messages in the documented style.</summary>
internal static class AuthorizerErrors
{
    public static ApiErrorException NotFound(string id) => new(404, "APIG.3081", $"authorizer with id: {id} not found");

    public static ApiErrorException NameExists(string name) => new(400, "APIG.3211", $"The authorizer name already exists,name:{name}");

    public static ApiErrorException IdentityExists(string parameter, string name) =>
        new(400, "APIG.3212", $"The identity source name already exists,parameterName:{parameter},name:{name}");

    public static ApiErrorException TooManyAuthorizers(int limit) =>
        new(403, "APIG.3116", $"The number of authorizers exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException TooManyIdentities(int limit) =>
        new(403, "APIG.3117", $"The number of identity sources exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException TypeImmutable() =>
        new(400, "APIG.2011", "Invalid parameter value,parameterName:type. The type of an authorizer cannot be changed");

    public static ApiErrorException InvalidAddress(string parameter) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. Expected an absolute http:// or https:// URL or a function URN");

    public static ApiErrorException InvalidValidation(string parameter) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. The validation expression is not a valid regular expression");

    // The document prints no code for this rule; APIG.1137 is the authorizer-specific refusal the appendix offers.
    public static ApiErrorException InUse(string id, string apiId) =>
        new(403, "APIG.1137", $"The authorizer {id} cannot be deleted because it is used by API {apiId}");
}
