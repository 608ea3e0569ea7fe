using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Domains;

namespace Gateway.Core.Tests.Domains;

/// <summary>
/// Certificate name matching, restated label by label: equal names (ignoring case) match; a wildcard name
/// <c>*.rest</c> with at least two labels in <c>rest</c> matches a host with exactly one more, non-wildcard label.
/// </summary>
public sealed class DomainNameProperties
{
    private static readonly string[] Labels = ["*", "www", "a", "com", "WWW", "x*", ""];

    private static Gen<string> Name() =>
        Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(Labels), n)).Select(labels => string.Join('.', labels));

    private static bool Model(string pattern, string host)
    {
        var p = pattern.TrimEnd('.').ToLowerInvariant().Split('.');
        var h = host.TrimEnd('.').ToLowerInvariant().Split('.');
        if (p.Any(l => l.Length == 0) || h.Any(l => l.Length == 0))
        {
            // Empty labels never name anything except by being equal text (covered below).
            return string.Equals(pattern.TrimEnd('.'), host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && pattern.TrimEnd('.').Length > 0;
        }

        if (p.SequenceEqual(h))
        {
            return true;
        }

        return p[0] == "*" && p.Length >= 3 && h.Length == p.Length && !h[0].Contains('*') && p.Skip(1).SequenceEqual(h.Skip(1));
    }

    [Fact]
    public void Covers_agrees_with_the_label_model() =>
        Prop.ForAll(Name().ToArbitrary(), Name().ToArbitrary(), (pattern, host) =>
            Assert.True(Model(pattern, host) == DomainNames.Covers(pattern, host), $"{pattern} covers {host}: expected {Model(pattern, host)}"))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));

    [Fact]
    public void A_wildcard_covers_one_label_never_the_bare_suffix_nor_two_labels() =>
        Prop.ForAll(Gen.Elements("www", "api", "a1", "x-y").ToArbitrary(), Gen.Elements("example.com", "example.co.uk", "a.b.c").ToArbitrary(), (label, suffix) =>
        {
            Assert.True(DomainNames.Covers("*." + suffix, label + "." + suffix));
            Assert.True(DomainNames.Covers("*." + suffix.ToUpperInvariant(), label + "." + suffix));
            Assert.False(DomainNames.Covers("*." + suffix, suffix));
            Assert.False(DomainNames.Covers("*." + suffix, "deep." + label + "." + suffix));
            Assert.True(DomainNames.Covers("*." + suffix, "*." + suffix));
            Assert.False(DomainNames.Covers(label + "." + suffix, "*." + suffix));
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("*.com", "example.com", false)]
    [InlineData("*.com", "*.com", true)]
    [InlineData("w*.example.com", "www.example.com", false)]
    [InlineData("www.example.com.", "www.example.com", true)]
    [InlineData("", "", false)]
    [InlineData("*..com", "x..com", false)]
    [InlineData("*.a.com", "x*.a.com", false)]
    public void Covers_examples(string pattern, string host, bool expected) => Assert.Equal(expected, DomainNames.Covers(pattern, host));

    private static bool ValidModel(string domain)
    {
        if (domain.Length is 0 or > 255)
        {
            return false;
        }

        var labels = domain.Split('.');
        var start = labels[0] == "*" ? 1 : 0;
        if (labels.Length < 2 || labels.Length - start < 2)
        {
            return false;
        }

        for (var i = start; i < labels.Length; i++)
        {
            var l = labels[i];
            if (l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return char.IsAsciiLetter(labels[^1][0]);
    }

    [Fact]
    public void Domain_validity_agrees_with_the_label_model() =>
        Prop.ForAll(
            Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements("*", "www", "a", "-a", "a-", "b-c", "1", "12", "com", "a_b", "é", "", "x y"), n))
                .Select(labels => string.Join('.', labels)).ToArbitrary(),
            domain => Assert.True(ValidModel(domain) == DomainNames.IsValid(domain), domain)).Check(Config.QuickThrowOnFailure.WithMaxTest(5_000));

    [Theory]
    [InlineData("www.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("*.com", false)]
    [InlineData("1.2.3.4", false)]
    [InlineData("a.b1", true)]
    [InlineData("a.1b", false)]
    public void Validity_examples(string domain, bool expected) => Assert.Equal(expected, DomainNames.IsValid(domain));
}
