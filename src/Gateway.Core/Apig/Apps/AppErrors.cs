using Gateway.Errors;

namespace Gateway.Apig.Apps;

/// <summary>The documented errors of the credential family (apig.md 3.28 and section 5).</summary>
internal static class AppErrors
{
    /// <summary>APIG.3004; the examples of 3.28.2–3.28.6 print APIG.3002 with this message, a garble (apig.md section 0).</summary>
    public static ApiErrorException AppNotFound(string appId) => new(404, "APIG.3004", $"App {appId} does not exist");

    public static ApiErrorException AppCodeNotFound(string appCodeId) => new(404, "APIG.3082", $"The AppCode does not exist,id:{appCodeId}");

    public static ApiErrorException NameExists(string name) => new(400, "APIG.3203", $"The app name already exists,name:{name}");

    public static ApiErrorException AppKeyExists() => new(400, "APIG.3310", "The AppKey already exists,parameterName:app_key");

    /// <summary>No code is documented for a repeated AppCode value; it is an invalid value of app_code.</summary>
    public static ApiErrorException AppCodeExists() =>
        new(400, "APIG.2011", "Invalid parameter value,parameterName:app_code. The AppCode already exists");

    public static ApiErrorException TooManyAppCodes(int limit) =>
        new(403, "APIG.3131", $"The number of AppCodes exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException AclValueExists(string value) =>
        new(400, "APIG.3332", $"The IP address or IP address/CIDR mask already exists,parameterName:app_acl_values,value:{value}");
}
