using System.Net;
using System.Text.Json.Nodes;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;

namespace Gateway.Hosting.Tests.Authorizers;

public sealed class AuthorizerContractTests
{
    private const string Frontend = """
        {
          "name": "Authorizer_demo",
          "type": "FRONTEND",
          "authorizer_type": "FUNC",
          "authorizer_uri": "https://auth.example.com/check",
          "identities": [ { "name": "header", "location": "HEADER" } ],
          "user_data": "authorizer_test"
        }
        """;

    private static string Body(string patch) => ApiTestHost.With(Frontend, patch);

    private static async Task<string> CreateAsync(ApigTestHost host, string patch = "{}")
    {
        using var reply = await host.PostAsync($"{host.Instance}/authorizers", Body(patch));
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Create_returns_the_authorizer_with_defaults()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/authorizers", Frontend);
        reply.ShouldBe(HttpStatusCode.Created);
        var json = reply.Json;
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("id").GetString());
        Assert.Equal("Authorizer_demo", json.GetProperty("name").GetString());
        Assert.Equal("FRONTEND", json.GetProperty("type").GetString());
        Assert.Equal("FUNC", json.GetProperty("authorizer_type").GetString());
        Assert.Equal("https://auth.example.com/check", json.GetProperty("authorizer_uri").GetString());
        Assert.Equal("V1", json.GetProperty("network_type").GetString());
        Assert.Equal(0, json.GetProperty("ttl").GetInt32());
        Assert.False(json.GetProperty("need_body").GetBoolean());
        Assert.Equal("authorizer_test", json.GetProperty("user_data").GetString());
        var identity = json.GetProperty("identities")[0];
        Assert.Equal("header", identity.GetProperty("name").GetString());
        Assert.Equal("HEADER", identity.GetProperty("location").GetString());
        Assert.False(identity.TryGetProperty("validation", out _));
        Assert.EndsWith("Z", json.GetProperty("create_time").GetString(), StringComparison.Ordinal);
        Assert.False(json.TryGetProperty("authorizer_alias_uri", out _));
    }

    [Fact]
    public async Task The_documented_urn_example_is_accepted_and_stored_as_is()
    {
        await using var host = await ApigTestHost.StartAsync();
        const string example = """
            {
              "name": "Authorizer_demo",
              "type": "FRONTEND",
              "authorizer_type": "FUNC",
              "authorizer_uri": "urn:fss:xx-xxx:106506b9a92342df9a5025fc12351cfc:function:default:apigDemo_1592617458814",
              "network_type": "V1",
              "authorizer_version": "v1",
              "authorizer_alias_uri": "urn:fss:xx-xxx-4:106506b9a92342df9a5025fc12351cfc:function:default:apigDemo_1592617458814:v1",
              "identities": [ { "name": "header", "location": "HEADER" } ],
              "user_data": "authorizer_test"
            }
            """;
        using var reply = await host.PostAsync($"{host.Instance}/authorizers", example);
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("urn:fss:xx-xxx:106506b9a92342df9a5025fc12351cfc:function:default:apigDemo_1592617458814", reply.Json.GetProperty("authorizer_uri").GetString());
        Assert.Equal("v1", reply.Json.GetProperty("authorizer_version").GetString());
        Assert.EndsWith(":v1", reply.Json.GetProperty("authorizer_alias_uri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_optional_field_round_trips()
    {
        await using var host = await ApigTestHost.StartAsync();
        var id = await CreateAsync(host, """
            {
              "type": "BACKEND",
              "network_type": "V2",
              "authorizer_version": "latest",
              "authorizer_alias_uri": "http://127.0.0.1:8080/alias",
              "identities": [
                { "name": "X-Token", "location": "HEADER", "validation": "^[A-Za-z0-9]{8,}$" },
                { "name": "x-token", "location": "QUERY" }
              ],
              "ttl": 3600,
              "user_data": "@u2048",
              "ld_api_id": "abc123",
              "need_body": true
            }
            """);
        using var shown = await host.GetAsync($"{host.Instance}/authorizers/{id}");
        shown.ShouldBe(HttpStatusCode.OK);
        var json = shown.Json;
        Assert.Equal("BACKEND", json.GetProperty("type").GetString());
        Assert.Equal("V2", json.GetProperty("network_type").GetString());
        Assert.Equal("latest", json.GetProperty("authorizer_version").GetString());
        Assert.Equal("http://127.0.0.1:8080/alias", json.GetProperty("authorizer_alias_uri").GetString());
        Assert.Equal(2, json.GetProperty("identities").GetArrayLength());
        Assert.Equal("^[A-Za-z0-9]{8,}$", json.GetProperty("identities")[0].GetProperty("validation").GetString());
        Assert.Equal(3600, json.GetProperty("ttl").GetInt32());
        Assert.Equal(2048, json.GetProperty("user_data").GetString()!.Length);
        Assert.Equal("abc123", json.GetProperty("ld_api_id").GetString());
        Assert.True(json.GetProperty("need_body").GetBoolean());
        Assert.False(json.TryGetProperty("ttn", out _));
    }

    [Theory]
    [InlineData("""{"name":null}""", "APIG.2001", "name")]
    [InlineData("""{"name":"ab"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"_abc"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"abc-def"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"a@b64"}""", "APIG.2003", "name")]
    [InlineData("""{"type":null}""", "APIG.2001", "type")]
    [InlineData("""{"type":"MIDDLE"}""", "APIG.2011", "type")]
    [InlineData("""{"type":"frontend"}""", "APIG.2011", "type")]
    [InlineData("""{"authorizer_type":null}""", "APIG.2001", "authorizer_type")]
    [InlineData("""{"authorizer_type":"HTTP"}""", "APIG.2011", "authorizer_type")]
    [InlineData("""{"authorizer_uri":null}""", "APIG.2001", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":""}""", "APIG.2001", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"ftp://auth.example.com/x"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"auth.example.com/check"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"http://"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"https://auth.example.com/check#frag"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"https://auth example.com/"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"urn:"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"urn:fss::x"}""", "APIG.2011", "authorizer_uri")]
    [InlineData("""{"authorizer_uri":"https://a.example.com/@x2040"}""", "APIG.2003", "authorizer_uri")]
    [InlineData("""{"network_type":"V3"}""", "APIG.2011", "network_type")]
    [InlineData("""{"authorizer_version":"@v65"}""", "APIG.2003", "authorizer_version")]
    [InlineData("""{"authorizer_alias_uri":"not a uri"}""", "APIG.2011", "authorizer_alias_uri")]
    [InlineData("""{"ttl":-1}""", "APIG.2004", "ttl")]
    [InlineData("""{"ttl":3601}""", "APIG.2003", "ttl")]
    [InlineData("""{"ttl":"5"}""", "APIG.2012", "ttl")]
    [InlineData("""{"user_data":"@u2049"}""", "APIG.2003", "user_data")]
    [InlineData("""{"ld_api_id":"@l65"}""", "APIG.2003", "ld_api_id")]
    [InlineData("""{"need_body":"yes"}""", "APIG.2012", "need_body")]
    [InlineData("""{"identities":[{"location":"HEADER"}]}""", "APIG.2001", "identities[0].name")]
    [InlineData("""{"identities":[{"name":"1abc","location":"HEADER"}]}""", "APIG.2011", "identities[0].name")]
    [InlineData("""{"identities":[{"name":"a@b32","location":"HEADER"}]}""", "APIG.2003", "identities[0].name")]
    [InlineData("""{"identities":[{"name":"abc"}]}""", "APIG.2001", "identities[0].location")]
    [InlineData("""{"identities":[{"name":"abc","location":"BODY"}]}""", "APIG.2011", "identities[0].location")]
    [InlineData("""{"identities":[{"name":"abc","location":"QUERY","validation":"["}]}""", "APIG.2011", "identities[0].validation")]
    [InlineData("""{"identities":[{"name":"abc","location":"QUERY","validation":"@v1025"}]}""", "APIG.2003", "identities[0].validation")]
    [InlineData("""{"identities":[null]}""", "APIG.2001", "identities[0]")]
    [InlineData("""{"identities":[{"name":"Token","location":"HEADER"},{"name":"token","location":"HEADER"}]}""", "APIG.3212", "identities[1].name")]
    [InlineData("""{"identities":[{"name":"token","location":"QUERY"},{"name":"token","location":"QUERY"}]}""", "APIG.3212", "identities[1].name")]
    public async Task Create_rejects_bad_input(string patch, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/authorizers", Body(patch));
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":")]
    [InlineData("[]")]
    public async Task Unparsable_bodies_are_refused(string body)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.PostAsync($"{host.Instance}/authorizers", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
    }

    [Fact]
    public async Task At_most_five_identity_sources()
    {
        await using var host = await ApigTestHost.StartAsync();
        var identities = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            identities.Add(new JsonObject { ["name"] = $"h{i}", ["location"] = "HEADER" });
        }

        var five = JsonNode.Parse(Frontend)!.AsObject();
        five["identities"] = identities;
        using var accepted = await host.PostAsync($"{host.Instance}/authorizers", five.ToJsonString());
        accepted.ShouldBe(HttpStatusCode.Created);

        identities.Add(new JsonObject { ["name"] = "h5", ["location"] = "QUERY" });
        five["name"] = "Authorizer_six";
        using var refused = await host.PostAsync($"{host.Instance}/authorizers", five.ToJsonString());
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3117");
    }

    [Fact]
    public async Task At_most_fifty_authorizers_per_instance()
    {
        await using var host = await ApigTestHost.StartAsync();
        for (var i = 0; i < 50; i++)
        {
            await CreateAsync(host, $$"""{"name":"auth_{{i}}"}""");
        }

        using var refused = await host.PostAsync($"{host.Instance}/authorizers", Body("""{"name":"auth_50"}"""));
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3116");
    }

    [Fact]
    public async Task Names_are_unique_per_instance()
    {
        await using var host = await ApigTestHost.StartAsync();
        await CreateAsync(host);
        var other = await CreateAsync(host, """{"name":"Other_auth"}""");
        using var duplicate = await host.PostAsync($"{host.Instance}/authorizers", Frontend);
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3211");
        using var rename = await host.PutAsync($"{host.Instance}/authorizers/{other}", Body("{}"));
        rename.ShouldFail(HttpStatusCode.BadRequest, "APIG.3211");

        // Names are case-sensitive, like the other documented names.
        using var otherCase = await host.PostAsync($"{host.Instance}/authorizers", Body("""{"name":"authorizer_demo"}"""));
        otherCase.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_replaces_the_definition_and_keeps_identity()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var created = await host.PostAsync($"{host.Instance}/authorizers", Body("""{"ttl":30,"need_body":true}"""));
        var id = created.Json.GetProperty("id").GetString()!;
        var createTime = created.Json.GetProperty("create_time").GetString();

        using var updated = await host.PutAsync($"{host.Instance}/authorizers/{id}", """
            {"name":"Renamed_auth","type":"FRONTEND","authorizer_type":"FUNC","authorizer_uri":"http://localhost:9000/auth"}
            """);
        updated.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(id, updated.Json.GetProperty("id").GetString());
        Assert.Equal(createTime, updated.Json.GetProperty("create_time").GetString());
        Assert.Equal("Renamed_auth", updated.Json.GetProperty("name").GetString());
        Assert.Equal("http://localhost:9000/auth", updated.Json.GetProperty("authorizer_uri").GetString());

        // Update is a full replacement: what was left out is back at its default.
        Assert.Equal(0, updated.Json.GetProperty("ttl").GetInt32());
        Assert.False(updated.Json.GetProperty("need_body").GetBoolean());
        Assert.Equal(0, updated.Json.GetProperty("identities").GetArrayLength());
        Assert.False(updated.Json.TryGetProperty("user_data", out _));

        using var shown = await host.GetAsync($"{host.Instance}/authorizers/{id}");
        Assert.Equal("Renamed_auth", shown.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_checks_the_body_and_refuses_a_type_change()
    {
        await using var host = await ApigTestHost.StartAsync();
        var id = await CreateAsync(host);
        using var type = await host.PutAsync($"{host.Instance}/authorizers/{id}", Body("""{"type":"BACKEND"}"""));
        type.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "type");
        using var missing = await host.PutAsync($"{host.Instance}/authorizers/{id}", Body("""{"authorizer_uri":null}"""));
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "authorizer_uri");
        using var unknown = await host.PutAsync($"{host.Instance}/authorizers/0123456789abcdef0123456789abcdef", Frontend);
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3081");
    }

    [Fact]
    public async Task Show_and_delete_unknown_or_malformed_ids()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var show = await host.GetAsync($"{host.Instance}/authorizers/0123456789abcdef0123456789abcdef");
        show.ShouldFail(HttpStatusCode.NotFound, "APIG.3081");
        Assert.Contains("0123456789abcdef0123456789abcdef", show.Json.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
        using var delete = await host.DeleteAsync($"{host.Instance}/authorizers/0123456789abcdef0123456789abcdef");
        delete.ShouldFail(HttpStatusCode.NotFound, "APIG.3081");
        using var malformed = await host.GetAsync($"{host.Instance}/authorizers/bad$id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "authorizer_id");
    }

    [Fact]
    public async Task Delete_removes_the_authorizer()
    {
        await using var host = await ApigTestHost.StartAsync();
        var id = await CreateAsync(host);
        using var deleted = await host.DeleteAsync($"{host.Instance}/authorizers/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var shown = await host.GetAsync($"{host.Instance}/authorizers/{id}");
        shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3081");

        // The name is free again.
        await CreateAsync(host);
    }

    [Fact]
    public async Task Unknown_instance_is_404()
    {
        await using var host = await ApigTestHost.StartAsync();
        var instance = $"/v2/{ApigTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff";
        using var list = await host.GetAsync($"{instance}/authorizers");
        list.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var create = await host.PostAsync($"{instance}/authorizers", Frontend);
        create.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task List_filters_and_pages()
    {
        await using var host = await ApigTestHost.StartAsync();
        var first = await CreateAsync(host, """{"name":"alpha_front"}""");
        await CreateAsync(host, """{"name":"beta_front"}""");
        await CreateAsync(host, """{"name":"alpha_back","type":"BACKEND"}""");

        using var all = await host.GetAsync($"{host.Instance}/authorizers");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3, all.Json.GetProperty("total").GetInt64());
        Assert.Equal(3, all.Json.GetProperty("size").GetInt32());
        Assert.Equal(3, all.Json.GetProperty("authorizer_list").GetArrayLength());

        using var byName = await host.GetAsync($"{host.Instance}/authorizers?name=ALPHA");
        Assert.Equal(2, byName.Json.GetProperty("total").GetInt64());
        using var byType = await host.GetAsync($"{host.Instance}/authorizers?type=BACKEND");
        Assert.Equal("alpha_back", byType.Json.GetProperty("authorizer_list")[0].GetProperty("name").GetString());
        Assert.Equal(1, byType.Json.GetProperty("total").GetInt64());
        using var byId = await host.GetAsync($"{host.Instance}/authorizers?id={first}");
        Assert.Equal(first, byId.Json.GetProperty("authorizer_list")[0].GetProperty("id").GetString());
        Assert.Equal(1, byId.Json.GetProperty("total").GetInt64());

        using var page = await host.GetAsync($"{host.Instance}/authorizers?offset=1&limit=1");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());
        using var coerced = await host.GetAsync($"{host.Instance}/authorizers?offset=-4&limit=0");
        Assert.Equal(3, coerced.Json.GetProperty("size").GetInt32());

        using var badType = await host.GetAsync($"{host.Instance}/authorizers?type=SIDE");
        badType.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "type");
        using var badLimit = await host.GetAsync($"{host.Instance}/authorizers?limit=x");
        badLimit.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "limit");
    }
}
