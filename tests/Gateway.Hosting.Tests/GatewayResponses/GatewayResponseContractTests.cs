using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apig;

namespace Gateway.Hosting.Tests.GatewayResponses;

public sealed class GatewayResponseContractTests
{
    private const string DefaultBody = """{"error_code": "$context.error.code", "error_msg": "$context.error.message", "request_id": "$context.requestId"}""";

    /// <summary>Every documented type with its documented default status (null: keeps the error's own status).</summary>
    public static readonly TheoryData<string, int?> DocumentedDefaults = new()
    {
        { "AUTH_FAILURE", 401 },
        { "AUTH_HEADER_MISSING", 401 },
        { "AUTHORIZER_FAILURE", 500 },
        { "AUTHORIZER_CONF_FAILURE", 500 },
        { "AUTHORIZER_IDENTITY_FAILURE", 401 },
        { "BACKEND_UNAVAILABLE", 502 },
        { "BACKEND_TIMEOUT", 504 },
        { "THROTTLED", 429 },
        { "UNAUTHORIZED", 401 },
        { "ACCESS_DENIED", 403 },
        { "NOT_FOUND", 404 },
        { "REQUEST_PARAMETERS_FAILURE", 400 },
        { "DEFAULT_4XX", null },
        { "DEFAULT_5XX", null },
        { "THIRD_AUTH_FAILURE", 401 },
        { "THIRD_AUTH_IDENTITY_FAILURE", 401 },
        { "THIRD_AUTH_CONF_FAILURE", 500 },
        { "ORCHESTRATION_PARAMETER_NOT_FOUND", 400 },
        { "ORCHESTRATION_FAILURE", 400 },
    };

    private static string Responses(ApigTestHost host, string groupId) => $"{host.Instance}/api-groups/{groupId}/gateway-responses";

    private static async Task<string> CreateAsync(ApigTestHost host, string groupId, string body)
    {
        using var reply = await host.PostAsync(Responses(host, groupId), body);
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> DefaultResponseAsync(ApigTestHost host, string groupId)
    {
        using var list = await host.GetAsync(Responses(host, groupId));
        list.ShouldBe(HttpStatusCode.OK);
        return list.Json.GetProperty("responses")[0].Clone();
    }

    [Fact]
    public async Task Every_group_has_a_default_response_with_the_documented_defaults()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        using var list = await host.GetAsync(Responses(host, groupId));
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, list.Json.GetProperty("size").GetInt32());
        var response = list.Json.GetProperty("responses")[0];
        Assert.Equal("default", response.GetProperty("name").GetString());
        Assert.True(response.GetProperty("default").GetBoolean());
        Assert.Matches("^[0-9a-f]{32}$", response.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(response.GetProperty("create_time").GetString()));
        Assert.False(string.IsNullOrEmpty(response.GetProperty("update_time").GetString()));

        var types = response.GetProperty("responses");
        Assert.Equal(DocumentedDefaults.Count, types.EnumerateObject().Count());
        foreach (var row in DocumentedDefaults)
        {
            var type = (string)row[0];
            var status = (int?)row[1];
            var entry = types.GetProperty(type);
            Assert.True(entry.GetProperty("default").GetBoolean());
            Assert.Equal(DefaultBody, entry.GetProperty("body").GetString());
            Assert.False(entry.TryGetProperty("headers", out _));
            if (status is null)
            {
                Assert.False(entry.TryGetProperty("status", out _), type);
            }
            else
            {
                Assert.Equal(status, entry.GetProperty("status").GetInt32());
            }
        }

        // The derived default is stable across reads, so its ID can be used.
        using var again = await host.GetAsync(Responses(host, groupId));
        Assert.Equal(response.GetProperty("id").GetString(), again.Json.GetProperty("responses")[0].GetProperty("id").GetString());
        using var shown = await host.GetAsync($"{Responses(host, groupId)}/{response.GetProperty("id").GetString()}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("default", shown.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_returns_the_response_with_customized_and_default_types()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        using var reply = await host.PostAsync(Responses(host, groupId), """
            {
              "name": "response_demo",
              "responses": {
                "ACCESS_DENIED": { "status": 451, "body": "{\"denied\":\"$context.error.message\"}", "headers": [ { "key": "X-Reason", "value": "acl" } ] },
                "DEFAULT_4XX": { "body": "four" },
                "AUTHORIZER_IDENTITIES_FAILURE": { "status": 403 }
              }
            }
            """);
        reply.ShouldBe(HttpStatusCode.Created);
        var json = reply.Json;
        Assert.Equal("response_demo", json.GetProperty("name").GetString());
        Assert.False(json.GetProperty("default").GetBoolean());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("id").GetString());

        var types = json.GetProperty("responses");
        var denied = types.GetProperty("ACCESS_DENIED");
        Assert.False(denied.GetProperty("default").GetBoolean());
        Assert.Equal(451, denied.GetProperty("status").GetInt32());
        Assert.Equal("""{"denied":"$context.error.message"}""", denied.GetProperty("body").GetString());
        Assert.Equal("X-Reason", denied.GetProperty("headers")[0].GetProperty("key").GetString());
        Assert.Equal("acl", denied.GetProperty("headers")[0].GetProperty("value").GetString());

        // A partial customization keeps the defaults of what it leaves out.
        var four = types.GetProperty("DEFAULT_4XX");
        Assert.False(four.GetProperty("default").GetBoolean());
        Assert.Equal("four", four.GetProperty("body").GetString());
        Assert.False(four.TryGetProperty("status", out _));

        // The plural spelling of some examples is accepted and answered in the enum spelling.
        Assert.Equal(403, types.GetProperty("AUTHORIZER_IDENTITY_FAILURE").GetProperty("status").GetInt32());
        Assert.False(types.TryGetProperty("AUTHORIZER_IDENTITIES_FAILURE", out _));

        var notFound = types.GetProperty("NOT_FOUND");
        Assert.True(notFound.GetProperty("default").GetBoolean());
        Assert.Equal(404, notFound.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("""{"responses":{}}""", "APIG.2001", "name")]
    [InlineData("""{"name":""}""", "APIG.2001", "name")]
    [InlineData("""{"name":"bad name"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"名字"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "APIG.2003", "name")]
    [InlineData("""{"name":"r","responses":{"NOPE":{}}}""", "APIG.2011", "responses.NOPE")]
    [InlineData("""{"name":"r","responses":{"not_found":{}}}""", "APIG.2011", "responses.not_found")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":null}}""", "APIG.2011", "responses.NOT_FOUND")]
    [InlineData("""{"name":"r","responses":{"AUTHORIZER_IDENTITY_FAILURE":{},"AUTHORIZER_IDENTITIES_FAILURE":{}}}""", "APIG.2011", "responses.AUTHORIZER_IDENTITIES_FAILURE")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"status":199}}}""", "APIG.2004", "responses.NOT_FOUND.status")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"status":600}}}""", "APIG.2003", "responses.NOT_FOUND.status")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"status":444}}}""", "APIG.2011", "responses.NOT_FOUND.status")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"status":"404"}}}""", "APIG.2012", "responses.NOT_FOUND.status")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[{"value":"v"}]}}}""", "APIG.2001", "responses.NOT_FOUND.headers[0].key")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[{"key":"a_b","value":"v"}]}}}""", "APIG.2011", "responses.NOT_FOUND.headers[0].key")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[{"key":"k"}]}}}""", "APIG.2001", "responses.NOT_FOUND.headers[0].value")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[{"key":"k","value":""}]}}}""", "APIG.2001", "responses.NOT_FOUND.headers[0].value")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[null]}}}""", "APIG.2001", "responses.NOT_FOUND.headers[0]")]
    [InlineData("""{"name":"r","responses":{"NOT_FOUND":{"headers":[{"key":"X-A","value":"1"},{"key":"x-a","value":"2"}]}}}""", "APIG.2011", "responses.NOT_FOUND.headers[1].key")]
    public async Task Create_rejects_bad_input(string body, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        using var reply = await host.PostAsync(Responses(host, groupId), body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Header_lengths_and_count_are_limited()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        string Body(string name, int count, int keyLength, int valueLength)
        {
            var headers = string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"key":"{{new string('k', keyLength - 1)}}{{(char)('a' + i)}}","value":"{{new string('v', valueLength)}}"}"""));
            return "{\"name\":\"" + name + "\",\"responses\":{\"THROTTLED\":{\"headers\":[" + headers + "]}}}";
        }

        using var most = await host.PostAsync(Responses(host, groupId), Body("most", 10, 128, 1024));
        most.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(10, most.Json.GetProperty("responses").GetProperty("THROTTLED").GetProperty("headers").GetArrayLength());
        using var tooMany = await host.PostAsync(Responses(host, groupId), Body("many", 11, 8, 8));
        tooMany.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "responses.THROTTLED.headers");
        using var longKey = await host.PostAsync(Responses(host, groupId), Body("key", 1, 129, 8));
        longKey.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "responses.THROTTLED.headers[0].key");
        using var longValue = await host.PostAsync(Responses(host, groupId), Body("value", 1, 8, 1025));
        longValue.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "responses.THROTTLED.headers[0].value");
    }

    [Fact]
    public async Task Names_are_unique_per_group_and_default_is_taken()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        await CreateAsync(host, groupId, """{"name":"custom"}""");
        using var duplicate = await host.PostAsync(Responses(host, groupId), """{"name":"custom"}""");
        duplicate.ShouldFail(HttpStatusCode.BadRequest, "APIG.3216");
        using var named = await host.PostAsync(Responses(host, groupId), """{"name":"default"}""");
        named.ShouldFail(HttpStatusCode.BadRequest, "APIG.3216");

        var other = await host.CreateGroupAsync("other_group");
        await CreateAsync(host, other, """{"name":"custom"}""");
    }

    [Fact]
    public async Task At_most_ten_responses_per_group()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        for (var i = 1; i < 10; i++)
        {
            await CreateAsync(host, groupId, $$"""{"name":"r{{i}}"}""");
        }

        using var refused = await host.PostAsync(Responses(host, groupId), """{"name":"r10"}""");
        refused.ShouldFail(HttpStatusCode.Forbidden, "APIG.3136");
    }

    [Fact]
    public async Task Unknown_group_response_and_instance()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        const string missing = "0123456789abcdef0123456789abcdef";
        using var group = await host.GetAsync(Responses(host, missing));
        group.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var create = await host.PostAsync(Responses(host, missing), """{"name":"r"}""");
        create.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var show = await host.GetAsync($"{Responses(host, groupId)}/{missing}");
        show.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
        using var update = await host.PutAsync($"{Responses(host, groupId)}/{missing}", """{"name":"r"}""");
        update.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
        using var delete = await host.DeleteAsync($"{Responses(host, groupId)}/{missing}");
        delete.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
        using var type = await host.GetAsync($"{Responses(host, groupId)}/{missing}/NOT_FOUND");
        type.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
        using var malformed = await host.GetAsync($"{Responses(host, groupId)}/bad$id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "response_id");
        using var instance = await host.GetAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff/api-groups/{groupId}/gateway-responses");
        instance.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");

        // A response is found only through its own group.
        var id = await CreateAsync(host, groupId, """{"name":"mine"}""");
        var other = await host.CreateGroupAsync("other_group");
        using var elsewhere = await host.GetAsync($"{Responses(host, other)}/{id}");
        elsewhere.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
    }

    [Fact]
    public async Task Update_renames_and_replaces_the_customizations()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var id = await CreateAsync(host, groupId, """{"name":"first","responses":{"THROTTLED":{"status":503},"NOT_FOUND":{"body":"nf"}}}""");

        using var renamed = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"name":"second"}""");
        renamed.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("second", renamed.Json.GetProperty("name").GetString());
        Assert.Equal(id, renamed.Json.GetProperty("id").GetString());

        // Without "responses" the customizations stay.
        Assert.Equal(503, renamed.Json.GetProperty("responses").GetProperty("THROTTLED").GetProperty("status").GetInt32());

        // With it, it is the new complete set.
        using var replaced = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"name":"second","responses":{"BACKEND_TIMEOUT":{"status":500}}}""");
        replaced.ShouldBe(HttpStatusCode.OK);
        var types = replaced.Json.GetProperty("responses");
        Assert.Equal(500, types.GetProperty("BACKEND_TIMEOUT").GetProperty("status").GetInt32());
        Assert.True(types.GetProperty("THROTTLED").GetProperty("default").GetBoolean());
        Assert.Equal(429, types.GetProperty("THROTTLED").GetProperty("status").GetInt32());
        Assert.True(types.GetProperty("NOT_FOUND").GetProperty("default").GetBoolean());

        using var shown = await host.GetAsync($"{Responses(host, groupId)}/{id}");
        Assert.Equal(500, shown.Json.GetProperty("responses").GetProperty("BACKEND_TIMEOUT").GetProperty("status").GetInt32());

        await CreateAsync(host, groupId, """{"name":"taken"}""");
        using var clash = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"name":"taken"}""");
        clash.ShouldFail(HttpStatusCode.BadRequest, "APIG.3216");
        using var toDefault = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"name":"default"}""");
        toDefault.ShouldFail(HttpStatusCode.BadRequest, "APIG.3216");
        using var invalid = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"name":"second","responses":{"THROTTLED":{"status":444}}}""");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "responses.THROTTLED.status");
        using var missing = await host.PutAsync($"{Responses(host, groupId)}/{id}", """{"responses":{}}""");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "name");
    }

    [Fact]
    public async Task The_default_response_can_be_changed_but_not_renamed_or_deleted()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var defaultId = (await DefaultResponseAsync(host, groupId)).GetProperty("id").GetString()!;

        using var rename = await host.PutAsync($"{Responses(host, groupId)}/{defaultId}", """{"name":"renamed"}""");
        rename.ShouldFail(HttpStatusCode.Conflict, "APIG.3492");
        using var delete = await host.DeleteAsync($"{Responses(host, groupId)}/{defaultId}");
        delete.ShouldFail(HttpStatusCode.Conflict, "APIG.3491");

        using var changed = await host.PutAsync($"{Responses(host, groupId)}/{defaultId}", """{"name":"default","responses":{"NOT_FOUND":{"status":410}}}""");
        changed.ShouldBe(HttpStatusCode.OK);
        Assert.True(changed.Json.GetProperty("default").GetBoolean());
        Assert.Equal(defaultId, changed.Json.GetProperty("id").GetString());

        var stored = await DefaultResponseAsync(host, groupId);
        Assert.Equal(defaultId, stored.GetProperty("id").GetString());
        Assert.Equal(410, stored.GetProperty("responses").GetProperty("NOT_FOUND").GetProperty("status").GetInt32());
        using var list = await host.GetAsync(Responses(host, groupId));
        Assert.Equal(1, list.Json.GetProperty("total").GetInt64());

        using var stillNotDeletable = await host.DeleteAsync($"{Responses(host, groupId)}/{defaultId}");
        stillNotDeletable.ShouldFail(HttpStatusCode.Conflict, "APIG.3491");
    }

    [Fact]
    public async Task Delete_removes_a_custom_response()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var id = await CreateAsync(host, groupId, """{"name":"gone"}""");
        using var deleted = await host.DeleteAsync($"{Responses(host, groupId)}/{id}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var shown = await host.GetAsync($"{Responses(host, groupId)}/{id}");
        shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3007");
        await CreateAsync(host, groupId, """{"name":"gone"}""");
    }

    [Fact]
    public async Task One_error_type_can_be_shown_changed_and_reset()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var id = await CreateAsync(host, groupId, """{"name":"typed"}""");
        var path = $"{Responses(host, groupId)}/{id}";

        using var shown = await host.GetAsync($"{path}/ACCESS_DENIED");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Single(shown.Json.EnumerateObject());
        var entry = shown.Json.GetProperty("ACCESS_DENIED");
        Assert.Equal(403, entry.GetProperty("status").GetInt32());
        Assert.True(entry.GetProperty("default").GetBoolean());
        Assert.Equal(DefaultBody, entry.GetProperty("body").GetString());

        using var changed = await host.PutAsync($"{path}/ACCESS_DENIED", """{"status":403,"body":"denied","headers":[{"key":"X-A","value":"1"}]}""");
        changed.ShouldBe(HttpStatusCode.OK);
        var updated = changed.Json.GetProperty("ACCESS_DENIED");
        Assert.False(updated.GetProperty("default").GetBoolean());
        Assert.Equal("denied", updated.GetProperty("body").GetString());
        Assert.Equal("X-A", updated.GetProperty("headers")[0].GetProperty("key").GetString());

        using var whole = await host.GetAsync(path);
        Assert.Equal("denied", whole.Json.GetProperty("responses").GetProperty("ACCESS_DENIED").GetProperty("body").GetString());

        using var reset = await host.DeleteAsync($"{path}/ACCESS_DENIED");
        reset.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.GetAsync($"{path}/ACCESS_DENIED");
        Assert.True(again.Json.GetProperty("ACCESS_DENIED").GetProperty("default").GetBoolean());
        Assert.Equal(DefaultBody, again.Json.GetProperty("ACCESS_DENIED").GetProperty("body").GetString());

        // Resetting a type that is already default is not an error.
        using var resetAgain = await host.DeleteAsync($"{path}/ACCESS_DENIED");
        resetAgain.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Plural_type_paths_are_accepted_and_answered_singular()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var defaultId = (await DefaultResponseAsync(host, groupId)).GetProperty("id").GetString()!;
        var path = $"{Responses(host, groupId)}/{defaultId}";

        using var changed = await host.PutAsync($"{path}/THIRD_AUTH_IDENTITIES_FAILURE", """{"status":407}""");
        changed.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(407, changed.Json.GetProperty("THIRD_AUTH_IDENTITY_FAILURE").GetProperty("status").GetInt32());
        using var shown = await host.GetAsync($"{path}/THIRD_AUTH_IDENTITY_FAILURE");
        Assert.Equal(407, shown.Json.GetProperty("THIRD_AUTH_IDENTITY_FAILURE").GetProperty("status").GetInt32());
        using var plural = await host.GetAsync($"{path}/AUTHORIZER_IDENTITIES_FAILURE");
        Assert.True(plural.Json.TryGetProperty("AUTHORIZER_IDENTITY_FAILURE", out _));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Unknown_error_types_are_refused(string method)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var defaultId = (await DefaultResponseAsync(host, groupId)).GetProperty("id").GetString()!;
        using var reply = await host.SendAsync(new HttpMethod(method), $"{Responses(host, groupId)}/{defaultId}/NOT_A_TYPE", method == "PUT" ? """{"status":400}""" : null);
        reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "response_type");
    }

    [Theory]
    [InlineData("""{"status":444}""", "APIG.2011", "status")]
    [InlineData("""{"status":100}""", "APIG.2004", "status")]
    [InlineData("""{"status":1000}""", "APIG.2003", "status")]
    [InlineData("""{"headers":[{"key":"bad key","value":"v"}]}""", "APIG.2011", "headers[0].key")]
    [InlineData("""{"body":1}""", "APIG.2012", "body")]
    public async Task One_type_update_checks_its_body(string body, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var defaultId = (await DefaultResponseAsync(host, groupId)).GetProperty("id").GetString()!;
        using var reply = await host.PutAsync($"{Responses(host, groupId)}/{defaultId}/NOT_FOUND", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task List_pages_with_the_default_first()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        await CreateAsync(host, groupId, """{"name":"one"}""");
        await CreateAsync(host, groupId, """{"name":"two"}""");
        await CreateAsync(host, groupId, """{"name":"three"}""");

        using var all = await host.GetAsync(Responses(host, groupId));
        Assert.Equal(4, all.Json.GetProperty("total").GetInt64());
        Assert.Equal("default", all.Json.GetProperty("responses")[0].GetProperty("name").GetString());

        using var page = await host.GetAsync($"{Responses(host, groupId)}?offset=1&limit=2");
        Assert.Equal(4, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(2, page.Json.GetProperty("size").GetInt32());
        Assert.Equal(2, page.Json.GetProperty("responses").GetArrayLength());
        foreach (var item in page.Json.GetProperty("responses").EnumerateArray())
        {
            Assert.False(item.GetProperty("default").GetBoolean());
            Assert.Equal(DocumentedDefaults.Count, item.GetProperty("responses").EnumerateObject().Count());
        }

        using var beyond = await host.GetAsync($"{Responses(host, groupId)}?offset=10");
        Assert.Equal(0, beyond.Json.GetProperty("size").GetInt32());
        Assert.Equal(4, beyond.Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Responses_go_with_their_group()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("responses_group");
        var id = await CreateAsync(host, groupId, """{"name":"owned"}""");
        using var deleted = await host.DeleteAsync($"{host.Instance}/api-groups/{groupId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);

        var store = (Gateway.Store.IResourceStore)host.Services.GetService(typeof(Gateway.Store.IResourceStore))!;
        Assert.Null(await store.GetAsync(Gateway.Apig.GatewayResponses.GatewayResponseKeys.Response(host.InstanceId, id)));
    }
}
