using System.Security.Cryptography;

namespace Gateway.Apig.Apps;

/// <summary>Generated credentials. All come from the cryptographic random generator and are never logged.</summary>
internal static class AppSecrets
{
    /// <summary>A 32-character lowercase hex AppKey (128 random bits), the form of the documented examples.</summary>
    public static string NewAppKey() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>A 32-character lowercase hex AppSecret (128 random bits).</summary>
    public static string NewAppSecret() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>A 64-character lowercase hex AppCode (256 random bits), the form of the 3.28.9 example.</summary>
    public static string NewAppCode() => RandomNumberGenerator.GetHexString(64, lowercase: true);
}
