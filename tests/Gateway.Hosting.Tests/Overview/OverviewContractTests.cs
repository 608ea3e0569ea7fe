using System.Net;
using System.Text;
using Gateway.Apig.Overview;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Gateway.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Overview;

public sealed class OverviewContractTests
{
    [Fact]
    public async Task Api_outline_counts_apis_on_and_off_release()
    {
        await using var host = await ApiTestHost.StartAsync();
        var empty = await host.GetAsync("/resources/outline/apis");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Equal(0, empty.Body!["instance_num"]!.GetValue<int>());
        Assert.Equal(0, empty.Body!["nums_on_release"]!.GetValue<int>());
        Assert.Equal(0, empty.Body!["nums_off_release"]!.GetValue<int>());

        var released = await host.CreateApiAsync(ApiSamples.Http);
        var elsewhere = await host.CreateApiAsync(ApiSamples.Mock);
        await host.CreateApiAsync(ApiSamples.Function);
        await host.PublishAsync(released);
        var test = await host.CreateEnvironmentAsync("TEST_ENV");
        await host.PublishAsync(elsewhere, test);

        var outline = await host.GetAsync("/resources/outline/apis");
        Assert.Equal(3, outline.Body!["instance_num"]!.GetValue<int>());
        Assert.Equal(1, outline.Body!["nums_on_release"]!.GetValue<int>());
        Assert.Equal(2, outline.Body!["nums_off_release"]!.GetValue<int>());
        Assert.Equal(3, outline.Body!.AsObject().Count);

        await host.PublishAsync(released, action: "offline");
        var after = await host.GetAsync("/resources/outline/apis");
        Assert.Equal(0, after.Body!["nums_on_release"]!.GetValue<int>());
        Assert.Equal(3, after.Body!["nums_off_release"]!.GetValue<int>());
    }

    [Fact]
    public async Task Group_outline_counts_the_groups()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var initial = await host.GetAsync($"{host.Instance}/resources/outline/groups");
        initial.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, initial.Json.GetProperty("onsell_nums").GetInt32());
        Assert.Equal(0, initial.Json.GetProperty("offsell_nums").GetInt32());

        await host.CreateGroupAsync("outline_one");
        await host.CreateGroupAsync("outline_two");
        using var outline = await host.GetAsync($"{host.Instance}/resources/outline/groups");
        Assert.Equal(3, outline.Json.GetProperty("onsell_nums").GetInt32());
        Assert.Equal(0, outline.Json.GetProperty("offsell_nums").GetInt32());
    }

    [Fact]
    public async Task App_outline_counts_apps_with_and_without_authorizations()
    {
        await using var host = await ApigTestHost.StartAsync();
        using var empty = await host.GetAsync($"{host.Instance}/resources/outline/apps");
        empty.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, empty.Json.GetProperty("authed_nums").GetInt32());
        Assert.Equal(0, empty.Json.GetProperty("unauthed_nums").GetInt32());

        // APPs and their authorizations belong to other families; their records are written directly here.
        var store = host.Services.GetRequiredService<IResourceStore>();
        var transaction = new StoreTransaction();
        foreach (var app in new[] { "app1", "app2", "app3" })
        {
            transaction.Put(OverviewManager.Apps(host.InstanceId) + app, Encoding.UTF8.GetBytes($$"""{"id":"{{app}}","name":"{{app}}"}"""));
        }

        transaction.Put(OverviewManager.AppAuthorizations(host.InstanceId) + "auth1", Encoding.UTF8.GetBytes("""{"id":"auth1","app_id":"app1","api_id":"x","env_id":"y"}"""));
        transaction.Put(OverviewManager.AppAuthorizations(host.InstanceId) + "auth2", Encoding.UTF8.GetBytes("""{"id":"auth2","app_id":"app1","api_id":"z","env_id":"y"}"""));
        transaction.Put(OverviewManager.AppAuthorizations(host.InstanceId) + "auth3", Encoding.UTF8.GetBytes("""{"id":"auth3","app_id":"app3","api_id":"x","env_id":"y"}"""));
        Assert.True((await store.CommitAsync(transaction)).Succeeded);

        using var outline = await host.GetAsync($"{host.Instance}/resources/outline/apps");
        Assert.Equal(2, outline.Json.GetProperty("authed_nums").GetInt32());
        Assert.Equal(1, outline.Json.GetProperty("unauthed_nums").GetInt32());
    }

    [Theory]
    [InlineData("apis")]
    [InlineData("groups")]
    [InlineData("apps")]
    public async Task Unknown_instance_is_404(string outline)
    {
        await using var host = await ApigTestHost.StartAsync();
        using var reply = await host.GetAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff/resources/outline/{outline}");
        reply.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var malformed = await host.GetAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/bad$id/resources/outline/{outline}");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "instance_id");
    }
}
