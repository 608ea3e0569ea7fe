using System.Net;

namespace Gateway.Hosting.Tests.Apps;

/// <summary>The REST contract of 3.28.14–3.28.16: APP access control.</summary>
public sealed class AppAclContractTests
{
    private const string DocumentedBody = """{"app_acl_type":"PERMIT","app_acl_values":["192.168.0.1","192.168.0.5-192.168.0.10","192.168.0.100/28"]}""";

    [Fact]
    public async Task Set_answers_201_show_200_delete_204()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");

        using var empty = await host.GetAsync($"/apps/{appId}/app-acl");
        empty.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["app_acl_values", "app_id"], CredentialHost.Keys(empty.Json));
        Assert.Equal(0, empty.Json.GetProperty("app_acl_values").GetArrayLength());

        using var set = await host.PutAsync($"/apps/{appId}/app-acl", DocumentedBody);
        set.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["app_acl_type", "app_acl_values", "app_id"], CredentialHost.Keys(set.Json));
        Assert.Equal(appId, set.Json.GetProperty("app_id").GetString());
        Assert.Equal("PERMIT", set.Json.GetProperty("app_acl_type").GetString());
        Assert.Equal(["192.168.0.1", "192.168.0.5-192.168.0.10", "192.168.0.100/28"],
            set.Json.GetProperty("app_acl_values").EnumerateArray().Select(value => value.GetString()));

        using var shown = await host.GetAsync($"/apps/{appId}/app-acl");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(set.Body, shown.Body);

        using var replaced = await host.PutAsync($"/apps/{appId}/app-acl", """{"app_acl_type":"DENY","app_acl_values":["::1","2001:db8::/32"]}""");
        replaced.ShouldBe(HttpStatusCode.Created);
        using var shownAgain = await host.GetAsync($"/apps/{appId}/app-acl");
        Assert.Equal("DENY", shownAgain.Json.GetProperty("app_acl_type").GetString());
        Assert.Equal(2, shownAgain.Json.GetProperty("app_acl_values").GetArrayLength());

        using var deleted = await host.DeleteAsync($"/apps/{appId}/app-acl");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var afterDelete = await host.GetAsync($"/apps/{appId}/app-acl");
        Assert.Equal(empty.Body, afterDelete.Body);
        using var deletedAgain = await host.DeleteAsync($"/apps/{appId}/app-acl");
        deletedAgain.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("""{"app_acl_values":["10.0.0.1"]}""", "APIG.2001", "app_acl_type")]
    [InlineData("""{"app_acl_type":"ALLOW","app_acl_values":["10.0.0.1"]}""", "APIG.2011", "app_acl_type")]
    [InlineData("""{"app_acl_type":"permit","app_acl_values":["10.0.0.1"]}""", "APIG.2011", "app_acl_type")]
    [InlineData("""{"app_acl_type":"PERMIT"}""", "APIG.2001", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":[]}""", "APIG.2001", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":"10.0.0.1"}""", "APIG.2012", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":[null]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":[""]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["256.1.1.1"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["010.0.0.1"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":[" 10.0.0.1"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1/33"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1/"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1/08"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.9-10.0.0.1"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1-::1"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1-10.0.0.2-10.0.0.3"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["::1/129"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["fe80::1%eth0"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["example.com"]}""", "APIG.2011", "app_acl_values")]
    [InlineData("""{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1","10.0.0.1"]}""", "APIG.3332", "app_acl_values")]
    public async Task Set_rejects_bad_input(string body, string code, string parameter)
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");
        using var reply = await host.PutAsync($"/apps/{appId}/app-acl", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
        using var shown = await host.GetAsync($"/apps/{appId}/app-acl");
        Assert.Equal(0, shown.Json.GetProperty("app_acl_values").GetArrayLength());
    }

    [Fact]
    public async Task At_most_one_hundred_values()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");
        var hundred = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"10.0.{i / 256}.{i % 256}\""));
        using var accepted = await host.PutAsync($"/apps/{appId}/app-acl", $$"""{"app_acl_type":"DENY","app_acl_values":[{{hundred}}]}""");
        accepted.ShouldBe(HttpStatusCode.Created);
        using var tooMany = await host.PutAsync($"/apps/{appId}/app-acl", $$"""{"app_acl_type":"DENY","app_acl_values":[{{hundred}},"10.1.0.0"]}""");
        tooMany.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "app_acl_values");
    }
}
