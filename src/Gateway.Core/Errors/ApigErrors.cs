namespace Gateway.Errors;

/// <summary>Factories for the documented APIG error codes (apig.md section 5), with messages in the documented style.</summary>
internal static class ApigErrors
{
    private const string Doc = ". Please refer to the support documentation";

    public static ApiErrorException Unparsable(string detail) =>
        new(400, "APIG.2000", $"Parameter error: {detail}");

    public static ApiErrorException Missing(string parameter) =>
        new(400, "APIG.2001", $"The request parameters must be specified,parameterName:{parameter}{Doc}");

    public static ApiErrorException TooSmall(string parameter) =>
        new(400, "APIG.2002", $"The parameter value is too small,parameterName:{parameter}{Doc}");

    public static ApiErrorException TooLarge(string parameter) =>
        new(400, "APIG.2003", $"The parameter value is too large,parameterName:{parameter}{Doc}");

    public static ApiErrorException OutOfRange(string parameter) =>
        new(400, "APIG.2004", $"The parameter value is outside the allowable range,parameterName:{parameter}{Doc}");

    public static ApiErrorException Invalid(string parameter) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}{Doc}");

    public static ApiErrorException InvalidId(string parameter) =>
        new(400, "APIG.2012", $"Invalid parameter value,parameterName:{parameter}{Doc}");

    public static ApiErrorException RequestPathParamsUndefined(string parameter) =>
        new(400, "APIG.2026", $"The request path parameters are not defined,parameterName:{parameter}{Doc}");

    public static ApiErrorException BackendPathParamsUndefined(string parameter) =>
        new(400, "APIG.2027", $"The backend path parameters are not defined,parameterName:{parameter}{Doc}");

    public static ApiErrorException MappedParamUndefined(string parameter) =>
        new(400, "APIG.2028", $"The request parameters mapped to the backend parameters are not defined,parameterName:{parameter}{Doc}");

    public static ApiErrorException Conflict(string code, string message) => new(400, code, message);

    public static ApiErrorException NotFound(string code, string message) => new(404, code, message);

    public static ApiErrorException Forbidden(string code, string message) => new(403, code, message);

    public static ApiErrorException InstanceNotFound(string id) => new(404, "APIG.3030", $"The instance does not exist;id:{id}");

    public static ApiErrorException GroupNotFound(string id) => new(404, "APIG.3001", $"API group {id} does not exist");

    public static ApiErrorException ApiNotFound(string id) => new(404, "APIG.3002", $"API {id} does not exist");

    public static ApiErrorException EnvironmentNotFound(string id) => new(404, "APIG.3003", $"Environment {id} does not exist");

    public static ApiErrorException VariableNotFound(string id) => new(404, "APIG.3011", $"Environment variable {id} does not exist");

    public static ApiErrorException VersionNotFound(string id) => new(404, "APIG.3022", $"The API version does not exist,id:{id}");

    public static ApiErrorException InternalError() => new(500, "APIG.9999", "Internal Server Error");
}

/// <summary>The <c>APIC.xxxx</c> codes used by instance management (3.23).</summary>
internal static class ApicErrors
{
    public static ApiErrorException Invalid(string parameter) =>
        new(400, "APIC.7211", $"Parameter value does not match the rules, parameter name[{parameter}]");

    public static ApiErrorException MaintainWindowLength() =>
        new(400, "APIC.7230", "The maintenance time window must be 4 hours.");

    public static ApiErrorException MaintainWindowStart() =>
        new(400, "APIC.7235", "The maintenance time window must start or end with 2, 6, 10, 14, 18, or 22.");

    public static ApiErrorException AzRequired() => new(400, "APIC.7238", "An AZ must be specified.");

    public static ApiErrorException NameExists() => new(400, "APIC.7500", "The gateway name already exists.");

    public static ApiErrorException IdExists() => new(400, "APIC.7505", "The gateway ID already exists.");

    public static ApiErrorException SpecNotFound() => new(404, "APIC.7301", "Instance spec not found");

    public static ApiErrorException InstanceNotFound(string id) => new(404, "APIC.7302", $"Instance not found: {id}");
}
