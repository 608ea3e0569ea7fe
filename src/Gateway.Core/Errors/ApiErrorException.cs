namespace Gateway.Errors;

/// <summary>
/// A documented management-plane error: the HTTP status, the <c>APIG.xxxx</c> (or <c>APIC.xxxx</c>) code and a message
/// that names the offending parameter or resource.
/// </summary>
public sealed class ApiErrorException(int statusCode, string errorCode, string message) : Exception(message)
{
    /// <summary>The HTTP status the REST surface answers with.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The documented error code, e.g. <c>APIG.2011</c>.</summary>
    public string ErrorCode { get; } = errorCode;
}
