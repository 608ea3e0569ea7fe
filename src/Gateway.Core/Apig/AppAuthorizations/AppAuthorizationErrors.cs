using Gateway.Errors;

namespace Gateway.Apig.AppAuthorizations;

/// <summary>The documented errors of APP authorization (apig.md 3.10 and section 5).</summary>
internal static class AppAuthorizationErrors
{
    public static ApiErrorException NotFound(string authId) =>
        new(404, "APIG.3009", $"The app authorization record does not exist,id:{authId}");

    public static ApiErrorException Exists(string apiId, string appId, string envId) =>
        new(400, "APIG.3316", $"The API authorization record already exists,api_id:{apiId},app_id:{appId},env_id:{envId}");
}
