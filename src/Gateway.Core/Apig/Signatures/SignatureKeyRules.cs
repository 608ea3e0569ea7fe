using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Gateway.Apig.Common;

namespace Gateway.Apig.Signatures;

/// <summary>The validated content of a 3.6.1/3.6.2 body.</summary>
internal sealed record SignatureKeyDefinition(string Name, string SignType, string SignKey, string SignSecret, string? SignAlgorithm);

/// <summary>
/// The per-type rules of signature keys (3.6.1): which characters and lengths sign_key and sign_secret accept, and how
/// omitted values are generated. An omitted sign_type is <c>hmac</c>. Only <c>aes</c> keys have a sign_algorithm; an aes
/// key without one uses aes-256-cfb when its sign_key has 32 characters and aes-128-cfb otherwise.
/// </summary>
internal static class SignatureKeyRules
{
    public const string Hmac = "hmac";
    public const string Basic = "basic";
    public const string PublicKey = "public_key";
    public const string Aes = "aes";
    public const string Aes128 = "aes-128-cfb";
    public const string Aes256 = "aes-256-cfb";

    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string LettersAndDigits = Letters + "0123456789";

    private static readonly string[] Types = [Hmac, Basic, PublicKey, Aes];
    private static readonly string[] Algorithms = [Aes128, Aes256];

    /// <summary>The length limits and character rule of one kind of value, and the length generated values get.</summary>
    internal sealed record ValueRule(int MinLength, int MaxLength, Regex Pattern, int GeneratedLength);

    public static SignatureKeyDefinition Validate(SignatureKeyRequest request)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.PolicyName());
        var type = string.IsNullOrEmpty(request.SignType) ? Hmac : Check.OneOf(request.SignType, "sign_type", Types);

        // The document gives sign_algorithm the default "empty", so an empty string means none.
        string? algorithm = null;
        if (!string.IsNullOrEmpty(request.SignAlgorithm))
        {
            algorithm = Check.OneOf(request.SignAlgorithm, "sign_algorithm", Algorithms);
            if (type != Aes)
            {
                throw SignatureErrors.Invalid("sign_algorithm", "Only aes signature keys have a signature algorithm");
            }
        }
        else if (type == Aes)
        {
            algorithm = request.SignKey?.Length == 32 ? Aes256 : Aes128;
        }

        var key = Value(request.SignKey, "sign_key", KeyRule(type, algorithm));
        var secret = Value(request.SignSecret, "sign_secret", SecretRule(type));
        return new SignatureKeyDefinition(name, type, key, secret, algorithm);
    }

    public static ValueRule KeyRule(string type, string? algorithm) => type switch
    {
        Basic => new ValueRule(4, 32, SignaturePatterns.BasicKey(), 32),
        PublicKey => new ValueRule(8, 512, SignaturePatterns.PublicKeyKey(), 32),
        Aes when algorithm == Aes256 => new ValueRule(32, 32, SignaturePatterns.AesKey(), 32),
        Aes => new ValueRule(16, 16, SignaturePatterns.AesKey(), 16),
        _ => new ValueRule(8, 32, SignaturePatterns.HmacKey(), 32),
    };

    public static ValueRule SecretRule(string type) => type switch
    {
        Basic => new ValueRule(8, 64, SignaturePatterns.PlainSecret(), 32),
        PublicKey => new ValueRule(16, 2048, SignaturePatterns.ExtendedSecret(), 64),
        Aes => new ValueRule(16, 16, SignaturePatterns.ExtendedSecret(), 16),
        _ => new ValueRule(16, 64, SignaturePatterns.PlainSecret(), 32),
    };

    /// <summary>
    /// A cryptographically random value: a letter followed by letters and digits, which every type's rule accepts
    /// (basic keys must start with a letter).
    /// </summary>
    public static string Generate(int length)
    {
        var buffer = new char[length];
        RandomNumberGenerator.GetItems(Letters.AsSpan(), buffer.AsSpan(0, 1));
        RandomNumberGenerator.GetItems(LettersAndDigits.AsSpan(), buffer.AsSpan(1));
        return new string(buffer);
    }

    // An omitted (or empty) value is generated, as the document says for both create and update.
    private static string Value(string? value, string parameter, ValueRule rule) =>
        string.IsNullOrEmpty(value)
            ? Generate(rule.GeneratedLength)
            : Check.Text(value, parameter, rule.MinLength, rule.MaxLength, rule.Pattern);
}
