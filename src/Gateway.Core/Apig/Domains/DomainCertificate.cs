using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Apig.Domains;

/// <summary>
/// Checks a certificate and private key (PEM) for a custom domain and reads the details 3.12.7 shows. The checks run
/// in this order, each with its documented code: encrypted key (APIG.2105), unreadable certificate or key (APIG.2106),
/// chain order (APIG.2104), key mismatch (APIG.2101), expired (APIG.2102), expiry after 2038-01-19 03:14:07 UTC
/// (APIG.3148), no SAN (APIG.2109), domain not covered (APIG.2103).
/// </summary>
internal static class DomainCertificate
{
    /// <summary>The end of signed 32-bit Unix time, which the document names as the latest allowed expiry.</summary>
    public static readonly DateTimeOffset LatestExpiry = new(2038, 1, 19, 3, 14, 7, TimeSpan.Zero);

    private const string SanOid = "2.5.29.17";

    public static CertificateDetails Validate(string certContent, string privateKey, string domain, DateTimeOffset now)
    {
        if (privateKey.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) ||
            privateKey.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw DomainErrors.EncryptedKey();
        }

        var chain = ReadCertificates(certContent);
        try
        {
            var leaf = chain[0];
            var keyInfo = ReadPublicKeyOfPrivateKey(privateKey);
            for (var i = 0; i + 1 < chain.Count; i++)
            {
                if (!chain[i].IssuerName.RawData.AsSpan().SequenceEqual(chain[i + 1].SubjectName.RawData))
                {
                    throw DomainErrors.ChainOrder();
                }
            }

            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(keyInfo))
            {
                throw DomainErrors.KeyMismatch();
            }

            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
            if (notAfter < now)
            {
                throw DomainErrors.Expired();
            }

            if (notAfter > LatestExpiry)
            {
                throw DomainErrors.ExpiresTooLate();
            }

            var san = SubjectAlternativeNames(leaf) ?? throw DomainErrors.SanMissing();
            if (!san.Exists(name => DomainNames.Covers(name, domain)))
            {
                throw DomainErrors.NameMismatch(domain);
            }

            return Describe(leaf, san);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private static List<X509Certificate2> ReadCertificates(string pem)
    {
        var certificates = new List<X509Certificate2>();
        var rest = pem.AsSpan();
        try
        {
            while (PemEncoding.TryFind(rest, out var fields))
            {
                if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
                {
                    var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                    certificates.Add(X509CertificateLoader.LoadCertificate(der));
                }

                rest = rest[fields.Location.End..];
            }
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw DomainErrors.InvalidCertificate("cert_content");
        }

        return certificates.Count > 0 ? certificates : throw DomainErrors.InvalidCertificate("cert_content");
    }

    /// <summary>
    /// The SubjectPublicKeyInfo of the first RSA or EC private key in PKCS#8, PKCS#1 or SEC1 PEM. Other blocks (such as
    /// the "EC PARAMETERS" that OpenSSL writes before an EC key) are skipped.
    /// </summary>
    private static byte[] ReadPublicKeyOfPrivateKey(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label is "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "PRIVATE KEY")
            {
                return PublicKeyOf(label, rest[fields.Base64Data].ToString());
            }

            rest = rest[fields.Location.End..];
        }

        throw DomainErrors.InvalidCertificate("private_key");
    }

    private static byte[] PublicKeyOf(string label, string base64)
    {
        try
        {
            var der = Convert.FromBase64String(base64);
            switch (label)
            {
                case "RSA PRIVATE KEY":
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(der, out _);
                        return rsa.ExportSubjectPublicKeyInfo();
                    }

                case "EC PRIVATE KEY":
                    using (var ec = ECDsa.Create())
                    {
                        ec.ImportECPrivateKey(der, out _);
                        return ec.ExportSubjectPublicKeyInfo();
                    }

                default:
                    return Pkcs8PublicKey(der);
            }
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            throw DomainErrors.InvalidCertificate("private_key");
        }
    }

    private static byte[] Pkcs8PublicKey(byte[] der)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(der, out _);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            using var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(der, out _);
            return ec.ExportSubjectPublicKeyInfo();
        }
    }

    /// <summary>The DNS names of the SAN extension, or null when the certificate has none.</summary>
    private static List<string>? SubjectAlternativeNames(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == SanOid)
            {
                var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                return [.. san.EnumerateDnsNames()];
            }
        }

        return null;
    }

    private static CertificateDetails Describe(X509Certificate2 leaf, List<string> san)
    {
        var subject = Attributes(leaf.SubjectName);
        var issuer = Attributes(leaf.IssuerName);
        var issuerNames = issuer.Get("2.5.4.10");
        return new CertificateDetails
        {
            CommonName = subject.Get("2.5.4.3") is [var cn, ..] ? cn : "",
            San = san,
            Version = leaf.Version,
            Organization = subject.Get("2.5.4.10"),
            OrganizationalUnit = subject.Get("2.5.4.11"),
            Locality = subject.Get("2.5.4.7"),
            State = subject.Get("2.5.4.8"),
            Country = subject.Get("2.5.4.6"),
            NotBefore = Time(leaf.NotBefore),
            NotAfter = Time(leaf.NotAfter),
            SerialNumber = new BigInteger(leaf.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture),

            // The document's example lists the issuer's organization; issuers without one are named by their CN.
            Issuer = issuerNames.Count > 0 ? issuerNames : issuer.Get("2.5.4.3"),
            SignatureAlgorithm = SignatureAlgorithmName(leaf.SignatureAlgorithm),
        };
    }

    private static string Time(DateTime local) =>
        local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Names in the document's style (<c>SHA256-RSA</c>), for the common algorithms.</summary>
    private static string SignatureAlgorithmName(Oid algorithm) => algorithm.Value switch
    {
        "1.2.840.113549.1.1.4" => "MD5-RSA",
        "1.2.840.113549.1.1.5" => "SHA1-RSA",
        "1.2.840.113549.1.1.11" => "SHA256-RSA",
        "1.2.840.113549.1.1.12" => "SHA384-RSA",
        "1.2.840.113549.1.1.13" => "SHA512-RSA",
        "1.2.840.113549.1.1.10" => "RSA-PSS",
        "1.2.840.10045.4.1" => "ECDSA-SHA1",
        "1.2.840.10045.4.3.2" => "ECDSA-SHA256",
        "1.2.840.10045.4.3.3" => "ECDSA-SHA384",
        "1.2.840.10045.4.3.4" => "ECDSA-SHA512",
        "1.3.101.112" => "Ed25519",
        _ => algorithm.FriendlyName ?? algorithm.Value ?? "",
    };

    private static NameAttributes Attributes(X500DistinguishedName name)
    {
        var attributes = new NameAttributes();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value is { } oid && rdn.GetSingleElementValue() is { } value)
            {
                attributes.Add(oid, value);
            }
        }

        return attributes;
    }

    private sealed class NameAttributes
    {
        private readonly List<(string Oid, string Value)> _values = [];

        public void Add(string oid, string value) => _values.Add((oid, value));

        public List<string> Get(string oid)
        {
            var values = new List<string>();
            foreach (var (key, value) in _values)
            {
                if (key == oid)
                {
                    values.Add(value);
                }
            }

            return values;
        }
    }
}
