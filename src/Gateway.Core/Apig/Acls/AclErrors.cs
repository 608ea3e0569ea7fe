using Gateway.Errors;

namespace Gateway.Apig.Acls;

/// <summary>The documented errors of ACL policies and their bindings (apig.md section 5).</summary>
internal static class AclErrors
{
    public static ApiErrorException PolicyNotFound(string id) =>
        new(404, "APIG.3006", $"Access control policy {id} does not exist");

    public static ApiErrorException BindingNotFound(string id) =>
        new(404, "APIG.3010", $"The access control policy binding record does not exist,id:{id}");

    public static ApiErrorException PublicationNotFound(string publishId) =>
        new(404, "APIG.3015", $"The API publication record does not exist,publish_id:{publishId}");

    public static ApiErrorException NameExists(string name) =>
        new(400, "APIG.3206", $"The access control policy name already exists,name:{name}");

    public static ApiErrorException Bound(string id) =>
        new(403, "APIG.3447", $"The access control policy cannot be deleted because it has been bound to APIs,id:{id}");

    /// <summary>An API has one ACL of each entity type per environment; binding another one is refused.</summary>
    public static ApiErrorException AlreadyBound(string apiId, string envId, string entityType, string aclName) =>
        new(400, "APIG.3309", $"The operation has already been performed: API {apiId} is already bound to access control policy {aclName} of type {entityType} in environment {envId}");

    /// <summary>APIG.2015 for a malformed IP address or CIDR block in acl_value.</summary>
    public static ApiErrorException InvalidIp(string entry) =>
        new(400, "APIG.2015", $"Invalid IP address,parameterName:acl_value,value:{entry}");

    /// <summary>APIG.2011 naming acl_value with the rule the value breaks.</summary>
    public static ApiErrorException InvalidValue(string reason) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:acl_value. {reason}");

    /// <summary>APIG.2003 naming acl_value with the limit the value exceeds.</summary>
    public static ApiErrorException ValueTooLarge(string reason) =>
        new(400, "APIG.2003", $"The parameter value is too large,parameterName:acl_value. {reason}");

    public static ApiErrorException EntityTypeNotChangeable() =>
        new(400, "APIG.2011", "Invalid parameter value,parameterName:entity_type. The object type of an access control policy cannot be changed");
}
