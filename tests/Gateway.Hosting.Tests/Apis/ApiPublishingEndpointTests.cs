using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Hosting.Tests.Apis;

/// <summary>The REST contract of 3.5.4 and 3.5.9–3.5.14, and the publication rules of the neighbouring families.</summary>
public sealed class ApiPublishingEndpointTests
{
    private const string Release = ApiTestHost.Release;
    private const string Unknown = "ffffffffffffffffffffffffffffffff";

    private static string Text(JsonNode? node, string property) => node![property]!.GetValue<string>();

    [Fact]
    public async Task Publish_answers_201_with_the_publication()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await host.PostAsync("/apis/action", $$"""{"action": "online", "api_id": "{{id}}", "env_id": "{{Release}}", "remark": "go live"}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var published = response.Body!;
        Assert.Equal(["publish_id", "api_id", "api_name", "env_id", "remark", "publish_time", "version_id"], published.AsObject().Select(p => p.Key));
        Assert.Equal(id, Text(published, "api_id"));
        Assert.Equal("Api_http", Text(published, "api_name"));
        Assert.Equal("go live", Text(published, "remark"));
        Assert.Equal("2025-03-01T08:30:02.0000000Z", Text(published, "publish_time"));

        var shown = (await host.GetAsync($"/apis/{id}")).Body!;
        Assert.Equal(Release, Text(shown, "run_env_id"));
        Assert.Equal("RELEASE", Text(shown, "run_env_name"));
        Assert.Equal(Text(published, "publish_id"), Text(shown, "publish_id"));
    }

    [Fact]
    public async Task Publish_errors()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();

        (await host.PostAsync("/apis/action", $$"""{"action": "online", "api_id": "{{id}}", "env_id": "{{Unknown}}"}""")).AssertError(HttpStatusCode.NotFound, "APIG.3003");
        (await host.PostAsync("/apis/action", $$"""{"action": "online", "api_id": "{{Unknown}}", "env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.NotFound, "APIG.3002");
        (await host.PostAsync("/apis/action", $$"""{"action": "offline", "api_id": "{{id}}", "env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.NotFound, "APIG.3015");
        (await host.PostAsync("/apis/action", $$"""{"action": "republish", "api_id": "{{id}}", "env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2011");
        (await host.PostAsync("/apis/action", $$"""{"action": "online", "api_id": "{{id}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2001");
        (await host.PostAsync("/apis/action", $$"""{"action": "online", "api_id": "{{id}}", "env_id": "{{Release}}", "remark": "@r256"}""".Replace("@r256", new string('r', 256), StringComparison.Ordinal))).AssertError(HttpStatusCode.BadRequest, "APIG.2003");
    }

    [Fact]
    public async Task Offline_then_delete()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        var published = await host.PublishAsync(id);

        (await host.DeleteAsync($"/apis/{id}")).AssertError(HttpStatusCode.Conflict, "APIG.3416");

        var offline = await host.PublishAsync(id, action: "offline");
        Assert.Equal(Text(published, "publish_id"), Text(offline, "publish_id"));
        Assert.Null((await host.GetAsync($"/apis/{id}")).Body!["run_env_id"]);
        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/apis/{id}")).Status);
        (await host.GetAsync($"/apis/versions/{Text(published, "version_id")}")).AssertError(HttpStatusCode.NotFound, "APIG.3022");
    }

    [Fact]
    public async Task An_environment_with_published_apis_cannot_be_deleted()
    {
        await using var host = await ApiTestHost.StartAsync();
        var dev = await host.CreateEnvironmentAsync("DEV");
        var id = await host.CreateApiAsync();
        await host.PublishAsync(id, dev);

        (await host.DeleteAsync($"/envs/{dev}")).AssertError(HttpStatusCode.Forbidden, "APIG.3418");

        await host.PublishAsync(id, dev, "offline");
        Assert.Equal(HttpStatusCode.NoContent, (await host.DeleteAsync($"/envs/{dev}")).Status);
        Assert.Equal(0, (await host.GetAsync($"/apis/publish/{id}")).Body!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Batch_publish_reports_success_and_failure_per_api()
    {
        await using var host = await ApiTestHost.StartAsync();
        var http = await host.CreateApiAsync();
        var mock = await host.CreateApiAsync(ApiSamples.Mock);

        var online = await host.PostAsync("/apis/publish?action=online", $$"""{"apis": ["{{http}}", "{{Unknown}}", "{{mock}}"], "env_id": "{{Release}}", "remark": "batch"}""");

        Assert.Equal(HttpStatusCode.OK, online.Status);
        Assert.Equal(["success", "failure"], online.Body!.AsObject().Select(p => p.Key));
        var success = online.Body["success"]!.AsArray();
        Assert.Equal([http, mock], success.Select(item => Text(item, "api_id")));
        Assert.Equal(["publish_id", "api_id", "api_name", "env_id", "remark", "publish_time", "version_id"], success[0]!.AsObject().Select(p => p.Key));
        var failure = Assert.Single(online.Body["failure"]!.AsArray())!;
        Assert.Equal(Unknown, Text(failure, "api_id"));
        Assert.Equal("APIG.3002", Text(failure, "error_code"));
        Assert.False(string.IsNullOrEmpty(Text(failure, "error_msg")));
        Assert.Equal(2, (await host.GetAsync($"/apis?env_id={Release}")).Body!["total"]!.GetValue<long>());

        await host.PublishAsync(mock, action: "offline");
        var offline = await host.PostAsync("/apis/publish?action=offline", $$"""{"apis": ["{{http}}", "{{mock}}"], "env_id": "{{Release}}"}""");
        Assert.Equal(HttpStatusCode.OK, offline.Status);
        Assert.Equal([http], offline.Body!["success"]!.AsArray().Select(item => Text(item, "api_id")));
        var notPublished = Assert.Single(offline.Body["failure"]!.AsArray())!;
        Assert.Equal(["api_id", "api_name", "error_code", "error_msg"], notPublished.AsObject().Select(p => p.Key));
        Assert.Equal("Api_mock", Text(notPublished, "api_name"));
        Assert.Equal("APIG.3015", Text(notPublished, "error_code"));

        var byGroup = await host.PostAsync("/apis/publish?action=online", $$"""{"group_id": "{{host.DefaultGroupId}}", "env_id": "{{Release}}"}""");
        Assert.Equal(2, byGroup.Body!["success"]!.AsArray().Count);

        (await host.PostAsync("/apis/publish", $$"""{"apis": ["{{http}}"], "env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2001");
        (await host.PostAsync("/apis/publish?action=online", $$"""{"env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2001");
        (await host.PostAsync("/apis/publish?action=online", $$"""{"apis": ["{{http}}"], "env_id": "{{Unknown}}"}""")).AssertError(HttpStatusCode.NotFound, "APIG.3003");
        var tooMany = string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"api{i}\""));
        (await host.PostAsync("/apis/publish?action=online", $$"""{"apis": [{{tooMany}}], "env_id": "{{Release}}"}""")).AssertError(HttpStatusCode.BadRequest, "APIG.2003");
    }

    [Fact]
    public async Task Versions_list_pages_and_filters()
    {
        await using var host = await ApiTestHost.StartAsync();
        var dev = await host.CreateEnvironmentAsync("DEV");
        var id = await host.CreateApiAsync();
        var first = await host.PublishAsync(id);
        var inDev = await host.PublishAsync(id, dev);
        var second = await host.PublishAsync(id);

        var all = await host.GetAsync($"/apis/publish/{id}");

        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal(3, all.Body!["size"]!.GetValue<int>());
        Assert.Equal(3, all.Body["total"]!.GetValue<long>());
        var versions = all.Body["api_versions"]!.AsArray();
        Assert.Equal([Text(second, "version_id"), Text(inDev, "version_id"), Text(first, "version_id")], versions.Select(v => Text(v, "version_id")));
        Assert.Equal([1, 1, 2], versions.Select(v => v!["status"]!.GetValue<int>()));
        Assert.Equal(["version_id", "version_no", "api_id", "env_id", "env_name", "publish_time", "status"], versions[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("20250301083004", Text(versions[0], "version_no"));
        Assert.Equal("DEV", Text(versions[1], "env_name"));

        Assert.Single((await host.GetAsync($"/apis/publish/{id}?env_id={dev}")).Body!["api_versions"]!.AsArray());
        Assert.Equal(2, (await host.GetAsync($"/apis/publish/{id}?env_name=RELEASE")).Body!["api_versions"]!.AsArray().Count);
        var page = await host.GetAsync($"/apis/publish/{id}?offset=2&limit=1");
        Assert.Equal(Text(first, "version_id"), Text(page.Body!["api_versions"]![0], "version_id"));
        Assert.Equal(3, page.Body["total"]!.GetValue<long>());
        (await host.GetAsync($"/apis/publish/{Unknown}")).AssertError(HttpStatusCode.NotFound, "APIG.3002");
    }

    [Fact]
    public async Task Versions_are_capped_at_ten_per_environment_keeping_the_effective_one()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        var published = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            published.Add(Text(await host.PublishAsync(id), "version_id"));
        }

        var versions = (await host.GetAsync($"/apis/publish/{id}")).Body!;

        Assert.Equal(10, versions["total"]!.GetValue<long>());
        var ids = versions["api_versions"]!.AsArray().Select(v => Text(v, "version_id")).ToArray();
        Assert.DoesNotContain(published[0], ids);
        Assert.Equal(published[^1], ids[0]);
        Assert.Equal(1, versions["api_versions"]![0]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Switching_versions_changes_what_runs()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        var first = await host.PublishAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http, """{"name": "Api_second"}"""))).Status);
        var second = await host.PublishAsync(id);
        Assert.Equal("Api_second", Text((await host.GetAsync($"/apis/runtime/{id}")).Body, "name"));

        var switched = await host.PutAsync($"/apis/publish/{id}", $$"""{"version_id": "{{Text(first, "version_id")}}"}""");

        Assert.Equal(HttpStatusCode.OK, switched.Status);
        Assert.Equal(Text(first, "version_id"), switched.String("version_id"));
        Assert.Equal(Text(second, "publish_id"), switched.String("publish_id"));
        Assert.Equal("Api_second", switched.String("api_name"));
        Assert.Equal("Api_http", Text((await host.GetAsync($"/apis/runtime/{id}")).Body, "name"));

        (await host.PutAsync($"/apis/publish/{id}", $$"""{"version_id": "{{Unknown}}"}""")).AssertError(HttpStatusCode.NotFound, "APIG.3022");
        (await host.PutAsync($"/apis/publish/{id}", "{}")).AssertError(HttpStatusCode.BadRequest, "APIG.2001");
        (await host.PutAsync($"/apis/publish/{id}", "{")).AssertError(HttpStatusCode.BadRequest, "APIG.2000");
    }

    [Fact]
    public async Task Runtime_definition_shape_and_errors()
    {
        await using var host = await ApiTestHost.StartAsync();
        var dev = await host.CreateEnvironmentAsync("DEV");
        var id = await host.CreateApiAsync();
        var published = await host.PublishAsync(id);
        await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http, """{"name": "Api_edited", "req_method": "POST"}"""));

        var runtime = await host.GetAsync($"/apis/runtime/{id}");

        Assert.Equal(HttpStatusCode.OK, runtime.Status);
        var body = runtime.Body!;
        Assert.Equal("Api_http", Text(body, "name"));
        Assert.Equal("GET", Text(body, "req_method"));
        Assert.Equal(id, Text(body, "id"));
        Assert.Equal(Release, Text(body, "run_env_id"));
        Assert.Equal("RELEASE", Text(body, "run_env_name"));
        Assert.Equal(Text(published, "publish_id"), Text(body, "publish_id"));
        Assert.Equal("DEFAULT", Text(body, "group_name"));
        Assert.NotNull(body["sl_domain"]);
        Assert.NotEmpty(body["sl_domains"]!.AsArray());
        Assert.Equal(3, body["req_params"]!.AsArray().Count);
        foreach (var absent in new[] { "backend_api", "backend_params", "policy_https", "status", "register_time", "update_time" })
        {
            Assert.Null(body[absent]);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/apis/runtime/{id}?env_id={Release}")).Status);
        (await host.GetAsync($"/apis/runtime/{id}?env_id={dev}")).AssertError(HttpStatusCode.NotFound, "APIG.3015");
        (await host.GetAsync($"/apis/runtime/{id}?env_id={Unknown}")).AssertError(HttpStatusCode.NotFound, "APIG.3003");
        (await host.GetAsync($"/apis/runtime/{Unknown}")).AssertError(HttpStatusCode.NotFound, "APIG.3002");
    }

    [Fact]
    public async Task Version_detail_is_the_full_object_of_that_version()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        var published = await host.PublishAsync(id);
        await host.PutAsync($"/apis/{id}", host.Body(ApiSamples.Http, """{"name": "Api_edited"}"""));

        var detail = await host.GetAsync($"/apis/versions/{Text(published, "version_id")}");

        Assert.Equal(HttpStatusCode.OK, detail.Status);
        var body = detail.Body!;
        Assert.Equal("Api_http", Text(body, "name"));
        Assert.Equal(Text(published, "version_id"), Text(body, "version_id"));
        Assert.Equal(Text(published, "publish_time"), Text(body, "publish_time"));
        Assert.Equal(Release, Text(body, "run_env_id"));
        Assert.NotNull(body["sl_domain"]);
        Assert.NotEmpty(body["sl_domains"]!.AsArray());
        Assert.NotNull(body["backend_api"]!["id"]);
        Assert.Equal(4, body["backend_params"]!.AsArray().Count);
        Assert.Single(body["policy_https"]!.AsArray());
        (await host.GetAsync($"/apis/versions/{Unknown}")).AssertError(HttpStatusCode.NotFound, "APIG.3022");
    }

    [Fact]
    public async Task Offline_by_version_takes_down_only_the_effective_version()
    {
        await using var host = await ApiTestHost.StartAsync();
        var id = await host.CreateApiAsync();
        var first = await host.PublishAsync(id);
        var second = await host.PublishAsync(id);

        (await host.DeleteAsync($"/apis/versions/{Text(first, "version_id")}")).AssertError(HttpStatusCode.NotFound, "APIG.3015");

        var offline = await host.DeleteAsync($"/apis/versions/{Text(second, "version_id")}");
        Assert.Equal(HttpStatusCode.NoContent, offline.Status);
        Assert.Null((await host.GetAsync($"/apis/{id}")).Body!["run_env_id"]);
        (await host.GetAsync($"/apis/runtime/{id}")).AssertError(HttpStatusCode.NotFound, "APIG.3015");
        Assert.Equal(2, (await host.GetAsync($"/apis/publish/{id}")).Body!["total"]!.GetValue<long>());
        (await host.DeleteAsync($"/apis/versions/{Unknown}")).AssertError(HttpStatusCode.NotFound, "APIG.3022");
    }
}
