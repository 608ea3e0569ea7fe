using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Health;

namespace Gateway.Net.Tests.Health;

public sealed class HttpStatusCodeSetTests
{
    [Theory]
    [InlineData("200", new[] { 200 }, new[] { 199, 201, 404 })]
    [InlineData("200,201,202", new[] { 200, 201, 202 }, new[] { 203, 204 })]
    [InlineData("200-299", new[] { 200, 250, 299 }, new[] { 199, 300, 500 })]
    [InlineData("201,202,210-299", new[] { 201, 202, 210, 299 }, new[] { 200, 203, 209, 300 })]
    [InlineData(" 200 , 301-302 ", new[] { 200, 301, 302 }, new[] { 303 })]
    [InlineData("100-599", new[] { 100, 599 }, new[] { 99, 600, 0, -1 })]
    public void Lists_ranges_and_mixes_accept_exactly_their_codes(string text, int[] accepted, int[] refused)
    {
        Assert.True(HttpStatusCodeSet.TryParse(text, out var set));
        Assert.All(accepted, code => Assert.True(set.Contains(code), $"{code} in {text}"));
        Assert.All(refused, code => Assert.False(set.Contains(code), $"{code} not in {text}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("20")]
    [InlineData("2000")]
    [InlineData("099")]
    [InlineData("600")]
    [InlineData("200,")]
    [InlineData(",200")]
    [InlineData("299-200")]
    [InlineData("200-")]
    [InlineData("-200")]
    [InlineData("200-300-400")]
    [InlineData("abc")]
    [InlineData("2O0")]
    public void Malformed_lists_are_refused_and_fall_back_to_200(string? text)
    {
        Assert.False(HttpStatusCodeSet.TryParse(text, out _));
        var fallback = HttpStatusCodeSet.ParseOrDefault(text);
        Assert.True(fallback.Contains(200));
        Assert.False(fallback.Contains(201));
    }

    [Fact]
    public void A_generated_list_accepts_exactly_the_codes_of_its_items() =>
        Prop.ForAll(
            Arb.From(
                from items in Gen.ListOf(
                    from low in Gen.Choose(100, 599)
                    from width in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(0, 120)))
                    select (Low: low, High: Math.Min(599, low + width))).Where(list => list.Count > 0)
                select items.ToArray()),
            items =>
            {
                var text = string.Join(",", items.Select(item => item.Low == item.High ? $"{item.Low}" : $"{item.Low}-{item.High}"));
                Assert.True(HttpStatusCodeSet.TryParse(text, out var set));
                for (var code = 90; code <= 610; code++)
                {
                    var expected = items.Any(item => code >= item.Low && code <= item.High);
                    Assert.Equal(expected, set.Contains(code));
                }

                // Equal content, equal sets: a reconfiguration sees the check unchanged.
                Assert.True(HttpStatusCodeSet.TryParse(string.Join(",", items.Reverse().Select(item => $"{item.Low}-{item.High}")), out var reordered));
                Assert.Equal(set, reordered);
                Assert.Equal(set.GetHashCode(), reordered.GetHashCode());
            }).QuickCheckThrowOnFailure();
}
