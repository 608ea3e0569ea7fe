using Gateway.Apig.Signatures;
using Gateway.Core.Tests.Apis;
using Gateway.Errors;

namespace Gateway.Core.Tests.Signatures;

/// <summary>Binding rules that must hold under concurrent writes, and the view of bindings the data plane shares.</summary>
public sealed class SignBindingStoreTests
{
    [Fact]
    public async Task Concurrent_binds_of_different_keys_leave_one_key_per_publication()
    {
        var fixture = await ApiFixture.CreateAsync();
        var keys = new SignatureKeyManager(fixture.Writer, fixture.Clock);
        var bindings = new SignBindingManager(fixture.Writer, fixture.Clock);
        var api = await fixture.CreateAsync();
        var publication = await fixture.PublishAsync(api.Id);
        var keyIds = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            keyIds.Add((await keys.CreateAsync(fixture.Scope, new SignatureKeyRequest { Name = $"key_{i}" }, CancellationToken.None)).Id);
        }

        var attempts = keyIds.Select(async keyId =>
        {
            await Task.Yield();
            try
            {
                await bindings.BindToPublicationsAsync(fixture.Scope, new BindSignRequest { SignId = keyId, PublishIds = [publication.PublishId] }, CancellationToken.None);
                return "ok";
            }
            catch (ApiErrorException error)
            {
                return error.ErrorCode;
            }
        });

        var outcomes = await Task.WhenAll(attempts);
        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("APIG.2011", o));
        var effective = await SignBindingManager.LoadEffectiveBindingsAsync(fixture.Writer, fixture.Scope.InstanceId, CancellationToken.None);
        Assert.Single(effective);
    }

    [Fact]
    public async Task Bindings_whose_publication_ended_are_not_in_force()
    {
        var fixture = await ApiFixture.CreateAsync();
        var keys = new SignatureKeyManager(fixture.Writer, fixture.Clock);
        var bindings = new SignBindingManager(fixture.Writer, fixture.Clock);
        var api = await fixture.CreateAsync();
        var publication = await fixture.PublishAsync(api.Id);
        var key = await keys.CreateAsync(fixture.Scope, new SignatureKeyRequest { Name = "key_one" }, CancellationToken.None);
        await bindings.BindToPublicationsAsync(fixture.Scope, new BindSignRequest { SignId = key.Id, PublishIds = [publication.PublishId] }, CancellationToken.None);
        Assert.Single(await SignBindingManager.LoadEffectiveBindingsAsync(fixture.Writer, fixture.Scope.InstanceId, CancellationToken.None));

        await fixture.OfflineAsync(api.Id);
        Assert.Empty(await SignBindingManager.LoadEffectiveBindingsAsync(fixture.Writer, fixture.Scope.InstanceId, CancellationToken.None));

        // Republishing starts a new publication: the old binding does not come back.
        await fixture.PublishAsync(api.Id);
        Assert.Empty(await SignBindingManager.LoadEffectiveBindingsAsync(fixture.Writer, fixture.Scope.InstanceId, CancellationToken.None));
    }
}
