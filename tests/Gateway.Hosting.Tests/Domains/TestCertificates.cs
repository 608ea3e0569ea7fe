using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Gateway.Hosting.Tests.Domains;

/// <summary>Certificates made at test time (no key material is checked in).</summary>
internal static class TestCertificates
{
    public const string Subject = "CN=www.example.com, O=Example Org, OU=Web, L=Shenzhen, S=Guangdong, C=CN";

    /// <summary>Valid around the test hosts' manual clock (2025-03-01).</summary>
    public static readonly DateTimeOffset NotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NotAfter = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A self-signed EC certificate and its PKCS#8 key.</summary>
    public static (string Certificate, string Key) SelfSigned(
        string[]? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string subject = Subject, bool san = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (san)
        {
            request.CertificateExtensions.Add(Names(dnsNames ?? ["www.example.com"]));
        }

        using var certificate = request.CreateSelfSigned(notBefore ?? NotBefore, notAfter ?? NotAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A self-signed RSA certificate with the key in PKCS#1 ("RSA PRIVATE KEY") form.</summary>
    public static (string Certificate, string Key) SelfSignedRsa(string dnsName = "www.example.com")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(Names([dnsName]));
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return (certificate.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    /// <summary>A leaf signed by a CA: the PEM of the leaf then the CA (the documented order), the CA's PEM and the leaf key.</summary>
    public static (string Chain, string CaFirst, string Key) Chain(string dnsName = "www.example.com")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test Issuing CA, O=Test CA Org", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(NotBefore.AddDays(-1), NotAfter.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest(Subject, leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(Names([dnsName]));
        using var leaf = leafRequest.Create(ca, NotBefore, NotAfter, [1, 2, 3, 4, 5, 6, 7, 8]);
        return (leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem(), ca.ExportCertificatePem() + "\n" + leaf.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A self-signed EC certificate with its key as OpenSSL's <c>ecparam -genkey</c> writes it: parameters, then a SEC1 key.</summary>
    public static (string Certificate, string Key) SelfSignedSec1()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(Names(["www.example.com"]));
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        const string parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        return (certificate.ExportCertificatePem(), parameters + key.ExportECPrivateKeyPem());
    }

    /// <summary>A PKCS#8 key encrypted with a password.</summary>
    public static string EncryptedKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
    }

    /// <summary>An unrelated EC key.</summary>
    public static string OtherKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The 3.12.2 body.</summary>
    public static string Body(string name, string certificate, string key) =>
        new JsonObject { ["name"] = name, ["cert_content"] = certificate, ["private_key"] = key }.ToJsonString();

    private static X509Extension Names(string[] dnsNames)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            builder.AddDnsName(name);
        }

        return builder.Build();
    }
}
