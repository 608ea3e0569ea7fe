using Gateway.Errors;

namespace Gateway.Apig.VpcChannels;

/// <summary>The documented errors of VPC channels, with messages in the documented style.</summary>
internal static class VpcChannelErrors
{
    /// <summary>APIG.2011 with the reason spelled out, for rules that relate several fields.</summary>
    public static ApiErrorException Invalid(string parameter, string reason) =>
        new(400, "APIG.2011", $"Invalid parameter value,parameterName:{parameter}. {reason}");

    public static ApiErrorException NameExists(string name) =>
        new(400, "APIG.3208", $"The VPC channel name already exists,name:{name}");

    public static ApiErrorException TooManyChannels(int limit) =>
        new(403, "APIG.3109", $"The number of VPC channels exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException TooManyMembers(int limit) =>
        new(403, "APIG.3110", $"The number of cloud servers in the VPC channel exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException UsedByApi(string apiName) =>
        new(403, "APIG.3414", $"The VPC channel is already being used by another API,api_name:{apiName}");

    public static ApiErrorException ChannelNotFound(string id) =>
        new(404, "APIG.3023", $"The VPC channel does not exist,id:{id}");

    public static ApiErrorException MemberNotFound(string id) =>
        new(404, "APIG.3024", $"The VPC instance does not exist,id:{id}");

    /// <summary>The document has no code of its own for a missing server group; it is part of the channel, so the channel's code is used.</summary>
    public static ApiErrorException MemberGroupNotFound(string id) =>
        new(404, "APIG.3023", $"The VPC channel member group does not exist,id:{id}");
}
