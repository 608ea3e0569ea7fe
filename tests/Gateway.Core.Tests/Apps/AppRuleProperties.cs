using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Apps;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apps;

/// <summary>
/// The credential rules restated as plain predicates (apig.md 3.28 and the canonical AppCode charset of section 0) must
/// agree with what the managers apply on every string: accepted exactly when the rule holds, otherwise APIG.2001 (empty),
/// APIG.2003 (too long) or APIG.2011, naming the parameter.
/// </summary>
public sealed class AppRuleProperties
{
    private const string Letters = "aZmQ";
    private const string Digits = "09";

    // Every character any of the three rules allows, plus near misses: the garbled-set residue & and ', other ASCII
    // punctuation, whitespace, a non-ASCII letter and a Chinese character.
    private const string NearMisses = "&'^*.~ \t:é订";
    private const string AppCodeAllowed = Letters + Digits + "+_!@#$%-/=";
    private const string AppKeyAllowed = Letters + Digits + "_-";
    private const string AppSecretAllowed = Letters + Digits + "_-!@#$%";

    // Each near miss must be met alone in an otherwise valid value of valid length; that takes more than 100 cases.
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static bool IsLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static bool AppCodeRule(string s) =>
        s.Length is >= 64 and <= 180 && (IsLetterOrDigit(s[0]) || s[0] is '+' or '/') && s.All(c => IsLetterOrDigit(c) || "+_!@#$%-/=".Contains(c));

    private static bool AppKeyRule(string s) =>
        s.Length is >= 8 and <= 200 && IsLetterOrDigit(s[0]) && s.All(c => IsLetterOrDigit(c) || c is '_' or '-');

    private static bool AppSecretRule(string s) =>
        s.Length is >= 8 and <= 128 && IsLetterOrDigit(s[0]) && s.All(c => IsLetterOrDigit(c) || "_-!@#$%".Contains(c));

    /// <summary>
    /// Strings of the allowed characters, of lengths anywhere up to past the maximum but often right at the limits, and in
    /// a third of the cases with one character swapped for a near miss, so that both outcomes are frequent.
    /// </summary>
    private static Arbitrary<string> Candidates(string allowed, int minLength, int maxLength) =>
        Gen.OneOf(
                Gen.Choose(0, maxLength + 20),
                Gen.Elements(0, 1, minLength - 1, minLength, minLength + 1, maxLength - 1, maxLength, maxLength + 1))
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(allowed.ToCharArray()), length))
            .SelectMany(chars => Gen.Frequency(
                (2, Gen.Constant(new string(chars))),
                (1, chars.Length == 0
                    ? Gen.Elements(NearMisses.Select(c => c.ToString()).ToArray())
                    : Gen.Choose(0, chars.Length - 1).SelectMany(at => Gen.Elements(NearMisses.ToCharArray()).Select(miss =>
                    {
                        var copy = (char[])chars.Clone();
                        copy[at] = miss;
                        return new string(copy);
                    })))))
            .ToArbitrary();

    private static void Agrees(string value, string parameter, int maxLength, Func<string?, string?> apply, Func<string, bool> rule, bool emptyMeansAbsent)
    {
        ApiErrorException? error = null;
        string? accepted = null;
        try
        {
            accepted = apply(value);
        }
        catch (ApiErrorException e)
        {
            error = e;
        }

        if (value.Length == 0 && emptyMeansAbsent)
        {
            Assert.Null(error);
            Assert.Null(accepted);
            return;
        }

        if (rule(value))
        {
            Assert.Null(error);
            Assert.Equal(value, accepted);
            return;
        }

        Assert.NotNull(error);
        var expected = value.Length == 0 ? "APIG.2001" : value.Length > maxLength ? "APIG.2003" : "APIG.2011";
        Assert.Equal(expected, error!.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains($"parameterName:{parameter}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void App_codes_are_accepted_exactly_when_the_canonical_rule_holds() =>
        Prop.ForAll(Candidates(AppCodeAllowed, 64, 180), s => Agrees(s, "app_code", 180, AppRules.AppCode, AppCodeRule, emptyMeansAbsent: false))
            .Check(Thorough);

    [Fact]
    public void App_keys_are_accepted_exactly_when_the_documented_rule_holds() =>
        Prop.ForAll(Candidates(AppKeyAllowed, 8, 200), s => Agrees(s, "app_key", 200, AppRules.OptionalAppKey, AppKeyRule, emptyMeansAbsent: true))
            .Check(Thorough);

    [Fact]
    public void App_secrets_are_accepted_exactly_when_the_documented_rule_holds() =>
        Prop.ForAll(Candidates(AppSecretAllowed, 8, 128), s => Agrees(s, "app_secret", 128, AppRules.OptionalAppSecret, AppSecretRule, emptyMeansAbsent: true))
            .Check(Thorough);

    [Fact]
    public void The_candidates_exercise_both_outcomes()
    {
        // Guards the generators: a property whose inputs are all rejected (or all accepted) would prove little.
        foreach (var (allowed, min, max, rule) in new (string, int, int, Func<string, bool>)[]
        {
            (AppCodeAllowed, 64, 180, AppCodeRule), (AppKeyAllowed, 8, 200, AppKeyRule), (AppSecretAllowed, 8, 128, AppSecretRule),
        })
        {
            var samples = Candidates(allowed, min, max).Generator.Sample(500, 500);
            Assert.InRange(samples.Count(rule), 50, 450);
        }
    }

    [Fact]
    public void Generated_credentials_satisfy_the_rules_and_do_not_repeat()
    {
        var keys = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var key = AppSecrets.NewAppKey();
            var secret = AppSecrets.NewAppSecret();
            var code = AppSecrets.NewAppCode();
            Assert.Equal(key, AppRules.OptionalAppKey(key));
            Assert.Equal(secret, AppRules.OptionalAppSecret(secret));
            Assert.Equal(code, AppRules.AppCode(code));
            Assert.True(keys.Add(key) & keys.Add(secret) & keys.Add(code));
        }
    }

    [Theory]
    [InlineData("GjOD3g80AABuuFeEJpVQADBlAjBh3UzC7W+gr4VJBB5BtJ4fdVOQoSvoji3gFxUDb5pWBz9wUcw9+8/bFZ1B/4pq29wCMQC0pQWX6zTndljDEl99As1pw+WntAU9xcq+ffagoH6zDpKUvdxV6Ezj8LcCcPZN6BU=", true)]
    [InlineData("fdc8d90a30174460a91ddacfa54d6f04c92e523a85cc4a1894f87cb13b6f572a", true)]
    [InlineData("fdc8d90a30174460a91ddacfa54d6f04c92e523a85cc4a1894f87cb13b6f572", false)]
    [InlineData("=dc8d90a30174460a91ddacfa54d6f04c92e523a85cc4a1894f87cb13b6f572a", false)]
    [InlineData("fdc8d90a30174460a91ddacfa54d6f04c92e523a85cc4a1894f87cb13b6f57&a", false)]
    public void Documented_app_code_examples(string value, bool valid) => Assert.Equal(valid, AppPatterns.AppCode().IsMatch(value));

    [Fact]
    public void Records_holding_credentials_do_not_print_them()
    {
        const string secret = "TopSecret-0001";
        var app = new App { Id = "a", Name = "n", AppKey = "k", AppSecret = secret, RegisterTime = "t", UpdateTime = "t" };
        Assert.DoesNotContain(secret, app.ToString(), StringComparison.Ordinal);
        Assert.Contains("AppKey = k", app.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, new AppRequest { Name = "n", AppSecret = secret }.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, new ResetAppSecretRequest { AppSecret = secret }.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, new AppCodeRequest { AppCode = secret }.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, new AppCodeInfo { Id = "i", AppId = "a", AppCode = secret, CreateTime = "t" }.ToString(), StringComparison.Ordinal);
    }
}
