using System.Security.Cryptography;
using System.Text;

namespace Gateway.Net.DataPlane.Signing;

/// <summary>The kinds of signature key the data plane applies (3.6 <c>sign_type</c>; <c>public_key</c> is not).</summary>
internal enum BackendSignType : byte
{
    Hmac,
    Basic,
    Aes,
}

/// <summary>
/// Signs the requests an API sends to its backend with the signature key bound to it in the request's environment
/// (3.6/3.7, §4.10). Key material is turned into bytes once, at compile time. Wire formats (all header names as sent):
/// <list type="bullet">
/// <item><b>hmac</b> — the SDK-HMAC-SHA256 scheme backends already verify for APP calls:
/// <c>X-Sdk-Date: yyyyMMddTHHmmssZ</c>, <c>X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD</c>, and
/// <c>Authorization: SDK-HMAC-SHA256 Access={sign_key}, SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature={hex}</c>
/// where hex = lower-hex HMAC-SHA256(key = UTF-8 sign_secret, "SDK-HMAC-SHA256\n{date}\n{lower-hex SHA-256(canonical request)}")
/// and the canonical request is <see cref="SdkCanonicalRequest"/>'s.</item>
/// <item><b>basic</b> — <c>Authorization: Basic base64(UTF-8 "{sign_key}:{sign_secret}")</c> (key = user, secret = password).</item>
/// <item><b>aes</b> — the same date and content headers and
/// <c>Authorization: SDK-AES-128-CFB SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature={hex}</c>
/// (<c>SDK-AES-256-CFB</c> for 32-byte keys) where hex = lower-hex AES-CFB (128-bit segments, no padding: as many
/// output bytes as input, like OpenSSL's aes-128-cfb) of "{algorithm}\n{date}\n{lower-hex SHA-256(canonical request)}"
/// under key = UTF-8 sign_key and IV = UTF-8 sign_secret. The backend recomputes and compares. The key is secret,
/// so no Access field. AES-CFB is encryption, not a MAC: prefer hmac where the backend can choose.</item>
/// </list>
/// The client's own <c>Authorization</c>, <c>X-Sdk-Date</c> and <c>X-Sdk-Content-Sha256</c> headers are not
/// forwarded to a signed backend: the gateway's replace them. Secrets never leave this type except as signatures.
/// </summary>
internal sealed class BackendSigner
{
    private const int HashHexLength = 64;

    private readonly byte[] _secret;
    private readonly byte[] _iv;
    private readonly Aes? _aes;
    private readonly byte[] _algorithm;

    private BackendSigner(string signId, BackendSignType type, byte[] accessKey, byte[] secret, byte[] iv, Aes? aes, byte[] algorithm, byte[] basicValue)
    {
        SignId = signId;
        Type = type;
        AccessKey = accessKey;
        _secret = secret;
        _iv = iv;
        _aes = aes;
        _algorithm = algorithm;
        BasicAuthorization = basicValue;
    }

    /// <summary>The key's id (not secret; for diagnostics).</summary>
    public string SignId { get; }

    public BackendSignType Type { get; }

    /// <summary>hmac: the <c>Access=</c> value (the key, which identifies the secret like an AppKey).</summary>
    public byte[] AccessKey { get; }

    /// <summary>basic: the whole <c>Authorization</c> value, computed once.</summary>
    public byte[] BasicAuthorization { get; }

    /// <summary>Whether this signer adds the date and content headers (hmac and aes).</summary>
    public bool SignsCanonicalRequest => Type != BackendSignType.Basic;

    /// <summary>The signer for a key, or null for a key this data plane cannot apply (public_key, a bad aes key).</summary>
    public static BackendSigner? Create(string signId, string signType, string signKey, string signSecret, string? signAlgorithm)
    {
        var key = Encoding.UTF8.GetBytes(signKey);
        var secret = Encoding.UTF8.GetBytes(signSecret);
        switch (signType)
        {
            case "hmac":
                return new BackendSigner(signId, BackendSignType.Hmac, key, secret, [], null, "SDK-HMAC-SHA256"u8.ToArray(), []);
            case "basic":
            {
                var value = Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(signKey + ":" + signSecret)));
                return new BackendSigner(signId, BackendSignType.Basic, [], [], [], null, [], value);
            }

            case "aes":
            {
                var bits = key.Length switch { 16 => 128, 32 => 256, _ => 0 };
                var expected = signAlgorithm switch { "aes-128-cfb" => 128, "aes-256-cfb" => 256, null or "" => bits, _ => -1 };
                if (bits == 0 || expected != bits || secret.Length != 16)
                {
                    return null;
                }

                var aes = Aes.Create();
                aes.Key = key;
                return new BackendSigner(signId, BackendSignType.Aes, [], [], secret, aes, Encoding.ASCII.GetBytes($"SDK-AES-{bits}-CFB"), []);
            }

            default:
                return null;
        }
    }

    /// <summary>
    /// Writes the <c>Authorization</c> value for a canonical request signed at <paramref name="date"/> into
    /// <paramref name="destination"/> (at least <see cref="MaxAuthorizationLength"/> bytes); returns its length.
    /// </summary>
    public int WriteAuthorization(ReadOnlySpan<byte> canonicalRequest, ReadOnlySpan<byte> date, Span<byte> destination)
    {
        if (Type == BackendSignType.Basic)
        {
            BasicAuthorization.CopyTo(destination);
            return BasicAuthorization.Length;
        }

        // String to sign: {algorithm}\n{date}\n{hex sha256(canonical)}
        Span<byte> stringToSign = stackalloc byte[32 + 1 + 32 + 1 + HashHexLength];
        var length = 0;
        _algorithm.CopyTo(stringToSign);
        length += _algorithm.Length;
        stringToSign[length++] = (byte)'\n';
        date.CopyTo(stringToSign[length..]);
        length += date.Length;
        stringToSign[length++] = (byte)'\n';
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(canonicalRequest, digest);
        WriteHex(digest, stringToSign[length..]);
        length += HashHexLength;
        stringToSign = stringToSign[..length];

        var written = 0;
        Put(_algorithm, destination, ref written);
        if (Type == BackendSignType.Hmac)
        {
            Put(" Access="u8, destination, ref written);
            Put(AccessKey, destination, ref written);
            Put(","u8, destination, ref written);
        }

        Put(" SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature="u8, destination, ref written);
        if (Type == BackendSignType.Hmac)
        {
            HMACSHA256.HashData(_secret, stringToSign, digest);
            WriteHex(digest, destination[written..]);
            return written + HashHexLength;
        }

        // CFB keeps the first n output bytes independent of what follows: encrypt with padding, keep n.
        Span<byte> cipher = stackalloc byte[stringToSign.Length + 16];
        lock (_aes!)
        {
            _aes.EncryptCfb(stringToSign, _iv, cipher, PaddingMode.PKCS7, feedbackSizeInBits: 128);
        }

        WriteHex(cipher[..stringToSign.Length], destination[written..]);
        return written + (2 * stringToSign.Length);
    }

    /// <summary>Room <see cref="WriteAuthorization"/> may need.</summary>
    public int MaxAuthorizationLength => Math.Max(BasicAuthorization.Length, 128 + AccessKey.Length + (2 * (32 + 1 + 32 + 1 + HashHexLength)));

    /// <summary>X-Sdk-Date for <paramref name="utc"/>: <c>yyyyMMddTHHmmssZ</c>, 16 bytes.</summary>
    public static void WriteSdkDate(DateTime utc, Span<byte> destination)
    {
        WriteDigits(utc.Year, 4, destination);
        WriteDigits(utc.Month, 2, destination[4..]);
        WriteDigits(utc.Day, 2, destination[6..]);
        destination[8] = (byte)'T';
        WriteDigits(utc.Hour, 2, destination[9..]);
        WriteDigits(utc.Minute, 2, destination[11..]);
        WriteDigits(utc.Second, 2, destination[13..]);
        destination[15] = (byte)'Z';
    }

    private static void Put(ReadOnlySpan<byte> bytes, Span<byte> destination, ref int written)
    {
        bytes.CopyTo(destination[written..]);
        written += bytes.Length;
    }

    private static void WriteDigits(int value, int count, Span<byte> destination)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = "0123456789abcdef"u8[bytes[i] >> 4];
            destination[(2 * i) + 1] = "0123456789abcdef"u8[bytes[i] & 0xF];
        }
    }

    public override string ToString() => $"{Type} backend signer {SignId}";
}
