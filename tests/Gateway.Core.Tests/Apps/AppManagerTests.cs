using System.Text;
using Gateway.Apig.Apps;
using Gateway.Core.Tests.AppAuthorizations;

namespace Gateway.Core.Tests.Apps;

public sealed class AppManagerTests
{
    [Fact]
    public async Task Deleting_an_app_deletes_the_entries_other_families_registered_for_it()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var extra = new AppOwnedCollection(instanceId => $"apig/inst/{instanceId}/extra/");
        var apps = new AppManager(fixture.Writer, fixture.Clock, [extra]);
        var doomed = await fixture.CreateAppAsync("app_doomed");
        var kept = await fixture.CreateAppAsync("app_kept");
        var collection = extra.Collection(fixture.Scope.InstanceId);
        var transaction = new Gateway.Store.StoreTransaction()
            .Put(collection + "one", Encoding.UTF8.GetBytes($$"""{"id":"one","app_id":"{{doomed}}"}"""))
            .Put(collection + "two", Encoding.UTF8.GetBytes($$"""{"id":"two","app_id":"{{kept}}"}"""))
            .Put(collection + "three", Encoding.UTF8.GetBytes($$"""{"id":"three","nested":{"app_id":"{{doomed}}"} }"""));
        Assert.True((await fixture.Store.CommitAsync(transaction)).Succeeded);

        await apps.DeleteAsync(fixture.Scope, doomed, CancellationToken.None);

        var left = await fixture.Store.ListAsync(collection);
        Assert.Equal([collection + "three", collection + "two"], left.Select(entry => entry.Key));
        Assert.Null(await fixture.Store.GetAsync(AppKeys.App(fixture.Scope.InstanceId, doomed)));
    }
}
