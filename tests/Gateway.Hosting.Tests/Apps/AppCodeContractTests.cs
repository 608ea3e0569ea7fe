using System.Net;

namespace Gateway.Hosting.Tests.Apps;

/// <summary>The REST contract of 3.28.8–3.28.12: AppCodes.</summary>
public sealed class AppCodeContractTests
{
    /// <summary>The base64-like value of the 3.28.8 example (its line breaks removed).</summary>
    private const string DocumentedCode =
        "GjOD3g80AABuuFeEJpVQADBlAjBh3UzC7W+gr4VJBB5BtJ4fdVOQoSvoji3gFxUDb5pWBz9wUcw9+8/bFZ1B/4pq29wCMQC0pQWX6zTndljDEl99As1pw+WntAU9xcq+ffagoH6zDpKUvdxV6Ezj8LcCcPZN6BU=";

    private static readonly string[] AppCodeKeys = ["app_code", "app_id", "create_time", "id"];

    [Fact]
    public async Task Create_show_list_and_delete()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");

        using var created = await host.PostAsync($"/apps/{appId}/app-codes", $$"""{"app_code":"{{DocumentedCode}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(AppCodeKeys, CredentialHost.Keys(created.Json));
        Assert.Equal(DocumentedCode, created.Json.GetProperty("app_code").GetString());
        Assert.Equal(appId, created.Json.GetProperty("app_id").GetString());
        Assert.Matches("^[0-9a-f]{32}$", created.Json.GetProperty("id").GetString());
        Assert.Equal("2025-03-01T08:30:01.0000000Z", created.Json.GetProperty("create_time").GetString());
        var firstId = created.Json.GetProperty("id").GetString()!;

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var generated = await host.PutAsync($"/apps/{appId}/app-codes", null);
        generated.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(AppCodeKeys, CredentialHost.Keys(generated.Json));
        Assert.Matches("^[0-9a-f]{64}$", generated.Json.GetProperty("app_code").GetString());
        var secondId = generated.Json.GetProperty("id").GetString()!;

        // 3.28.11 answers 201, as documented.
        using var shown = await host.GetAsync($"/apps/{appId}/app-codes/{firstId}");
        shown.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(created.Body, shown.Body);

        using var list = await host.GetAsync($"/apps/{appId}/app-codes");
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["app_codes", "size", "total"], CredentialHost.Keys(list.Json));
        Assert.Equal([secondId, firstId], CredentialHost.Strings(list.Json.GetProperty("app_codes"), "id"));
        Assert.Equal(2, list.Json.GetProperty("total").GetInt64());
        using var page = await host.GetAsync($"/apps/{appId}/app-codes?offset=1&limit=1");
        Assert.Equal([firstId], CredentialHost.Strings(page.Json.GetProperty("app_codes"), "id"));
        Assert.Equal(2, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());

        using var deleted = await host.DeleteAsync($"/apps/{appId}/app-codes/{firstId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await host.GetAsync($"/apps/{appId}/app-codes/{firstId}");
        gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3082");
        using var deletedAgain = await host.DeleteAsync($"/apps/{appId}/app-codes/{firstId}");
        deletedAgain.ShouldFail(HttpStatusCode.NotFound, "APIG.3082");
        using var malformed = await host.GetAsync($"/apps/{appId}/app-codes/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "app_code_id");
    }

    [Fact]
    public async Task A_code_belongs_to_its_app()
    {
        await using var host = await CredentialHost.StartAsync();
        var owner = await host.CreateAppAsync("owner_app");
        var other = await host.CreateAppAsync("other_app");
        using var generated = await host.PutAsync($"/apps/{owner}/app-codes", null);
        var codeId = generated.Json.GetProperty("id").GetString();

        using var viaOther = await host.GetAsync($"/apps/{other}/app-codes/{codeId}");
        viaOther.ShouldFail(HttpStatusCode.NotFound, "APIG.3082");
        using var deleteViaOther = await host.DeleteAsync($"/apps/{other}/app-codes/{codeId}");
        deleteViaOther.ShouldFail(HttpStatusCode.NotFound, "APIG.3082");
        using var otherList = await host.GetAsync($"/apps/{other}/app-codes");
        Assert.Equal(0, otherList.Json.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("{}", "APIG.2001")]
    [InlineData("""{"app_code":""}""", "APIG.2001")]
    [InlineData("""{"app_code":"a@63"}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@181"}""", "APIG.2003")]
    [InlineData("""{"app_code":"=a@64"}""", "APIG.2011")]
    [InlineData("""{"app_code":"_a@64"}""", "APIG.2011")]
    [InlineData("""{"app_code":"!a@64"}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@64&"}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@64'"}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@64 "}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@64^"}""", "APIG.2011")]
    [InlineData("""{"app_code":"a@64é"}""", "APIG.2011")]
    [InlineData("""{"app_code":12}""", "APIG.2012")]
    public async Task Create_rejects_values_outside_the_canonical_rule(string body, string code)
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");
        using var reply = await host.PostAsync($"/apps/{appId}/app-codes", Expand(body));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, "app_code");
    }

    [Theory]
    [InlineData("a@64")]
    [InlineData("Z@180")]
    [InlineData("+a@63")]
    [InlineData("/a@63")]
    [InlineData("9+_!@#$%-/=a@53")]
    public async Task Create_accepts_values_of_the_canonical_rule(string code)
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");
        var value = Expand(code);
        using var reply = await host.PostAsync($"/apps/{appId}/app-codes", $$"""{"app_code":"{{value}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(value, reply.Json.GetProperty("app_code").GetString());
    }

    [Fact]
    public async Task An_app_holds_at_most_five_codes()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo");
        var otherId = await host.CreateAppAsync("app_other");
        for (var i = 0; i < 5; i++)
        {
            using var generated = await host.PutAsync($"/apps/{appId}/app-codes", null);
            generated.ShouldBe(HttpStatusCode.Created);
        }

        using var sixth = await host.PutAsync($"/apps/{appId}/app-codes", null);
        sixth.ShouldFail(HttpStatusCode.Forbidden, "APIG.3131");
        using var sixthCustom = await host.PostAsync($"/apps/{appId}/app-codes", $$"""{"app_code":"{{new string('c', 64)}}"}""");
        sixthCustom.ShouldFail(HttpStatusCode.Forbidden, "APIG.3131");
        using var otherApp = await host.PutAsync($"/apps/{otherId}/app-codes", null);
        otherApp.ShouldBe(HttpStatusCode.Created);

        using var list = await host.GetAsync($"/apps/{appId}/app-codes");
        var someId = list.Json.GetProperty("app_codes")[0].GetProperty("id").GetString();
        using var deleted = await host.DeleteAsync($"/apps/{appId}/app-codes/{someId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.PutAsync($"/apps/{appId}/app-codes", null);
        again.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_code_value_is_unique_in_the_instance()
    {
        await using var host = await CredentialHost.StartAsync();
        var first = await host.CreateAppAsync("first_app");
        var second = await host.CreateAppAsync("second_app");
        using var created = await host.PostAsync($"/apps/{first}/app-codes", $$"""{"app_code":"{{DocumentedCode}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        using var sameApp = await host.PostAsync($"/apps/{first}/app-codes", $$"""{"app_code":"{{DocumentedCode}}"}""");
        sameApp.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "app_code");
        using var otherApp = await host.PostAsync($"/apps/{second}/app-codes", $$"""{"app_code":"{{DocumentedCode}}"}""");
        otherApp.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "app_code");
    }

    /// <summary>Expands <c>c@N</c> into the character c repeated N times.</summary>
    private static string Expand(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(.)@(\d+)", match =>
            new string(match.Groups[1].Value[0], int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
}
