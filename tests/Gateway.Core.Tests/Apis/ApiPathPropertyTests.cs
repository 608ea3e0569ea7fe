using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Apis;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apis;

/// <summary>
/// The request-path and parameter-name rules, checked against independent statements of the documented rules with
/// inputs generated from both sides: strings built to satisfy the rule, and strings over an alphabet of valid and
/// invalid characters.
/// </summary>
public sealed class ApiPathPropertyTests
{
    // NAME_PARAM: letters, digits, - _ .; starts with a letter; 1–32.
    private const string ParameterName = "[A-Za-z][A-Za-z0-9._-]{0,31}";

    // A literal segment: letters, digits, * - _ . and %-escapes.
    private const string Literal = "(?:[A-Za-z0-9*._-]|%[0-9A-Fa-f]{2})+";

    private static readonly Regex TemplateRule = new(
        $@"^/(?:(?:{Literal}|\{{{ParameterName}\}})/)*(?:{Literal}|\{{{ParameterName}\}}|\{{{ParameterName}\+\}})?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex TemplateParameter = new($@"\{{({ParameterName})\+?\}}", RegexOptions.CultureInvariant);

    private static readonly char[] NameCharacters = "abcXYZ019-_.".ToCharArray();
    private static readonly char[] LiteralCharacters = "azAZ09*-_.".ToCharArray();
    private static readonly string[] PathPieces = ["/", "/", "{", "}", "+", "%", "2F", "a", "Z", "0", "*", ".", "-", "_", " ", "#", "?", "é", "id", "{id}", "{x+}", "//"];
    private static readonly string[] InsertedPieces = ["/", "{", "}", "+", "%", "%4", " ", "#", "?", "~", "é", "{q}", "{r+}"];
    private static readonly string[] NamePieces = ["a", "Z", "q", "0", "9", "-", "_", ".", " ", "$", "é", "中", "/", "aaaaaaaaaaaaaaaa"];

    private static readonly ApiRequest Minimal = ApiJson.Request(ApiJson.With(ApiJson.Http, """
        {"req_uri": "/x", "req_params": null, "backend_params": null, "policy_https": null, "backend_api": {"req_uri": "/b"}}
        """));

    private static bool MatchesTemplateRule(string path, out List<string> names)
    {
        names = [];
        if (!TemplateRule.IsMatch(path))
        {
            return false;
        }

        foreach (Match match in TemplateParameter.Matches(path))
        {
            names.Add(match.Groups[1].Value);
        }

        return names.Distinct(StringComparer.Ordinal).Count() == names.Count;
    }

    private static bool MatchesNameRule(string name) =>
        name.Length is >= 1 and <= 32 &&
        char.IsAsciiLetter(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static Gen<string> Names =>
        from first in Gen.Elements("aqZX".ToCharArray())
        from rest in Gen.ArrayOf(Gen.Elements(NameCharacters)).Select(chars => new string(chars.Take(27).ToArray()))
        select first + rest;

    private static Gen<string> LiteralSegments =>
        Gen.NonEmptyListOf(Gen.OneOf(
                Gen.Elements(LiteralCharacters).Select(c => c.ToString()),
                Gen.Elements("%2F", "%20", "%aB")))
            .Select(parts => string.Concat(parts.Take(12)));

    /// <summary>Paths built to satisfy the rule, with their parameter names (unique even ignoring case).</summary>
    private static Gen<(string Path, List<string> Names)> ValidTemplates =>
        from count in Gen.Choose(0, 6)
        from segments in Gen.ListOf(Gen.OneOf(LiteralSegments.Select(s => (Text: s, IsParameter: false)), Names.Select(n => (Text: n, IsParameter: true))), count)
        from greedyLast in Gen.Elements(true, false)
        from trailingSlash in Gen.Elements(true, false)
        select Compose(segments.ToList(), greedyLast, trailingSlash);

    private static (string Path, List<string> Names) Compose(List<(string Text, bool IsParameter)> segments, bool greedyLast, bool trailingSlash)
    {
        var names = new List<string>();
        var parts = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            if (!segments[i].IsParameter)
            {
                parts.Add(segments[i].Text);
                continue;
            }

            var name = segments[i].Text + i;
            names.Add(name);
            var greedy = greedyLast && i == segments.Count - 1 && !trailingSlash;
            parts.Add(greedy ? $"{{{name}+}}" : $"{{{name}}}");
        }

        var path = "/" + string.Join('/', parts);
        if (trailingSlash && parts.Count > 0)
        {
            path += "/";
        }

        return (path, names);
    }

    private static Gen<string> ArbitraryPaths =>
        Gen.ListOf(Gen.Elements(PathPieces)).Select(pieces => string.Concat(pieces.Take(14)));

    /// <summary>Valid paths with one piece inserted somewhere: mostly just outside the rule.</summary>
    private static Gen<string> MutatedTemplates =>
        from sample in ValidTemplates
        from position in Gen.Choose(0, sample.Path.Length)
        from piece in Gen.Elements(InsertedPieces)
        select sample.Path.Insert(position, piece);

    /// <summary>Paths from all three sources.</summary>
    private static Gen<string> Paths => Gen.OneOf(ArbitraryPaths, ValidTemplates.Select(sample => sample.Path), MutatedTemplates);

    private static Gen<string> ArbitraryNames =>
        Gen.ListOf(Gen.Elements(NamePieces)).Select(pieces => string.Concat(pieces.Take(6)));

    private static ApiRequest WithPath(string path, IEnumerable<string> pathParameters) => Minimal with
    {
        ReqUri = path,
        ReqParams = pathParameters.Select(name => (ReqParamInput?)new ReqParamInput { Name = name, Type = "STRING", Location = "PATH" }).ToList(),
    };

    private static bool Accepts(ApiRequest request, out ApiErrorException? error)
    {
        try
        {
            ApiValidator.Build(request, "api", "2025-03-01T00:00:00.0000000Z", previous: null);
            error = null;
            return true;
        }
        catch (ApiErrorException exception)
        {
            error = exception;
            return false;
        }
    }

    [Fact]
    public void Built_templates_parse_to_their_parameters()
    {
        Prop.ForAll(ValidTemplates.ToArbitrary(), sample =>
            ApiPaths.ParseTemplate(sample.Path, allowVariables: false) is { } names && names.SequenceEqual(sample.Names))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_string_parses_exactly_when_it_matches_the_rule()
    {
        Prop.ForAll(Gen.ArrayOf(Paths, 10).ToArbitrary(), paths => paths.All(path =>
        {
            var expected = MatchesTemplateRule(path, out var names);
            var parsed = ApiPaths.ParseTemplate(path, allowVariables: false);
            return expected ? parsed is not null && parsed.SequenceEqual(names) : parsed is null;
        })).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_validator_accepts_a_req_uri_exactly_when_it_matches_the_rule()
    {
        Prop.ForAll(Gen.ArrayOf(Paths, 10).ToArbitrary(), paths => paths.All(path =>
        {
            var matchesRule = MatchesTemplateRule(path, out var names);
            var expectedCode = path.Length == 0 ? "APIG.2001"
                : !matchesRule ? "APIG.2011"
                : names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count ? "APIG.3209"
                : null;
            var accepted = Accepts(WithPath(path, names), out var error);
            return expectedCode is null ? accepted : !accepted && error!.ErrorCode == expectedCode;
        })).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Built_templates_with_their_path_parameters_are_accepted_by_the_validator()
    {
        Prop.ForAll(ValidTemplates.ToArbitrary(), sample => Accepts(WithPath(sample.Path, sample.Names), out _)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_path_parameter_without_a_PATH_req_param_is_APIG_2026()
    {
        Prop.ForAll(ValidTemplates.Where(sample => sample.Names.Count > 0).ToArbitrary(), sample =>
            !Accepts(WithPath(sample.Path, sample.Names.Skip(1)), out var error) && error!.ErrorCode == "APIG.2026").QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_validator_accepts_a_parameter_name_exactly_when_it_matches_NAME_PARAM()
    {
        var names = Gen.OneOf(ArbitraryNames, Names.Select(name => name.Length > 32 ? name[..32] : name));
        Prop.ForAll(Gen.ArrayOf(names, 10).ToArbitrary(), batch => batch.All(name =>
        {
            var request = Minimal with { ReqParams = [new ReqParamInput { Name = name, Type = "STRING", Location = "QUERY" }] };
            var accepted = Accepts(request, out var error);
            var expectedCode = name.Length == 0 ? "APIG.2001" : name.Length > 32 ? "APIG.2003" : "APIG.2011";
            return accepted == MatchesNameRule(name) && (accepted || error!.ErrorCode == expectedCode);
        })).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Backend_parameter_names_follow_the_same_rule()
    {
        Prop.ForAll(Gen.ArrayOf(Gen.OneOf(ArbitraryNames, Names), 10).ToArbitrary(), batch => batch.All(name =>
        {
            var request = Minimal with { BackendParams = [new BackendParamInput { Name = name, Origin = "CONSTANT", Location = "HEADER", Value = "v" }] };
            return Accepts(request, out _) == MatchesNameRule(name);
        })).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/a/", true)]
    [InlineData("/a/{b}/{c+}", true)]
    [InlineData("/%E4%B8%AD", true)]
    [InlineData("/*", true)]
    [InlineData("", false)]
    [InlineData("//", false)]
    [InlineData("/{a}/{a}", false)]
    [InlineData("/{a+}/", false)]
    [InlineData("/{1a}", false)]
    [InlineData("/{}", false)]
    [InlineData("/a?b", false)]
    [InlineData("/#var#", false)]
    public void Template_examples(string path, bool valid) =>
        Assert.Equal(valid, ApiPaths.ParseTemplate(path, allowVariables: false) is not null);

    [Theory]
    [InlineData("/#var_name#/x", true)]
    [InlineData("/a#prefix#b/{id}", true)]
    [InlineData("/#ab#", false)]
    [InlineData("/#unclosed", false)]
    public void Backend_templates_allow_variables(string path, bool valid) =>
        Assert.Equal(valid, ApiPaths.ParseTemplate(path, allowVariables: true) is not null);
}
