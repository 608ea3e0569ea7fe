using Gateway.Errors;

namespace Gateway.Apig.Throttles;

/// <summary>The documented errors of throttling policies, their bindings and special settings (apig.md section 5).</summary>
internal static class ThrottleErrors
{
    public static ApiErrorException PolicyNotFound(string id) =>
        new(404, "APIG.3005", $"Request throttling policy {id} does not exist");

    public static ApiErrorException BindingNotFound(string id) =>
        new(404, "APIG.3012", $"The request throttling policy binding record does not exist,id:{id}");

    public static ApiErrorException SpecialNotFound(string id) =>
        new(404, "APIG.3013", $"Excluded request throttling configuration {id} does not exist");

    public static ApiErrorException AppNotFound(string id) =>
        new(404, "APIG.3004", $"App {id} does not exist");

    public static ApiErrorException PublicationNotFound(string publishId) =>
        new(404, "APIG.3015", $"The API publication record does not exist,publish_id:{publishId}");

    public static ApiErrorException NameExists(string name) =>
        new(400, "APIG.3204", $"The request throttling policy name already exists,name:{name}");

    public static ApiErrorException SpecialExists(string objectType, string objectId) =>
        new(400, "APIG.3308", $"The excluded request throttling configuration already exists,object_type:{objectType},object_id:{objectId}");

    /// <summary>An API has one throttling policy per environment; binding another one is refused.</summary>
    public static ApiErrorException AlreadyBound(string apiId, string envId, string policyName) =>
        new(400, "APIG.3309", $"The operation has already been performed: API {apiId} is already bound to request throttling policy {policyName} in environment {envId}");

    /// <summary>APIG.2003 for a limit that exceeds the limit it nests in.</summary>
    public static ApiErrorException ExceedsLimit(string parameter, string bound) =>
        new(400, "APIG.2003", $"The parameter value is too large,parameterName:{parameter}. It must not exceed {bound}");
}
