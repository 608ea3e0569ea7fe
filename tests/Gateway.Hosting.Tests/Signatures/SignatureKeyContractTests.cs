using System.Net;
using System.Text.RegularExpressions;
using Gateway.Apig.Signatures;
using Gateway.Hosting.Tests.Apig;

namespace Gateway.Hosting.Tests.Signatures;

/// <summary>The REST contract of 3.6 signature keys.</summary>
public sealed class SignatureKeyContractTests
{
    private static string Repeat(char c, int count) => new(c, count);

    [Fact]
    public async Task Create_answers_201_with_an_hmac_key_and_generated_material()
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/signs", """{"name": "signature_demo"}""");

        reply.ShouldBe(HttpStatusCode.Created);
        var key = reply.Json;
        Assert.Equal(["id", "name", "sign_type", "sign_key", "sign_secret", "create_time", "update_time"], key.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^[0-9a-f]{32}$", FamilyHost.Text(key, "id"));
        Assert.Equal("signature_demo", FamilyHost.Text(key, "name"));
        Assert.Equal("hmac", FamilyHost.Text(key, "sign_type"));
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{31}$", FamilyHost.Text(key, "sign_key"));
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{31}$", FamilyHost.Text(key, "sign_secret"));
        Assert.Equal("2025-03-01T08:30:00.0000000Z", FamilyHost.Text(key, "create_time"));
        Assert.Equal(FamilyHost.Text(key, "create_time"), FamilyHost.Text(key, "update_time"));
    }

    [Fact]
    public async Task Generated_material_differs_between_keys()
    {
        await using var host = await FamilyHost.StartAsync();
        using var first = await host.PostAsync("/signs", """{"name": "first_key"}""");
        using var second = await host.PostAsync("/signs", """{"name": "second_key"}""");
        Assert.NotEqual(FamilyHost.Text(first.Json, "sign_key"), FamilyHost.Text(second.Json, "sign_key"));
        Assert.NotEqual(FamilyHost.Text(first.Json, "sign_secret"), FamilyHost.Text(second.Json, "sign_secret"));
    }

    [Theory]
    [InlineData("""{"name":"k_hmac","sign_key":"signkeysignkey","sign_secret":"sig_secret-!@#$%1"}""", "hmac", null)]
    [InlineData("""{"name":"k_hmac","sign_type":"hmac","sign_key":"0abcdefg","sign_secret":"0123456789abcdef"}""", "hmac", null)]
    [InlineData("""{"name":"k_basic","sign_type":"basic","sign_key":"user","sign_secret":"pass_word"}""", "basic", null)]
    [InlineData("""{"name":"k_pub","sign_type":"public_key","sign_key":"+abc/de=","sign_secret":"/abcdefghijklm=="}""", "public_key", null)]
    [InlineData("""{"name":"k_aes","sign_type":"aes","sign_algorithm":"aes-128-cfb","sign_key":"0123456789abcdef","sign_secret":"fedcba9876543210"}""", "aes", "aes-128-cfb")]
    [InlineData("""{"name":"k_aes","sign_type":"aes","sign_algorithm":"aes-256-cfb","sign_key":"0123456789abcdef0123456789abcde!","sign_secret":"+edcba9876543210"}""", "aes", "aes-256-cfb")]
    [InlineData("""{"name":"k_aes","sign_type":"aes","sign_key":"0123456789abcdef0123456789abcdef"}""", "aes", "aes-256-cfb")]
    [InlineData("""{"name":"k_aes","sign_type":"aes"}""", "aes", "aes-128-cfb")]
    [InlineData("""{"name":"k_empty","sign_type":"","sign_key":"","sign_secret":"","sign_algorithm":""}""", "hmac", null)]
    public async Task Valid_definitions_of_every_type_are_accepted(string body, string type, string? algorithm)
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/signs", body);
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(type, FamilyHost.Text(reply.Json, "sign_type"));
        Assert.Equal(algorithm, reply.Json.TryGetProperty("sign_algorithm", out var a) ? a.GetString() : null);
    }

    [Theory]
    [InlineData("hmac", null, 32, 32)]
    [InlineData("basic", null, 32, 32)]
    [InlineData("public_key", null, 32, 64)]
    [InlineData("aes", "aes-128-cfb", 16, 16)]
    [InlineData("aes", "aes-256-cfb", 32, 16)]
    public async Task Omitted_material_is_generated_to_fit_the_type(string type, string? algorithm, int keyLength, int secretLength)
    {
        await using var host = await FamilyHost.StartAsync();
        var algorithmField = algorithm is null ? "" : $$""","sign_algorithm":"{{algorithm}}" """;
        using var reply = await host.PostAsync("/signs", $$"""{"name":"generated","sign_type":"{{type}}"{{algorithmField}}}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Matches($"^[A-Za-z][A-Za-z0-9]{{{keyLength - 1}}}$", FamilyHost.Text(reply.Json, "sign_key"));
        Assert.Matches($"^[A-Za-z][A-Za-z0-9]{{{secretLength - 1}}}$", FamilyHost.Text(reply.Json, "sign_secret"));
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { """{"sign_type":"hmac"}""", "APIG.2001", "name" },
        { """{"name":""}""", "APIG.2001", "name" },
        { """{"name":"ab"}""", "APIG.2011", "name" },
        { """{"name":"1abc"}""", "APIG.2011", "name" },
        { """{"name":"abc-def"}""", "APIG.2011", "name" },
        { $$"""{"name":"a{{Repeat('b', 64)}}"}""", "APIG.2003", "name" },
        { """{"name":12}""", "APIG.2012", "name" },
        { """{"name":"abc","sign_type":"rsa"}""", "APIG.2011", "sign_type" },
        { """{"name":"abc","sign_type":"HMAC"}""", "APIG.2011", "sign_type" },
        { """{"name":"abc","sign_key":"short7_"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_key":"_abcdefgh"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_key":"abcdefgh!"}""", "APIG.2011", "sign_key" },
        { $$"""{"name":"abc","sign_key":"{{Repeat('k', 33)}}"}""", "APIG.2003", "sign_key" },
        { """{"name":"abc","sign_key":"abcdefgh\n"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_secret":"0123456789abcde"}""", "APIG.2011", "sign_secret" },
        { """{"name":"abc","sign_secret":"-123456789abcdef"}""", "APIG.2011", "sign_secret" },
        { """{"name":"abc","sign_secret":"0123456789abcdef+"}""", "APIG.2011", "sign_secret" },
        { $$"""{"name":"abc","sign_secret":"{{Repeat('s', 65)}}"}""", "APIG.2003", "sign_secret" },
        { """{"name":"abc","sign_type":"basic","sign_key":"1abc"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_type":"basic","sign_key":"abc"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_type":"basic","sign_secret":"1234567"}""", "APIG.2011", "sign_secret" },
        { """{"name":"abc","sign_type":"public_key","sign_key":"=abcdefgh"}""", "APIG.2011", "sign_key" },
        { $$"""{"name":"abc","sign_type":"public_key","sign_key":"{{Repeat('k', 513)}}"}""", "APIG.2003", "sign_key" },
        { $$"""{"name":"abc","sign_type":"public_key","sign_secret":"{{Repeat('s', 2049)}}"}""", "APIG.2003", "sign_secret" },
        { """{"name":"abc","sign_type":"aes","sign_algorithm":"aes-128-cfb","sign_key":"0123456789abcde"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_type":"aes","sign_algorithm":"aes-128-cfb","sign_key":"0123456789abcdef0123456789abcdef"}""", "APIG.2003", "sign_key" },
        { """{"name":"abc","sign_type":"aes","sign_algorithm":"aes-256-cfb","sign_key":"0123456789abcdef"}""", "APIG.2011", "sign_key" },
        { """{"name":"abc","sign_type":"aes","sign_secret":"0123456789abcdef0"}""", "APIG.2003", "sign_secret" },
        { """{"name":"abc","sign_type":"aes","sign_secret":"0123456789abcd^f"}""", "APIG.2011", "sign_secret" },
        { """{"name":"abc","sign_type":"aes","sign_algorithm":"aes-512-cfb"}""", "APIG.2011", "sign_algorithm" },
        { """{"name":"abc","sign_algorithm":"aes-128-cfb"}""", "APIG.2011", "sign_algorithm" },
        { """{"name":"abc","sign_type":"basic","sign_algorithm":"aes-256-cfb"}""", "APIG.2011", "sign_algorithm" },
        { """{"name":"abc""", "APIG.2000", "" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_rejects_bad_input_naming_the_parameter(string body, string code, string parameter)
    {
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/signs", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter.Length == 0 ? null : parameter);
        using var list = await host.GetAsync("/signs");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Update_applies_the_same_rules()
    {
        await using var host = await FamilyHost.StartAsync();
        using var created = await host.PostAsync("/signs", """{"name": "signature_demo"}""");
        var id = FamilyHost.Text(created.Json, "id");
        foreach (var (body, code, parameter) in InvalidBodies().Select(row => ((string)row[0], (string)row[1], (string)row[2])))
        {
            using var reply = await host.PutAsync($"/signs/{id}", body);
            reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter.Length == 0 ? null : parameter);
        }
    }

    [Fact]
    public async Task Names_are_unique_per_instance()
    {
        await using var host = await FamilyHost.StartAsync();
        using var first = await host.PostAsync("/signs", """{"name": "signature_demo"}""");
        using var second = await host.PostAsync("/signs", """{"name": "other_key"}""");

        using var duplicate = await host.PostAsync("/signs", """{"name": "signature_demo"}""");
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3207", "signature_demo");
        using var renamed = await host.PutAsync($"/signs/{FamilyHost.Text(second.Json, "id")}", """{"name": "signature_demo"}""");
        renamed.ShouldFail(HttpStatusCode.BadRequest, "APIG.3207");

        // Keeping one's own name is not a conflict, and names are case-sensitive.
        using var same = await host.PutAsync($"/signs/{FamilyHost.Text(first.Json, "id")}", """{"name": "signature_demo"}""");
        same.ShouldBe(HttpStatusCode.OK);
        using var otherCase = await host.PostAsync("/signs", """{"name": "Signature_demo"}""");
        otherCase.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_replaces_the_definition_and_regenerates_omitted_material()
    {
        await using var host = await FamilyHost.StartAsync();
        using var created = await host.PostAsync("/signs", """{"name": "signature_demo", "sign_key": "signkeysignkey", "sign_secret": "signsecretsignsecret"}""");
        var id = FamilyHost.Text(created.Json, "id");
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var kept = await host.PutAsync($"/signs/{id}", """{"name": "renamed_key", "sign_key": "signkeysignkey", "sign_secret": "signsecretsignsecret"}""");
        kept.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(id, FamilyHost.Text(kept.Json, "id"));
        Assert.Equal("renamed_key", FamilyHost.Text(kept.Json, "name"));
        Assert.Equal("signkeysignkey", FamilyHost.Text(kept.Json, "sign_key"));
        Assert.Equal("2025-03-01T08:30:00.0000000Z", FamilyHost.Text(kept.Json, "create_time"));
        Assert.Equal("2025-03-01T08:31:00.0000000Z", FamilyHost.Text(kept.Json, "update_time"));

        using var regenerated = await host.PutAsync($"/signs/{id}", """{"name": "renamed_key", "sign_type": "aes", "sign_algorithm": "aes-256-cfb"}""");
        regenerated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("aes", FamilyHost.Text(regenerated.Json, "sign_type"));
        Assert.Equal("aes-256-cfb", FamilyHost.Text(regenerated.Json, "sign_algorithm"));
        Assert.Equal(32, FamilyHost.Text(regenerated.Json, "sign_key").Length);
        Assert.Equal(16, FamilyHost.Text(regenerated.Json, "sign_secret").Length);

        using var list = await host.GetAsync("/signs");
        Assert.Equal(FamilyHost.Text(regenerated.Json, "sign_key"), FamilyHost.Text(list.Json.GetProperty("signs")[0], "sign_key"));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids()
    {
        await using var host = await FamilyHost.StartAsync();
        using var update = await host.PutAsync($"/signs/{FamilyHost.Unknown}", """{"name": "signature_demo"}""");
        update.ShouldFail(HttpStatusCode.NotFound, "APIG.3017", FamilyHost.Unknown);
        using var delete = await host.DeleteAsync($"/signs/{FamilyHost.Unknown}");
        delete.ShouldFail(HttpStatusCode.NotFound, "APIG.3017");
        using var malformed = await host.DeleteAsync("/signs/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "sign_id");
        using var instance = await host.Host.PostAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/{FamilyHost.Unknown}/signs", """{"name": "signature_demo"}""");
        instance.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task Delete_answers_204_and_the_key_is_gone()
    {
        await using var host = await FamilyHost.StartAsync();
        using var created = await host.PostAsync("/signs", """{"name": "signature_demo"}""");
        var id = FamilyHost.Text(created.Json, "id");

        using var deleted = await host.DeleteAsync($"/signs/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Empty(deleted.Body);
        using var again = await host.DeleteAsync($"/signs/{id}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3017");
        using var list = await host.GetAsync("/signs");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task List_pages_filters_and_counts_bindings()
    {
        await using var host = await FamilyHost.StartAsync();
        var ids = new List<string>();
        foreach (var name in new[] { "alpha_key", "beta_key", "alpha_two", "gamma" })
        {
            host.Clock.Advance(TimeSpan.FromSeconds(1));
            using var created = await host.PostAsync("/signs", $$"""{"name": "{{name}}"}""");
            ids.Add(FamilyHost.Text(created.Json, "id"));
        }

        using var all = await host.GetAsync("/signs");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["size", "total", "signs"], all.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
        Assert.Equal(ids, FamilyHost.Ids(all, "signs"));
        var item = all.Json.GetProperty("signs")[0];
        Assert.Equal(0, item.GetProperty("bind_num").GetInt32());
        Assert.Equal(0, item.GetProperty("ldapi_bind_num").GetInt32());

        using var page = await host.GetAsync("/signs?offset=1&limit=2");
        Assert.Equal(4, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(2, page.Json.GetProperty("size").GetInt32());
        Assert.Equal(ids[1..3], FamilyHost.Ids(page, "signs"));

        using var coerced = await host.GetAsync("/signs?offset=-5&limit=0");
        Assert.Equal(ids, FamilyHost.Ids(coerced, "signs"));

        using var fuzzy = await host.GetAsync("/signs?name=ALPHA");
        Assert.Equal([ids[0], ids[2]], FamilyHost.Ids(fuzzy, "signs"));
        using var precise = await host.GetAsync("/signs?name=alpha&precise_search=name");
        Assert.Equal(0, precise.Json.GetProperty("total").GetInt64());
        using var exact = await host.GetAsync("/signs?name=gamma&precise_search=name");
        Assert.Equal([ids[3]], FamilyHost.Ids(exact, "signs"));
        using var byId = await host.GetAsync($"/signs?id={ids[1]}");
        Assert.Equal([ids[1]], FamilyHost.Ids(byId, "signs"));
        using var badLimit = await host.GetAsync("/signs?limit=x");
        badLimit.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "limit");

        var apiId = await host.CreateApiAsync("Api_one");
        var publishId = await host.PublishAsync(apiId);
        using var bound = await host.PostAsync("/sign-bindings", $$"""{"sign_id": "{{ids[1]}}", "publish_ids": ["{{publishId}}"]}""");
        bound.ShouldBe(HttpStatusCode.Created);
        using var counted = await host.GetAsync($"/signs?id={ids[1]}");
        Assert.Equal(1, counted.Json.GetProperty("signs")[0].GetProperty("bind_num").GetInt32());
    }

    [Fact]
    public async Task Public_key_type_is_available()
    {
        // Instance features are not modelled, so the public_key feature counts as enabled (no APIG.3548).
        await using var host = await FamilyHost.StartAsync();
        using var reply = await host.PostAsync("/signs", """{"name": "public_key_demo", "sign_type": "public_key"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Matches(new Regex("^[A-Za-z0-9]{64}$"), FamilyHost.Text(reply.Json, "sign_secret"));
    }

    [Fact]
    public async Task Keys_are_stored_per_instance()
    {
        await using var host = await FamilyHost.StartAsync();
        using var created = await host.PostAsync("/signs", """{"name": "signature_demo"}""");
        Assert.Equal(1, await host.CountStoredAsync(SignatureStoreKeys.Signs(host.InstanceId)));
    }
}
