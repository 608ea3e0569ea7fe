using System.Text.RegularExpressions;

namespace Gateway.Apig.Signatures;

/// <summary>
/// The character rules of sign_key and sign_secret per sign_type (3.6.1). Lengths are checked separately so that
/// too-long values report APIG.2003. <c>\z</c> anchors the end, so a trailing newline does not slip through.
/// </summary>
internal static partial class SignaturePatterns
{
    /// <summary>hmac key: letters, digits, _ -; starts with a letter or digit.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]*\z")]
    public static partial Regex HmacKey();

    /// <summary>basic key: letters, digits, _ -; starts with a letter.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]*\z")]
    public static partial Regex BasicKey();

    /// <summary>public_key key: letters, digits, _ - + / =; starts with a letter, digit, + or /.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9+/][A-Za-z0-9_\-+/=]*\z")]
    public static partial Regex PublicKeyKey();

    /// <summary>aes key: letters, digits, _ - ! @ # $ % + / =; starts with a letter, digit, + or /.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9+/][A-Za-z0-9_\-!@#$%+/=]*\z")]
    public static partial Regex AesKey();

    /// <summary>hmac and basic secrets: letters, digits, _ - ! @ # $ %; starts with a letter or digit.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-!@#$%]*\z")]
    public static partial Regex PlainSecret();

    /// <summary>public_key secrets and aes vectors: letters, digits, _ - ! @ # $ % + / =; starts with a letter, digit, + or /.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9+/][A-Za-z0-9_\-!@#$%+/=]*\z")]
    public static partial Regex ExtendedSecret();
}
