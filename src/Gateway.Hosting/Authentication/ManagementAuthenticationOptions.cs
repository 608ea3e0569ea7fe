namespace Gateway.Hosting.Authentication;

/// <summary>
/// Credentials accepted by the management API. A request authenticates either with an <c>X-Auth-Token</c> header equal
/// to one of <see cref="Tokens"/>, or with a Huawei APIG <c>SDK-HMAC-SHA256</c> signature made with one of
/// <see cref="AccessKeys"/>. With nothing configured every request is rejected.
/// </summary>
public sealed class ManagementAuthenticationOptions
{
    /// <summary>Accepted <c>X-Auth-Token</c> values. Empty strings are ignored.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>Accepted access keys (AK) mapped to their secret keys (SK) for <c>SDK-HMAC-SHA256</c> signatures.</summary>
    public Dictionary<string, string> AccessKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The largest accepted difference between the server clock and a signed request's <c>X-Sdk-Date</c>.
    /// Defaults to 15 minutes, as APIG does.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The largest request body, in bytes, buffered to verify a signature. Larger signed requests are rejected;
    /// use a token for them. Defaults to 12 MiB, the APIG limit for AK/SK signing.
    /// </summary>
    public long MaxSignedBodyBytes { get; set; } = 12 * 1024 * 1024;
}
