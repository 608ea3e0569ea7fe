using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Signatures;
using Gateway.Errors;

namespace Gateway.Core.Tests.Signatures;

/// <summary>
/// The per-type rules of sign_key and sign_secret (3.6.1), restated as plain predicates, must agree with the
/// validator on every string; and generated material always passes its own type's rules.
/// </summary>
public sealed class SignatureKeyRuleProperties
{
    // Every allowed class plus near misses: space, '^', '&', '.', non-ASCII, newline.
    private const string Alphabet = "aZ09_-!@#$%+/=^&. é\n";

    private static bool IsAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static Arbitrary<string> Values(int maxLength) =>
        Gen.Choose(0, maxLength)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), length))
            .Select(chars => new string(chars))
            .ToArbitrary();

    private static void Agrees(SignatureKeyRequest request, string value, string parameter, int max, Func<string, bool> rule)
    {
        ApiErrorException? error = null;
        SignatureKeyDefinition? definition = null;
        try
        {
            definition = SignatureKeyRules.Validate(request);
        }
        catch (ApiErrorException e)
        {
            error = e;
        }

        // Empty values count as omitted and are generated.
        if (value.Length == 0 || rule(value))
        {
            Assert.Null(error);
            Assert.NotNull(definition);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(value.Length > max ? "APIG.2003" : "APIG.2011", error!.ErrorCode);
        Assert.Contains($"parameterName:{parameter}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hmac_keys() =>
        Prop.ForAll(Values(40), s => Agrees(new SignatureKeyRequest { Name = "key_name", SignKey = s }, s, "sign_key", 32,
            v => v.Length is >= 8 and <= 32 && IsAlphanumeric(v[0]) && v.All(c => IsAlphanumeric(c) || c is '_' or '-'))).QuickCheckThrowOnFailure();

    [Fact]
    public void Basic_keys() =>
        Prop.ForAll(Values(40), s => Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "basic", SignKey = s }, s, "sign_key", 32,
            v => v.Length is >= 4 and <= 32 && IsLetter(v[0]) && v.All(c => IsAlphanumeric(c) || c is '_' or '-'))).QuickCheckThrowOnFailure();

    [Fact]
    public void Hmac_and_basic_secrets() =>
        Prop.ForAll(Values(70), s =>
        {
            static bool Charset(string v) => (IsAlphanumeric(v[0])) && v.All(c => IsAlphanumeric(c) || "_-!@#$%".Contains(c));
            Agrees(new SignatureKeyRequest { Name = "key_name", SignSecret = s }, s, "sign_secret", 64, v => v.Length is >= 16 and <= 64 && Charset(v));
            Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "basic", SignSecret = s }, s, "sign_secret", 64, v => v.Length is >= 8 and <= 64 && Charset(v));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Public_key_keys() =>
        Prop.ForAll(Values(40), s => Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "public_key", SignKey = s }, s, "sign_key", 512,
            v => v.Length is >= 8 and <= 512 && (IsAlphanumeric(v[0]) || v[0] is '+' or '/') && v.All(c => IsAlphanumeric(c) || "_-+/=".Contains(c)))).QuickCheckThrowOnFailure();

    [Fact]
    public void Aes_keys_and_vectors() =>
        Prop.ForAll(Values(36), s =>
        {
            static bool Charset(string v) => (IsAlphanumeric(v[0]) || v[0] is '+' or '/') && v.All(c => IsAlphanumeric(c) || "_-!@#$%+/=".Contains(c));
            Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "aes", SignAlgorithm = "aes-128-cfb", SignKey = s }, s, "sign_key", 16, v => v.Length == 16 && Charset(v));
            Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "aes", SignAlgorithm = "aes-256-cfb", SignKey = s }, s, "sign_key", 32, v => v.Length == 32 && Charset(v));
            Agrees(new SignatureKeyRequest { Name = "key_name", SignType = "aes", SignSecret = s }, s, "sign_secret", 16, v => v.Length == 16 && Charset(v));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Generated_material_passes_its_own_rules()
    {
        var shapes = Gen.Elements(
            ("hmac", (string?)null), ("basic", null), ("public_key", null), ("aes", "aes-128-cfb"), ("aes", "aes-256-cfb"), ("aes", null));
        Prop.ForAll(shapes.ToArbitrary(), shape =>
        {
            var generated = SignatureKeyRules.Validate(new SignatureKeyRequest { Name = "key_name", SignType = shape.Item1, SignAlgorithm = shape.Item2 });
            var again = SignatureKeyRules.Validate(new SignatureKeyRequest
            {
                Name = "key_name",
                SignType = generated.SignType,
                SignAlgorithm = generated.SignAlgorithm,
                SignKey = generated.SignKey,
                SignSecret = generated.SignSecret,
            });
            Assert.Equal(generated, again);
            Assert.Equal(shape.Item1 == "aes", generated.SignAlgorithm is not null);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Generated_values_are_random_letters_and_digits()
    {
        var values = Enumerable.Range(0, 200).Select(_ => SignatureKeyRules.Generate(32)).ToList();
        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(values, value => Assert.Matches("^[A-Za-z][A-Za-z0-9]{31}$", value));
    }
}
