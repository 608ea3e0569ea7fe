using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apig;

/// <summary>
/// Each documented naming rule, restated as a plain character-class predicate, must agree with the validator on
/// every string: accepted exactly when the rule holds, otherwise rejected with APIG.2011 (or APIG.2003 when too long).
/// </summary>
public sealed class NamingRuleProperties
{
    // Characters the generators draw from: every allowed class plus near misses (space, '#', '$', other scripts, emoji halves).
    private const string Alphabet = "aZ09_-./()（）:：、订单#$ @é\t\u00e9\u3042+*%";

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fa5';

    private static Arbitrary<string> Names() =>
        Gen.Choose(0, 70)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), length))
            .Select(chars => new string(chars))
            .ToArbitrary();

    private static Arbitrary<string> ValidGroupNames() =>
        Gen.Choose(2, 254)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements("aZ09_-./()（）:：、订单".ToCharArray()), length))
            .SelectMany(rest => Gen.Elements('a', 'Z', '0', '订').Select(first => first + new string(rest)))
            .ToArbitrary();

    private static bool GroupRule(string s) =>
        s.Length is >= 3 and <= 255 &&
        (IsLetter(s[0]) || IsDigit(s[0]) || IsHan(s[0])) &&
        s.All(c => IsLetter(c) || IsDigit(c) || IsHan(c) || "-_./()（）:：、".Contains(c));

    private static bool PolicyRule(string s) =>
        s.Length is >= 3 and <= 64 && (IsLetter(s[0]) || IsHan(s[0])) && s.All(c => IsLetter(c) || IsDigit(c) || IsHan(c) || c == '_');

    private static bool EnvironmentRule(string s) =>
        s.Length is >= 3 and <= 64 && IsLetter(s[0]) && s.All(c => IsLetter(c) || IsDigit(c) || c == '_');

    private static bool VariableNameRule(string s) =>
        s.Length is >= 3 and <= 32 && IsLetter(s[0]) && s.All(c => IsLetter(c) || IsDigit(c) || c is '_' or '-');

    private static bool ParameterRule(string s) =>
        s.Length is >= 1 and <= 32 && IsLetter(s[0]) && s.All(c => IsLetter(c) || IsDigit(c) || c is '_' or '-' or '.');

    private static void AgreesWithRule(string value, int min, int max, System.Text.RegularExpressions.Regex pattern, Func<string, bool> rule)
    {
        ApiErrorException? error = null;
        try
        {
            Gateway.Apig.Common.Check.Text(value, "name", min, max, pattern);
        }
        catch (ApiErrorException e)
        {
            error = e;
        }

        if (rule(value))
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        var expected = value.Length == 0 ? "APIG.2001" : value.Length > max ? "APIG.2003" : "APIG.2011";
        Assert.Equal(expected, error!.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("parameterName:name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_and_api_names_follow_NAME_GROUP_API() =>
        Prop.ForAll(Names(), s => AgreesWithRule(s, 3, 255, ApigPatterns.GroupOrApiName(), GroupRule)).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_generated_valid_group_name_is_accepted() =>
        Prop.ForAll(ValidGroupNames(), s =>
        {
            Assert.True(GroupRule(s));
            AgreesWithRule(s, 3, 255, ApigPatterns.GroupOrApiName(), GroupRule);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Policy_names_follow_NAME_POLICY() =>
        Prop.ForAll(Names(), s => AgreesWithRule(s, 3, 64, ApigPatterns.PolicyName(), PolicyRule)).QuickCheckThrowOnFailure();

    [Fact]
    public void Environment_names_follow_NAME_ENV() =>
        Prop.ForAll(Names(), s => AgreesWithRule(s, 3, 64, ApigPatterns.EnvironmentName(), EnvironmentRule)).QuickCheckThrowOnFailure();

    [Fact]
    public void Variable_names_follow_the_variable_rule() =>
        Prop.ForAll(Names(), s => AgreesWithRule(s, 3, 32, ApigPatterns.VariableName(), VariableNameRule)).QuickCheckThrowOnFailure();

    [Fact]
    public void Parameter_names_follow_NAME_PARAM() =>
        Prop.ForAll(Names(), s => AgreesWithRule(s, 1, 32, ApigPatterns.ParameterName(), ParameterRule)).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("abc", true)]
    [InlineData("订单服务", true)]
    [InlineData("0group", true)]
    [InlineData("_group", false)]
    [InlineData("ab", false)]
    [InlineData("a b c", false)]
    [InlineData("a\nbc", false)]
    [InlineData("abc\n", false)]
    public void Group_name_examples(string name, bool valid) => Assert.Equal(valid, ApigPatterns.GroupOrApiName().IsMatch(name));
}
