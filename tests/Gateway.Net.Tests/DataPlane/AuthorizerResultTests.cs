using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.DataPlane.Authorizers;

namespace Gateway.Net.Tests.DataPlane;

public sealed class AuthorizerResultTests
{
    private static string Context(AuthorizerDecision decision, string name) =>
        decision.TryGet(Encoding.UTF8.GetBytes(name), out var value) ? Encoding.UTF8.GetString(value) : "<missing>";

    [Fact]
    public void Allow_keeps_string_number_and_boolean_context_values()
    {
        var body = """{"status":"allow","context":{"user":"al\"ice","level":3,"ratio":1.5e2,"admin":false,"gone":null,"uni":"\u00e9"}}"""u8;
        Assert.True(AuthorizerResult.TryParse(body, out var decision));
        Assert.True(decision.Allowed);
        Assert.Equal("al\"ice", Context(decision, "user"));
        Assert.Equal("3", Context(decision, "level"));
        Assert.Equal("1.5e2", Context(decision, "ratio"));
        Assert.Equal("false", Context(decision, "admin"));
        Assert.Equal("<missing>", Context(decision, "gone"));
        Assert.Equal("é", Context(decision, "uni"));
    }

    [Theory]
    [InlineData("""{"status":"deny"}""")]
    [InlineData("""{"status":"DENY","context":{"user":"x"}}""")]
    [InlineData("""{"statusCode":200,"body":"{\"status\":\"deny\"}"}""")]
    public void Deny_in_either_shape_is_a_deny_without_context(string body)
    {
        Assert.True(AuthorizerResult.TryParse(Encoding.UTF8.GetBytes(body), out var decision));
        Assert.False(decision.Allowed);
        Assert.Empty(decision.Names);
    }

    [Fact]
    public void The_functiongraph_wrapper_is_unwrapped()
    {
        var body = """{"statusCode":200,"headers":{"a":"b"},"body":"{\"status\":\"allow\",\"context\":{\"user\":\"bob\"}}"}"""u8;
        Assert.True(AuthorizerResult.TryParse(body, out var decision));
        Assert.True(decision.Allowed);
        Assert.Equal("bob", Context(decision, "user"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("allow")]
    [InlineData("<html>allow</html>")]
    [InlineData("[]")]
    [InlineData("""{"context":{"user":"x"}}""")]
    [InlineData("""{"status":"maybe"}""")]
    [InlineData("""{"status":true}""")]
    [InlineData("""{"status":"allow","context":{"user":{"name":"x"}}}""")]
    [InlineData("""{"status":"allow","context":{"roles":["a"]}}""")]
    [InlineData("""{"status":"allow","context":{"user":"x\r\nX-Admin: 1"}}""")]
    [InlineData("""{"status":"allow","context":{"":"x"}}""")]
    [InlineData("""{"status":"allow","context":"user"}""")]
    [InlineData("""{"status":"allow"} {"status":"deny"}""")]
    [InlineData("""{"status":"allow" """)]
    [InlineData("""{"statusCode":500,"body":"{\"status\":\"allow\"}"}""")]
    [InlineData("""{"statusCode":200,"body":"{\"statusCode\":200,\"body\":\"{}\"}"}""")]
    public void Anything_else_is_refused(string body)
    {
        Assert.False(AuthorizerResult.TryParse(Encoding.UTF8.GetBytes(body), out _));
    }

    [Fact]
    public void Arbitrary_bytes_never_throw()
    {
        Prop.ForAll(Gen.ArrayOf(Gen.Elements<byte>("{}[]\":,allowdenystatuscontext 01\\\r\n\u00ff"u8.ToArray())).ToArbitrary(), bytes =>
        {
            if (AuthorizerResult.TryParse(bytes, out var decision))
            {
                return decision.Names.Length == decision.Values.Length;
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }
}
