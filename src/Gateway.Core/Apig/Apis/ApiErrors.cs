using Gateway.Errors;

namespace Gateway.Apig.Apis;

/// <summary>The documented errors specific to the APIs family (apig.md section 5), with messages in the documented style.</summary>
internal static class ApiErrors
{
    /// <summary>APIG.2011 with the reason spelled out, for rules that relate several fields.</summary>
    public static ApiErrorException Invalid(string parameter, string reason) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. {reason}");

    public static ApiErrorException InvalidUrlDomain(string parameter) =>
        new(400, "APIG.2024", $"Invalid URL domain,parameterName:{parameter}");

    public static ApiErrorException InvalidPort(string parameter) =>
        new(400, "APIG.2025", $"Invalid port number,parameterName:{parameter}");

    public static ApiErrorException AuthorizerParameterNotAllowed(string parameter) =>
        new(400, "APIG.2036", $"Only APIs that use custom authentication can have authorizer parameters,parameterName:{parameter}");

    public static ApiErrorException NameExists(string name) =>
        new(400, "APIG.3202", $"The API name already exists,name:{name}");

    public static ApiErrorException ParameterNameExists(string parameter, string name) =>
        new(400, "APIG.3209", $"The parameter name already exists,parameterName:{parameter},name:{name}");

    public static ApiErrorException PolicyNameExists(string parameter, string name) =>
        new(400, "APIG.3210", $"The backend policy name already exists,parameterName:{parameter},name:{name}");

    public static ApiErrorException DefinitionExists(string existingApiName) =>
        new(400, "APIG.3301",
            "The API already exists, An API with the same combination of the method, path, and x-apigateway-match-mode fields already exists. " +
            $"API name: {existingApiName}");

    public static ApiErrorException ClientSslNotSupported(string parameter) =>
        new(400, "APIG.3717", $"Two-way TLS authentication not supported for HTTP or GRPC backend requests,parameterName:{parameter}");

    public static ApiErrorException TooManyTags(int limit) =>
        new(403, "APIG.3133", $"The number of API tags exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException PublicationNotFound(string apiId, string envId) =>
        new(404, "APIG.3015", $"The API publication record does not exist,api_id:{apiId},env_id:{envId}");

    public static ApiErrorException VersionNotEffective(string versionId, string envId) =>
        new(404, "APIG.3015", $"The API publication record does not exist: version {versionId} is not the effective version in environment {envId}");

    public static ApiErrorException Published(string apiId) =>
        new(409, "APIG.3416", $"The API cannot be deleted because it has been published,id:{apiId}");
}
