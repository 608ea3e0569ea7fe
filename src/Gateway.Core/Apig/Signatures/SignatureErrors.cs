using Gateway.Errors;

namespace Gateway.Apig.Signatures;

/// <summary>The documented errors of signature keys and their bindings, with messages in the documented style.</summary>
internal static class SignatureErrors
{
    /// <summary>APIG.2011 with the reason spelled out, for rules that relate several fields.</summary>
    public static ApiErrorException Invalid(string parameter, string reason) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. {reason}");

    public static ApiErrorException NameExists(string name) =>
        new(400, "APIG.3207", $"The signature key name already exists,name:{name}");

    public static ApiErrorException KeyNotFound(string id) =>
        new(404, "APIG.3017", $"Signature key {id} does not exist");

    public static ApiErrorException BindingNotFound(string id) =>
        new(404, "APIG.3018", $"The signature key binding record does not exist,id:{id}");

    public static ApiErrorException PublicationNotFound(string publishId) =>
        new(404, "APIG.3015", $"The API publication record does not exist,publish_id:{publishId}");

    public static ApiErrorException AlreadyBound(string publishId, string boundKeyName) =>
        Invalid("publish_ids", $"The API of publication {publishId} is already bound to signature key {boundKeyName} in its environment; unbind it first");
}
