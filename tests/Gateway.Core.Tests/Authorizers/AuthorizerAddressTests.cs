using Gateway.Apig.Authorizers;

namespace Gateway.Core.Tests.Authorizers;

public sealed class AuthorizerAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/auth", true)]
    [InlineData("https://auth.example.com/check?x=1", true)]
    [InlineData("HTTPS://auth.example.com", true)]
    [InlineData("urn:fss:xx-xxx:106506b9a92342df9a5025fc12351cfc:function:default:apigDemo_1592617458814", true)]
    [InlineData("ftp://auth.example.com", false)]
    [InlineData("/relative/path", false)]
    [InlineData("https://auth.example.com/#x", false)]
    [InlineData("urn:", false)]
    [InlineData("urn:a::b", false)]
    [InlineData("urn:a b", false)]
    [InlineData("", false)]
    public void Addresses(string address, bool valid) => Assert.Equal(valid, AuthorizerAddress.IsValid(address));

    [Fact]
    public void The_call_target_is_the_alias_url_when_set_and_null_for_urns()
    {
        var authorizer = new Authorizer
        {
            Name = "auth",
            Type = "FRONTEND",
            AuthorizerType = "FUNC",
            AuthorizerUri = "http://primary.example.com/",
            NetworkType = "V1",
            Id = "id",
            CreateTime = "t",
        };
        Assert.Equal("http://primary.example.com/", AuthorizerAddress.CallTarget(authorizer)!.ToString());
        Assert.Equal("http://alias.example.com/", AuthorizerAddress.CallTarget(authorizer with { AuthorizerAliasUri = "http://alias.example.com/" })!.ToString());
        Assert.Null(AuthorizerAddress.CallTarget(authorizer with { AuthorizerUri = "urn:fss:r:p:function:default:f" }));
    }
}
