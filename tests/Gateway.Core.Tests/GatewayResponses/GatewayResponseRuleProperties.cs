using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.GatewayResponses;
using Gateway.Errors;

namespace Gateway.Core.Tests.GatewayResponses;

/// <summary>The ResponseInfo rules: status 200–599 but not 444; 0–10 headers, keys 1–128 of letters/digits/'-', values 1–1024.</summary>
public sealed class GatewayResponseRuleProperties
{
    private static ApiErrorException? Error(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (ApiErrorException error)
        {
            return error;
        }
    }

    [Fact]
    public void A_status_is_accepted_exactly_when_it_is_200_to_599_and_not_444() =>
        Prop.ForAll(Gen.OneOf(Gen.Choose(-1000, 2000), Gen.Choose(195, 205), Gen.Choose(440, 448), Gen.Choose(595, 605), Gen.Constant(int.MinValue), Gen.Constant(int.MaxValue)).ToArbitrary(), status =>
        {
            var error = Error(() => GatewayResponseRules.Customization(new ResponseInfoInput { Status = status }, "responses.NOT_FOUND."));
            var valid = status is >= 200 and <= 599 && status != 444;
            Assert.Equal(valid, GatewayResponseCatalog.IsValidStatus(status));
            if (valid)
            {
                Assert.Null(error);
                return;
            }

            Assert.NotNull(error);
            Assert.Equal(400, error!.StatusCode);
            Assert.Equal(status < 200 ? "APIG.2004" : status > 599 ? "APIG.2003" : "APIG.2011", error.ErrorCode);
            Assert.Contains("parameterName:responses.NOT_FOUND.status", error.Message, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();

    private const string KeyAlphabet = "aZ09-";
    private const string NearMisses = "_ .:é";

    private static Gen<string> Key() =>
        Gen.Frequency(
            (8, Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements(KeyAlphabet.ToCharArray()), n)).Select(c => new string(c))),
            (1, Gen.Choose(126, 130).Select(n => new string('k', n))),
            (1, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements((KeyAlphabet + NearMisses).ToCharArray()), n)).Select(c => new string(c))));

    private static Gen<string> Value() =>
        Gen.Frequency(
            (8, Gen.Choose(1, 20).Select(n => new string('v', n))),
            (1, Gen.Choose(1020, 1028).Select(n => new string('v', n))),
            (1, Gen.Constant("")));

    private static Gen<List<ResponseHeaderInput?>> Headers() =>
        Gen.Choose(0, 13).SelectMany(count => Gen.ListOf(
            Key().SelectMany(key => Value().Select(value => (ResponseHeaderInput?)new ResponseHeaderInput { Key = key, Value = value })), count));

    private static bool KeyRule(string key) => key.Length is >= 1 and <= 128 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    [Fact]
    public void Headers_are_accepted_exactly_when_within_the_documented_limits() =>
        Prop.ForAll(Headers().ToArbitrary(), headers =>
        {
            var error = Error(() => GatewayResponseRules.Headers(headers, "headers"));
            var keys = headers.Select(h => h!.Key!).ToList();
            var valid = headers.Count <= 10 &&
                headers.All(h => KeyRule(h!.Key!) && h.Value!.Length is >= 1 and <= 1024) &&
                keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() == keys.Count;
            Assert.True(valid == (error is null), $"{headers.Count} headers: {error?.ErrorCode} {error?.Message}");
            if (error is not null)
            {
                Assert.Equal(400, error.StatusCode);
                Assert.Contains(error.ErrorCode, new[] { "APIG.2001", "APIG.2003", "APIG.2011" });
                Assert.Contains("parameterName:headers", error.Message, StringComparison.Ordinal);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Accepted_headers_keep_their_order_and_text() =>
        Prop.ForAll(Gen.Choose(0, 10).SelectMany(n => Gen.ListOf(Gen.Choose(1, 120), n)).ToArbitrary(), lengths =>
        {
            // Distinct keys of 3–123 characters and values of 1–120.
            var inputs = lengths.Select((length, i) => (ResponseHeaderInput?)new ResponseHeaderInput { Key = $"h{i}-" + new string('k', length), Value = new string('v', length) }).ToList();
            var headers = GatewayResponseRules.Headers(inputs, "headers")!;
            Assert.Equal(inputs.Select(h => h!.Key), headers.Select(h => h.Key));
            Assert.Equal(inputs.Select(h => h!.Value), headers.Select(h => h.Value));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_type_without_customization_gets_its_documented_default() =>
        Prop.ForAll(Gen.Elements(GatewayResponseCatalog.Types.ToArray()).ToArbitrary(), Gen.Choose(400, 599).ToArbitrary(), (entry, original) =>
        {
            var effective = GatewayResponseCatalog.Effective(null, entry.Type, original);
            Assert.Equal(entry.Status ?? original, effective.Status);
            Assert.Equal(GatewayResponseCatalog.DefaultBody, effective.BodyTemplate);
            Assert.Empty(effective.Headers);
        }).QuickCheckThrowOnFailure();
}
