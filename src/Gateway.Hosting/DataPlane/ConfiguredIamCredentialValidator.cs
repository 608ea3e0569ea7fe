using System.Security.Cryptography;
using System.Text;
using Gateway.Hosting.Authentication;
using Gateway.Net.Routing;
using Gateway.Net.Security;

namespace Gateway.Hosting.DataPlane;

/// <summary>
/// The built-in IAM validator: accepts the tokens and AK/SK pairs the management API is configured with
/// (<see cref="ManagementAuthenticationOptions"/>), so IAM-protected APIs work without a cloud. Every credential belongs
/// to one configured caller. Tokens are looked up by their SHA-256 (so lookup timing reveals nothing about stored
/// tokens); both maps are built once, and a lookup allocates nothing.
/// </summary>
internal sealed class ConfiguredIamCredentialValidator : IIamCredentialValidator
{
    private readonly ByteKeyMap<IamCaller> _tokens;
    private readonly ByteKeyMap<IamAccessKey> _accessKeys;

    public ConfiguredIamCredentialValidator(ManagementAuthenticationOptions credentials, IamCaller caller)
    {
        var tokens = new List<KeyValuePair<byte[], IamCaller>>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in credentials.Tokens)
        {
            if (!string.IsNullOrEmpty(token) && seenTokens.Add(token))
            {
                tokens.Add(new(SHA256.HashData(Encoding.UTF8.GetBytes(token)), caller));
            }
        }

        var keys = new List<KeyValuePair<byte[], IamAccessKey>>();
        foreach (var (accessKey, secretKey) in credentials.AccessKeys)
        {
            if (!string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
            {
                keys.Add(new(Encoding.UTF8.GetBytes(accessKey), new IamAccessKey(Encoding.UTF8.GetBytes(secretKey), caller)));
            }
        }

        _tokens = new ByteKeyMap<IamCaller>(tokens);
        _accessKeys = new ByteKeyMap<IamAccessKey>(keys);
    }

    public IamCaller? ValidateToken(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty || _tokens.Count == 0)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token, digest);
        return _tokens.Find(digest);
    }

    public IamAccessKey? FindAccessKey(ReadOnlySpan<byte> accessKey) => _accessKeys.Find(accessKey);
}
