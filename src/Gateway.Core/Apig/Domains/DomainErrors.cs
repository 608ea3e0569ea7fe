using Gateway.Errors;

namespace Gateway.Apig.Domains;

/// <summary>The documented errors of the domain family, with messages in the documented style.</summary>
internal static class DomainErrors
{
    public static ApiErrorException InvalidDomain(string parameter) => new(400, "APIG.2024", $"Invalid URL domain name,parameterName:{parameter}");

    public static ApiErrorException ReservedDomain(string domain) =>
        new(400, "APIG.2024", $"Invalid URL domain name,parameterName:url_domain. {domain} is under the gateway's own debug domain suffix");

    public static ApiErrorException DomainExists(string domain) => new(400, "APIG.3305", $"The URL domain name already exists,url_domain:{domain}");

    public static ApiErrorException TooManyDomains(int limit) =>
        new(403, "APIG.3108", $"The number of domain names exceeds the maximum allowed limit: {limit}");

    public static ApiErrorException NotFound(string id) => new(404, "APIG.3020", $"The URL domain does not exist,id:{id}");

    // 3.12.3/3.12.4 show this code with 400 (the appendix says 403); the per-operation status wins.
    public static ApiErrorException GroupMismatch(string domainId, string groupId) =>
        new(400, "APIG.3474", $"The API group ID in the URL does not match the API group to which the URL domain has been bound,domain_id:{domainId},group_id:{groupId}");

    public static ApiErrorException CertificateNotFound(string id) => new(404, "APIG.3021", $"The SSL certificate does not exist,id:{id}");

    public static ApiErrorException KeyMismatch() => new(400, "APIG.2101", "The certificate and private key do not match");

    public static ApiErrorException Expired() => new(400, "APIG.2102", "The certificate has expired");

    public static ApiErrorException NameMismatch(string domain) =>
        new(400, "APIG.2103", $"The certificate domain name and the custom domain name do not match,url_domain:{domain}");

    public static ApiErrorException ChainOrder() =>
        new(400, "APIG.2104", "The certificate chain is not matched: the server certificate must come first, each followed by its issuer");

    public static ApiErrorException EncryptedKey() => new(400, "APIG.2105", "Encrypted private keys are not supported");

    public static ApiErrorException InvalidCertificate(string parameter) =>
        new(400, "APIG.2106", $"Invalid certificate or private key,parameterName:{parameter}");

    public static ApiErrorException SanMissing() => new(400, "APIG.2109", "Invalid certificate. SAN missing");

    public static ApiErrorException ExpiresTooLate() =>
        new(400, "APIG.3148", "Invalid certificate. Add one that expires before January 19, 2038 03:14:07 UTC");
}
