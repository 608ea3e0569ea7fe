using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Hosting.Tests.Apis;

/// <summary>The REST contract of 3.5.1–3.5.3 and 3.5.5–3.5.7.</summary>
public sealed class ApiEndpointTests
{
    private static string[] Keys(JsonNode? node) => node!.AsObject().Select(pair => pair.Key).ToArray();

    [Fact]
    public async Task Create_answers_201_with_the_full_api_object()
    {
        await using var host = await ApiTestHost.StartAsync();

        var created = await host.PostAsync("/apis", host.Body(ApiSamples.Http));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("application/json", created.MediaType);
        var api = created.Body!;
        Assert.Matches("^[0-9a-f]{32}$", api["id"]!.GetValue<string>());
        Assert.Equal("Api_http", api["name"]!.GetValue<string>());
        Assert.Equal(1, api["status"]!.GetValue<int>());
        Assert.Equal(2, api["arrange_necessary"]!.GetValue<int>());
        Assert.Equal("2025-03-01T08:30:00.0000000Z", api["register_time"]!.GetValue<string>());
        Assert.Equal(api["register_time"]!.GetValue<string>(), api["update_time"]!.GetValue<string>());
        Assert.Equal("DEFAULT", api["group_name"]!.GetValue<string>());
        Assert.Equal("V1", api["group_version"]!.GetValue<string>());
        Assert.Equal(host.DefaultGroupId, api["group_id"]!.GetValue<string>());
        Assert.Equal("NORMAL", api["match_mode"]!.GetValue<string>());
        Assert.Equal("DISABLE", api["auth_opt"]!["app_code_auth_type"]!.GetValue<string>());
        Assert.False(api["cors"]!.GetValue<bool>());
        Assert.Equal("demo", api["tags"]![0]!.GetValue<string>());
        Assert.Null(api["run_env_id"]);
        Assert.Null(api["func_info"]);
        Assert.Null(api["mock_info"]);

        var backend = api["backend_api"]!;
        Assert.Matches("^[0-9a-f]{32}$", backend["id"]!.GetValue<string>());
        Assert.Equal(1, backend["status"]!.GetValue<int>());
        Assert.NotNull(backend["register_time"]);
        Assert.NotNull(backend["update_time"]);
        Assert.Equal("192.168.189.156:12346", backend["url_domain"]!.GetValue<string>());
        Assert.Equal("-1", backend["retry_count"]!.GetValue<string>());
        Assert.Equal(2, backend["vpc_channel_status"]!.GetValue<int>());

        var parameters = api["req_params"]!.AsArray();
        Assert.Equal([1, 1, 2], parameters.Select(p => p!["required"]!.GetValue<int>()));
        Assert.All(parameters, p => Assert.Equal(2, p!["valid_enable"]!.GetValue<int>()));
        Assert.All(parameters, p => Assert.Equal(1, p!["pass_through"]!.GetValue<int>()));
        Assert.All(parameters, p => Assert.NotNull(p!["id"]));

        var mappings = api["backend_params"]!.AsArray();
        Assert.Equal(parameters[0]!["id"]!.GetValue<string>(), mappings[0]!["req_param_id"]!.GetValue<string>());
        Assert.Equal(parameters[2]!["id"]!.GetValue<string>(), mappings[1]!["req_param_id"]!.GetValue<string>());
        Assert.Null(mappings[2]!["req_param_id"]);
        Assert.All(mappings, m => Assert.NotNull(m!["id"]));

        var policy = api["policy_https"]![0]!;
        Assert.NotNull(policy["id"]);
        var condition = policy["conditions"]![0]!;
        Assert.NotNull(condition["id"]);
        Assert.Equal(parameters[1]!["id"]!.GetValue<string>(), condition["req_param_id"]!.GetValue<string>());
        Assert.Equal("QUERY", condition["req_param_location"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mock_and_function_backends_get_their_identities()
    {
        await using var host = await ApiTestHost.StartAsync();

        var mock = (await host.PostAsync("/apis", host.Body(ApiSamples.Mock))).Body!;
        var function = (await host.PostAsync("/apis", host.Body(ApiSamples.Function))).Body!;

        Assert.Equal(["result_content", "id", "status", "register_time", "update_time"], Keys(mock["mock_info"]));
        Assert.Equal("mock success", mock["mock_info"]!["result_content"]!.GetValue<string>());
        Assert.NotNull(mock["policy_mocks"]![0]!["conditions"]![0]!["id"]);
        Assert.Null(mock["backend_api"]);
        Assert.NotNull(function["func_info"]!["id"]);
        Assert.Equal("HTTPS", function["func_info"]!["req_protocol"]!.GetValue<string>());
        Assert.Equal(1, function["func_info"]!["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"name": null}""", "APIG.2001")]
    [InlineData("""{"backend_api": {"timeout": null}}""", "APIG.2001")]
    [InlineData("""{"name": "@n256"}""", "APIG.2003")]
    [InlineData("""{"req_uri": "/@u512"}""", "APIG.2003")]
    [InlineData("""{"remark": "@r256"}""", "APIG.2003")]
    [InlineData("""{"backend_api": {"timeout": 60001}}""", "APIG.2003")]
    [InlineData("""{"backend_api": {"timeout": 0}}""", "APIG.2004")]
    [InlineData("""{"backend_api": {"retry_count": "-2"}}""", "APIG.2004")]
    [InlineData("""{"type": 0}""", "APIG.2011")]
    [InlineData("""{"req_protocol": "WS"}""", "APIG.2011")]
    [InlineData("""{"req_method": "CONNECT"}""", "APIG.2011")]
    [InlineData("""{"req_uri": "no-slash"}""", "APIG.2011")]
    [InlineData("""{"auth_type": "BASIC"}""", "APIG.2011")]
    [InlineData("""{"match_mode": "REGEX"}""", "APIG.2011")]
    [InlineData("""{"backend_type": "KAFKA"}""", "APIG.2011")]
    [InlineData("""{"tags": ["has space"]}""", "APIG.2011")]
    [InlineData("""{"req_uri": "/test/{userId}/{more}"}""", "APIG.2026")]
    [InlineData("""{"backend_api": {"req_uri": "/b/{id}/{more}"}}""", "APIG.2027")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "x", "value": "missing", "location": "QUERY", "origin": "REQUEST"}]}""", "APIG.2028")]
    [InlineData("""{"backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}, {"name": "x", "value": "$context.authorizer.frontend.uid", "location": "QUERY", "origin": "SYSTEM"}]}""", "APIG.2036")]
    [InlineData("""{"type": "one"}""", "APIG.2012")]
    [InlineData("""{"group_id": "a b"}""", "APIG.2012")]
    [InlineData("""{"backend_api": {"url_domain": "no spaces allowed"}}""", "APIG.2024")]
    [InlineData("""{"backend_api": {"url_domain": "example.com:70000"}}""", "APIG.2025")]
    [InlineData("""{"req_params": [{"name": "userId", "type": "STRING", "location": "PATH"}, {"name": "userid", "type": "STRING", "location": "HEADER"}], "backend_params": [{"name": "id", "value": "userId", "location": "PATH", "origin": "REQUEST"}]}""", "APIG.3209")]
    [InlineData("""{"backend_api": {"enable_client_ssl": true}}""", "APIG.3717")]
    public async Task Invalid_bodies_are_400_with_the_documented_code(string patch, string code)
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.PostAsync("/apis", host.Body(ApiSamples.Http, patch));

        response.AssertError(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\": ")]
    [InlineData("[]")]
    public async Task Unreadable_bodies_are_APIG_2000(string body)
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.PostAsync("/apis", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.StartsWith("APIG.20", response.String("error_code"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_tags_is_403_APIG_3133()
    {
        await using var host = await ApiTestHost.StartAsync();
        var tags = string.Join(',', Enumerable.Range(0, 11).Select(i => $"\"t{i}\""));

        var response = await host.PostAsync("/apis", host.Body(ApiSamples.Http, $$"""{"tags": [{{tags}}]}"""));

        response.AssertError(HttpStatusCode.Forbidden, "APIG.3133");
    }

    [Fact]
    public async Task Relational_conflicts_have_their_codes()
    {
        await using var host = await ApiTestHost.StartAsync();
        await host.CreateApiAsync();

        (await host.PostAsync("/apis", host.Body(ApiSamples.Http, """{"req_uri": "/other/{userId}"}"""))).AssertError(HttpStatusCode.BadRequest, "APIG.3202");
        var samePath = await host.PostAsync("/apis", host.Body(ApiSamples.Http, """{"name": "Api_http_2"}"""));
        samePath.AssertError(HttpStatusCode.BadRequest, "APIG.3301");
        Assert.Contains("API name: Api_http", samePath.String("error_msg"), StringComparison.Ordinal);
        (await host.PostAsync("/apis", host.Body(ApiSamples.Http, """{"group_id": "ffffffffffffffffffffffffffffffff"}"""))).AssertError(HttpStatusCode.NotFound, "APIG.3001");
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/apis", host.Body(ApiSamples.Http, """{"name": "Api_http_2", "match_mode": "SWA"}"""))).Status);
    }

    [Fact]
    public async Task Update_show_and_delete()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http, """{"name": "Api_renamed", "remark": "changed"}"""));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("Api_renamed", updated.String("name"));
        Assert.NotEqual(updated.String("register_time"), updated.String("update_time"));

        var shown = await host.GetAsync($"/apis/{id}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Equal("changed", shown.String("remark"));
        Assert.Equal(updated.Body!["backend_api"]!["id"]!.GetValue<string>(), shown.Body!["backend_api"]!["id"]!.GetValue<string>());

        (await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http, """{"backend_type": "MOCK"}"""))).AssertError(HttpStatusCode.BadRequest, "APIG.2001");

        var deleted = await host.DeleteAsync($"/apis/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(deleted.Body);
        (await host.GetAsync($"/apis/{id}")).AssertError(HttpStatusCode.NotFound, "APIG.3002");
        (await host.DeleteAsync($"/apis/{id}")).AssertError(HttpStatusCode.NotFound, "APIG.3002");
        (await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http))).AssertError(HttpStatusCode.NotFound, "APIG.3002");
    }

    [Fact]
    public async Task Malformed_ids_and_unknown_instances_are_rejected()
    {
        await using var host = await ApiTestHost.StartAsync();

        (await host.GetAsync("/apis/not$valid")).AssertError(HttpStatusCode.BadRequest, "APIG.2012");
        (await host.GetAsync($"/v2/{ApiTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff/apis")).AssertError(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task List_shapes_filters_and_pages()
    {
        await using var host = await ApiTestHost.StartAsync();
        var http = await host.CreateApiAsync();
        var mock = await host.CreateApiAsync(ApiSamples.Mock);
        var function = await host.CreateApiAsync(ApiSamples.Function);
        await host.PublishAsync(mock);

        var all = await host.GetAsync("/apis");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal(3, all.Body!["size"]!.GetValue<int>());
        Assert.Equal(3, all.Body["total"]!.GetValue<long>());
        var item = all.Body["apis"]![0]!;
        Assert.Equal(http, item["id"]!.GetValue<string>());
        foreach (var absent in new[] { "func_info", "mock_info", "backend_params", "policy_https", "policy_mocks", "policy_functions", "backend_api", "api_group_info" })
        {
            Assert.Null(item[absent]);
        }

        Assert.NotNull(item["req_params"]);
        Assert.Equal("DEFAULT", item["group_name"]!.GetValue<string>());
        Assert.Equal(ApiTestHost.Release, all.Body["apis"]![1]!["run_env_id"]!.GetValue<string>());

        async Task<string[]> Ids(string query) =>
            (await host.GetAsync("/apis" + query)).Body!["apis"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToArray();

        Assert.Equal([http, mock, function], await Ids("?name=api_"));
        Assert.Equal([http, mock], await Ids("?name=api_&req_method=GET"));
        Assert.Empty(await Ids("?name=api_&precise_search=name"));
        Assert.Equal([mock], await Ids("?name=Api_mock&precise_search=name"));
        Assert.Equal([http, mock, function], await Ids("?req_uri=/test/"));
        Assert.Equal([http], await Ids("?req_uri=/test/&auth_type=NONE"));
        Assert.Equal([function], await Ids("?req_uri=/test/function&precise_search=name,req_uri"));
        Assert.Equal([mock], await Ids("?auth_type=IAM"));
        Assert.Equal([function], await Ids($"?id={function}"));
        Assert.Equal([mock], await Ids($"?env_id={ApiTestHost.Release}"));
        Assert.Equal([http, mock, function], await Ids($"?group_id={host.DefaultGroupId}&req_protocol=HTTPS&type=1"));
        Assert.Empty(await Ids("?vpc_channel_name=channel"));
        Assert.Equal([mock], await Ids("?offset=1&limit=1"));
        Assert.Equal([http, mock, function], await Ids("?offset=-4&limit=0"));

        var paged = await host.GetAsync("/apis?offset=2&limit=5");
        Assert.Equal(1, paged.Body!["size"]!.GetValue<int>());
        Assert.Equal(3, paged.Body["total"]!.GetValue<long>());

        var withBackend = await host.GetAsync("/apis?return_data_mode=include_group_backend&id=" + http);
        Assert.Equal(host.DefaultGroupId, withBackend.Body!["apis"]![0]!["api_group_info"]!["id"]!.GetValue<string>());
        Assert.NotNull(withBackend.Body["apis"]![0]!["backend_api"]!["url_domain"]);
        var withGroup = await host.GetAsync("/apis?return_data_mode=include_group&id=" + http);
        Assert.NotNull(withGroup.Body!["apis"]![0]!["api_group_info"]!["sl_domain"]);
        Assert.Null(withGroup.Body["apis"]![0]!["backend_api"]);

        (await host.GetAsync("/apis?return_data_mode=full")).AssertError(HttpStatusCode.BadRequest, "APIG.2011");
        (await host.GetAsync("/apis?type=x")).AssertError(HttpStatusCode.BadRequest, "APIG.2011");
    }

    [Fact]
    public async Task Check_answers_204_or_the_conflict()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await host.PostAsync("/apis/check", """{"type": "name", "name": "free_name"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await host.PostAsync("/apis/check", $$"""{"type": "name", "name": "Api_http", "api_id": "{{id}}"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await host.PostAsync("/apis/check", """{"type": "path", "req_method": "POST", "req_uri": "/test/{userId}", "match_mode": "NORMAL"}""")).Status);
        (await host.PostAsync("/apis/check", $$"""{"type": "name", "name": "Api_http", "group_id": "{{host.DefaultGroupId}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.3202");
        (await host.PostAsync("/apis/check", """{"type": "path", "req_method": "GET", "req_uri": "/test/{userId}", "match_mode": "NORMAL"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.3301");
        (await host.PostAsync("/apis/check", """{"type": "route"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2011");
        (await host.PostAsync("/apis/check", """{"type": "path", "req_method": "GET"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2001");
    }

    [Fact]
    public async Task A_group_with_apis_cannot_be_deleted()
    {
        await using var host = await ApiTestHost.StartAsync();
        var group = await host.CreateGroupAsync("group_two");
        var id = await host.CreateApiAsync(ApiSamples.Http, $$"""{"group_id": "{{group}}"}""");

        (await host.DeleteAsync($"/api-groups/{group}")).AssertError(HttpStatusCode.PreconditionFailed, "APIG.3415");

        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/apis/{id}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/api-groups/{group}")).Status);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_one_api()
    {
        await using var host = await ApiTestHost.StartAsync();
        var bodies = Enumerable.Range(0, 16).Select(i => host.Body(ApiSamples.Http, $$"""{"req_uri": "/concurrent{{i}}/{userId}"}""")).ToArray();

        var responses = await Task.WhenAll(bodies.Select(body => Task.Run(() => host.PostAsync("/apis", body))));

        Assert.Single(responses, response => response.Status == HttpStatusCode.Created);
        Assert.All(responses.Where(response => response.Status != HttpStatusCode.Created), response => response.AssertError(HttpStatusCode.BadRequest, "APIG.3202"));
        Assert.Equal(1, (await host.GetAsync("/apis")).Body!["total"]!.GetValue<long>());
    }
}
