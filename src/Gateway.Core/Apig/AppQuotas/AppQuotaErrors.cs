using Gateway.Errors;

namespace Gateway.Apig.AppQuotas;

/// <summary>The errors of credential quotas shown in the 3.29 examples.</summary>
internal static class AppQuotaErrors
{
    public static ApiErrorException NotFound(string quotaId) => new(404, "APIG.3093", $"App quota {quotaId} does not exist");

    public static ApiErrorException NameExists(string name) => new(400, "APIG.3325", $"The API quota name already exists,name:{name}");

    /// <summary>No code is documented for an APP bound to another quota; it is an invalid value of app_ids.</summary>
    public static ApiErrorException BoundElsewhere(string appId, string quotaId) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:app_ids. App {appId} is already bound to app quota {quotaId}");
}
