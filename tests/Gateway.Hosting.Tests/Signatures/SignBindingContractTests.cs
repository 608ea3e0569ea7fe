using System.Net;
using Gateway.Apig.Signatures;
using Gateway.Hosting.Tests.Apig;

namespace Gateway.Hosting.Tests.Signatures;

/// <summary>The REST contract of 3.7 signature-key bindings and their relations to keys, APIs and environments.</summary>
public sealed class SignBindingContractTests
{
    private static async Task<string> CreateKeyAsync(FamilyHost host, string name)
    {
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var created = await host.PostAsync("/signs", $$"""{"name": "{{name}}"}""");
        created.ShouldBe(HttpStatusCode.Created);
        return FamilyHost.Text(created.Json, "id");
    }

    private static async Task<Reply> BindAsync(FamilyHost host, string signId, params string[] publishIds)
    {
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        return await host.PostAsync("/sign-bindings", $$"""{"sign_id": "{{signId}}", "publish_ids": [{{string.Join(",", publishIds.Select(id => $"\"{id}\""))}}]}""");
    }

    private static async Task<string> BindOneAsync(FamilyHost host, string signId, string publishId)
    {
        using var bound = await BindAsync(host, signId, publishId);
        bound.ShouldBe(HttpStatusCode.Created);
        return FamilyHost.Text(bound.Json.GetProperty("bindings")[0], "id");
    }

    [Fact]
    public async Task Bind_answers_201_with_the_documented_binding_info()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var apiId = await host.CreateApiAsync("Api_http");
        var publishId = await host.PublishAsync(apiId);

        using var reply = await BindAsync(host, signId, publishId);

        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(["bindings"], reply.Json.EnumerateObject().Select(p => p.Name));
        var binding = reply.Json.GetProperty("bindings")[0];
        Assert.Equal(
            ["publish_id", "api_id", "group_name", "binding_time", "env_id", "env_name", "api_type", "api_name", "id", "api_remark", "sign_id", "sign_name", "req_method", "sign_key", "sign_secret", "sign_type"],
            binding.EnumerateObject().Select(p => p.Name));
        Assert.Equal(publishId, FamilyHost.Text(binding, "publish_id"));
        Assert.Equal(apiId, FamilyHost.Text(binding, "api_id"));
        Assert.Equal("DEFAULT", FamilyHost.Text(binding, "group_name"));
        Assert.Equal("2025-03-01T08:30:04.0000000Z", FamilyHost.Text(binding, "binding_time"));
        Assert.Equal(FamilyHost.Release, FamilyHost.Text(binding, "env_id"));
        Assert.Equal("RELEASE", FamilyHost.Text(binding, "env_name"));
        Assert.Equal(1, binding.GetProperty("api_type").GetInt32());
        Assert.Equal("Api_http", FamilyHost.Text(binding, "api_name"));
        Assert.Matches("^[0-9a-f]{32}$", FamilyHost.Text(binding, "id"));
        Assert.Equal("demo", FamilyHost.Text(binding, "api_remark"));
        Assert.Equal(signId, FamilyHost.Text(binding, "sign_id"));
        Assert.Equal("signature_demo", FamilyHost.Text(binding, "sign_name"));
        Assert.Equal("GET", FamilyHost.Text(binding, "req_method"));
        Assert.Equal("hmac", FamilyHost.Text(binding, "sign_type"));
        Assert.Equal(32, FamilyHost.Text(binding, "sign_key").Length);
        Assert.Equal(32, FamilyHost.Text(binding, "sign_secret").Length);
    }

    [Fact]
    public async Task Bind_validates_its_body()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var publishId = await host.PublishAsync(await host.CreateApiAsync("Api_http"));

        (string Body, HttpStatusCode Status, string Code, string? Parameter)[] cases =
        [
            ($$"""{"publish_ids": ["{{publishId}}"]}""", HttpStatusCode.BadRequest, "APIG.2001", "sign_id"),
            ($$"""{"sign_id": "bad id", "publish_ids": ["{{publishId}}"]}""", HttpStatusCode.BadRequest, "APIG.2012", "sign_id"),
            ($$"""{"sign_id": "{{signId}}"}""", HttpStatusCode.BadRequest, "APIG.2001", "publish_ids"),
            ($$"""{"sign_id": "{{signId}}", "publish_ids": []}""", HttpStatusCode.BadRequest, "APIG.2001", "publish_ids"),
            ($$"""{"sign_id": "{{signId}}", "publish_ids": [""]}""", HttpStatusCode.BadRequest, "APIG.2001", "publish_ids"),
            ($$"""{"sign_id": "{{signId}}", "publish_ids": ["a/b"]}""", HttpStatusCode.BadRequest, "APIG.2012", "publish_ids"),
            ($$"""{"sign_id": "{{signId}}", "publish_ids": "{{publishId}}"}""", HttpStatusCode.BadRequest, "APIG.2012", "publish_ids"),
            ($$"""{"sign_id": "{{FamilyHost.Unknown}}", "publish_ids": ["{{publishId}}"]}""", HttpStatusCode.NotFound, "APIG.3017", FamilyHost.Unknown),
            ($$"""{"sign_id": "{{signId}}", "publish_ids": ["{{FamilyHost.Unknown}}"]}""", HttpStatusCode.NotFound, "APIG.3015", FamilyHost.Unknown),
        ];
        foreach (var (body, status, code, parameter) in cases)
        {
            using var reply = await host.PostAsync("/sign-bindings", body);
            reply.ShouldFail(status, code, parameter);
        }

        Assert.Equal(0, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));
    }

    [Fact]
    public async Task Bind_is_all_or_nothing()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var publishId = await host.PublishAsync(await host.CreateApiAsync("Api_http"));

        using var reply = await BindAsync(host, signId, publishId, FamilyHost.Unknown);
        reply.ShouldFail(HttpStatusCode.NotFound, "APIG.3015");
        Assert.Equal(0, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));
    }

    [Fact]
    public async Task One_key_per_api_and_environment()
    {
        await using var host = await FamilyHost.StartAsync();
        var first = await CreateKeyAsync(host, "first_key");
        var second = await CreateKeyAsync(host, "second_key");
        var dev = await host.CreateEnvironmentAsync("DEV");
        var apiId = await host.CreateApiAsync("Api_http");
        var releasePublication = await host.PublishAsync(apiId);
        var devPublication = await host.PublishAsync(apiId, dev);

        var bindingId = await BindOneAsync(host, first, releasePublication);

        // The same key again is not a second binding.
        using var again = await BindAsync(host, first, releasePublication, releasePublication);
        again.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(bindingId, FamilyHost.Text(again.Json.GetProperty("bindings")[0], "id"));
        Assert.Equal(1, again.Json.GetProperty("bindings").GetArrayLength());

        // Another key in the same environment is refused; in another environment it is fine.
        using var conflict = await BindAsync(host, second, releasePublication);
        conflict.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "publish_ids");
        Assert.Contains("first_key", conflict.Json.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
        await BindOneAsync(host, second, devPublication);

        using var bound = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}");
        Assert.Equal(2, bound.Json.GetProperty("total").GetInt64());
        Assert.Equal([first, second], FamilyHost.Ids(bound, "bindings", "sign_id"));
        Assert.Equal(2, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));
    }

    [Fact]
    public async Task Unbind_answers_204_then_404()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var publishId = await host.PublishAsync(await host.CreateApiAsync("Api_http"));
        var bindingId = await BindOneAsync(host, signId, publishId);

        using var unbound = await host.DeleteAsync($"/sign-bindings/{bindingId}");
        unbound.ShouldBe(HttpStatusCode.NoContent);
        using var again = await host.DeleteAsync($"/sign-bindings/{bindingId}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3018");
        using var malformed = await host.DeleteAsync("/sign-bindings/bad%20id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "sign_bindings_id");

        // Unbound, the publication can take another key.
        var other = await CreateKeyAsync(host, "other_key");
        await BindOneAsync(host, other, publishId);
    }

    [Fact]
    public async Task Bound_signs_of_an_api()
    {
        await using var host = await FamilyHost.StartAsync();
        var alpha = await CreateKeyAsync(host, "alpha_key");
        var beta = await CreateKeyAsync(host, "beta_key");
        var dev = await host.CreateEnvironmentAsync("DEV");
        var test = await host.CreateEnvironmentAsync("TEST");
        var apiId = await host.CreateApiAsync("Api_http");
        var otherApi = await host.CreateApiAsync("Api_other");
        await BindOneAsync(host, alpha, await host.PublishAsync(apiId));
        await BindOneAsync(host, beta, await host.PublishAsync(apiId, dev));
        await BindOneAsync(host, alpha, await host.PublishAsync(apiId, test));
        await BindOneAsync(host, alpha, await host.PublishAsync(otherApi));

        using var all = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["size", "total", "bindings"], all.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal([FamilyHost.Release, dev, test], FamilyHost.Ids(all, "bindings", "env_id"));
        Assert.True(all.Json.GetProperty("bindings")[0].TryGetProperty("sign_secret", out _));

        using var byEnv = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}&env_id={dev}");
        Assert.Equal([beta], FamilyHost.Ids(byEnv, "bindings", "sign_id"));
        using var bySign = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}&sign_id={alpha}");
        Assert.Equal([FamilyHost.Release, test], FamilyHost.Ids(bySign, "bindings", "env_id"));
        using var byName = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}&sign_name=BETA");
        Assert.Equal([dev], FamilyHost.Ids(byName, "bindings", "env_id"));
        using var page = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}&offset=1&limit=1");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal([dev], FamilyHost.Ids(page, "bindings", "env_id"));

        using var missing = await host.GetAsync("/sign-bindings/binded-signs");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "api_id");
        using var unknown = await host.GetAsync($"/sign-bindings/binded-signs?api_id={FamilyHost.Unknown}");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3002");
        using var malformed = await host.GetAsync($"/sign-bindings/binded-signs?api_id={apiId}&env_id=a%2Fb");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "env_id");
    }

    [Fact]
    public async Task Unbound_apis_of_a_key_list_published_apis_only()
    {
        await using var host = await FamilyHost.StartAsync();
        var mine = await CreateKeyAsync(host, "my_key");
        var other = await CreateKeyAsync(host, "other_key");
        var dev = await host.CreateEnvironmentAsync("DEV");
        var group = await host.CreateGroupAsync("second_group");
        var first = await host.CreateApiAsync("Api_first");
        var second = await host.CreateApiAsync("Api_second");
        var third = await host.CreateApiAsync("Api_third", groupId: group);
        _ = await host.CreateApiAsync("Api_unpublished");
        var firstRelease = await host.PublishAsync(first);
        var firstDev = await host.PublishAsync(first, dev);
        var secondRelease = await host.PublishAsync(second);
        var thirdRelease = await host.PublishAsync(third);
        await BindOneAsync(host, mine, firstRelease);
        await BindOneAsync(host, other, secondRelease);

        using var all = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["size", "total", "apis"], all.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal([firstDev, secondRelease, thirdRelease], FamilyHost.Ids(all, "apis", "publish_id"));
        var item = all.Json.GetProperty("apis")[0];
        Assert.Equal(
            ["id", "name", "type", "remark", "group_id", "group_name", "run_env_id", "run_env_name", "publish_id", "req_uri", "req_method", "auth_type"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(first, FamilyHost.Text(item, "id"));
        Assert.Equal(dev, FamilyHost.Text(item, "run_env_id"));
        Assert.Equal("DEV", FamilyHost.Text(item, "run_env_name"));
        Assert.Equal("/Api_first/{userId}", FamilyHost.Text(item, "req_uri"));
        Assert.Equal("NONE", FamilyHost.Text(item, "auth_type"));
        Assert.Equal("other_key", FamilyHost.Text(all.Json.GetProperty("apis")[1], "signature_name"));

        using var byEnv = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}&env_id={FamilyHost.Release}");
        Assert.Equal([secondRelease, thirdRelease], FamilyHost.Ids(byEnv, "apis", "publish_id"));
        using var byApi = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}&api_id={first}");
        Assert.Equal([firstDev], FamilyHost.Ids(byApi, "apis", "publish_id"));
        using var byName = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}&api_name=THIRD");
        Assert.Equal([thirdRelease], FamilyHost.Ids(byName, "apis", "publish_id"));
        using var byGroup = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}&group_id={group}");
        Assert.Equal([thirdRelease], FamilyHost.Ids(byGroup, "apis", "publish_id"));
        using var page = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={mine}&offset=2&limit=5");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal([thirdRelease], FamilyHost.Ids(page, "apis", "publish_id"));

        using var missing = await host.GetAsync("/sign-bindings/unbinded-apis");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "sign_id");
        using var unknown = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={FamilyHost.Unknown}");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3017");
    }

    [Fact]
    public async Task Bound_apis_of_a_key_leave_out_the_key_material()
    {
        await using var host = await FamilyHost.StartAsync();
        var mine = await CreateKeyAsync(host, "my_key");
        var other = await CreateKeyAsync(host, "other_key");
        var dev = await host.CreateEnvironmentAsync("DEV");
        var group = await host.CreateGroupAsync("second_group");
        var first = await host.CreateApiAsync("Api_first");
        var second = await host.CreateApiAsync("Api_second", groupId: group);
        var firstRelease = await host.PublishAsync(first);
        var firstDev = await host.PublishAsync(first, dev);
        var secondRelease = await host.PublishAsync(second);
        await BindOneAsync(host, mine, firstRelease);
        await BindOneAsync(host, mine, firstDev);
        await BindOneAsync(host, mine, secondRelease);
        await BindOneAsync(host, other, await host.PublishAsync(await host.CreateApiAsync("Api_third")));

        using var all = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal([firstRelease, firstDev, secondRelease], FamilyHost.Ids(all, "bindings", "publish_id"));
        var item = all.Json.GetProperty("bindings")[0];
        Assert.Equal(
            ["publish_id", "api_id", "group_name", "binding_time", "env_id", "env_name", "api_type", "api_name", "id", "api_remark", "sign_id", "sign_name", "req_method"],
            item.EnumerateObject().Select(p => p.Name));

        using var byEnv = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}&env_id={dev}");
        Assert.Equal([firstDev], FamilyHost.Ids(byEnv, "bindings", "publish_id"));
        using var byApi = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}&api_id={second}");
        Assert.Equal([secondRelease], FamilyHost.Ids(byApi, "bindings", "publish_id"));
        using var byName = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}&api_name=first");
        Assert.Equal([firstRelease, firstDev], FamilyHost.Ids(byName, "bindings", "publish_id"));
        using var byGroup = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}&group_id={group}");
        Assert.Equal([secondRelease], FamilyHost.Ids(byGroup, "bindings", "publish_id"));
        using var page = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={mine}&limit=1");
        Assert.Equal(3, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, page.Json.GetProperty("size").GetInt32());

        using var missing = await host.GetAsync("/sign-bindings/binded-apis");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "sign_id");
        using var unknown = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={FamilyHost.Unknown}");
        unknown.ShouldFail(HttpStatusCode.NotFound, "APIG.3017");
    }

    [Fact]
    public async Task Taking_an_api_offline_ends_its_binding()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var apiId = await host.CreateApiAsync("Api_http");
        var publishId = await host.PublishAsync(apiId);
        await BindOneAsync(host, signId, publishId);

        await host.PublishAsync(apiId, action: "offline");
        using var boundApis = await host.GetAsync($"/sign-bindings/binded-apis?sign_id={signId}");
        Assert.Equal(0, boundApis.Json.GetProperty("total").GetInt64());
        using var keys = await host.GetAsync("/signs");
        Assert.Equal(0, keys.Json.GetProperty("signs")[0].GetProperty("bind_num").GetInt32());

        // Republished, the API starts unbound; binding again replaces the ended record.
        var republished = await host.PublishAsync(apiId);
        Assert.NotEqual(publishId, republished);
        using var unbound = await host.GetAsync($"/sign-bindings/unbinded-apis?sign_id={signId}");
        Assert.Equal([republished], FamilyHost.Ids(unbound, "apis", "publish_id"));
        using var stale = await BindAsync(host, signId, publishId);
        stale.ShouldFail(HttpStatusCode.NotFound, "APIG.3015");
        await BindOneAsync(host, signId, republished);
        Assert.Equal(1, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));
    }

    [Fact]
    public async Task Bindings_go_with_their_key()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var other = await CreateKeyAsync(host, "other_key");
        await BindOneAsync(host, signId, await host.PublishAsync(await host.CreateApiAsync("Api_one")));
        await BindOneAsync(host, other, await host.PublishAsync(await host.CreateApiAsync("Api_two")));

        using var deleted = await host.DeleteAsync($"/signs/{signId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(1, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));
    }

    [Fact]
    public async Task Bindings_go_with_their_api_and_environment()
    {
        await using var host = await FamilyHost.StartAsync();
        var signId = await CreateKeyAsync(host, "signature_demo");
        var dev = await host.CreateEnvironmentAsync("DEV");
        var deletedApi = await host.CreateApiAsync("Api_deleted");
        var keptApi = await host.CreateApiAsync("Api_kept");
        await BindOneAsync(host, signId, await host.PublishAsync(deletedApi));
        await BindOneAsync(host, signId, await host.PublishAsync(keptApi));
        await BindOneAsync(host, signId, await host.PublishAsync(keptApi, dev));
        Assert.Equal(3, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));

        await host.PublishAsync(deletedApi, action: "offline");
        using var apiDeleted = await host.DeleteAsync($"/apis/{deletedApi}");
        apiDeleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(2, await host.CountStoredAsync(SignatureStoreKeys.Bindings(host.InstanceId)));

        await host.PublishAsync(keptApi, dev, "offline");
        using var envDeleted = await host.DeleteAsync($"/envs/{dev}");
        envDeleted.ShouldBe(HttpStatusCode.NoContent);
        var remaining = await host.Store.ListAsync(SignatureStoreKeys.Bindings(host.InstanceId));
        Assert.Single(remaining);
        Assert.Contains(FamilyHost.Release, System.Text.Encoding.UTF8.GetString(remaining[0].Value.Span), StringComparison.Ordinal);
    }
}
