using Gateway.Apig;
using Gateway.Apig.Apis;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Core.Tests.Apis;
using Gateway.Store;

namespace Gateway.Core.Tests.AppAuthorizations;

/// <summary>
/// An instance in an in-memory store with the credential managers, wired like AddGateway wires them: authorizations are
/// owned by their API and their environment.
/// </summary>
internal sealed class CredentialFixture
{
    private CredentialFixture()
    {
        var options = new ApigOptions();
        Writer = new ResourceWriter(Store, new ApigRelations(
        [
            new ApigOwnedCollection(ApigOwner.Api, AppAuthorizationKeys.Authorizations),
            new ApigOwnedCollection(ApigOwner.Environment, AppAuthorizationKeys.Authorizations),
        ]));
        Instances = new InstanceManager(Writer, Clock, options);
        Environments = new EnvironmentManager(Writer, Clock);
        Groups = new ApiGroupManager(Writer, Clock, options);
        Apis = new ApiManager(Writer, Clock, options);
        Apps = new AppManager(Writer, Clock, []);
        Authorizations = new AppAuthorizationManager(Writer, Clock);
    }

    public ManualTimeProvider Clock { get; } = new();

    public InMemoryResourceStore Store { get; } = new();

    public ResourceWriter Writer { get; }

    public InstanceManager Instances { get; }

    public EnvironmentManager Environments { get; }

    public ApiGroupManager Groups { get; }

    public ApiManager Apis { get; }

    public AppManager Apps { get; }

    public AppAuthorizationManager Authorizations { get; }

    public ApigScope Scope { get; private set; }

    public string DefaultGroupId { get; private set; } = "";

    public static async Task<CredentialFixture> CreateAsync()
    {
        var fixture = new CredentialFixture();
        var created = await fixture.Instances.CreateAsync("project", new CreateInstanceRequest
        {
            InstanceName = "gateway_test",
            SpecId = "BASIC",
            VpcId = "vpc",
            SubnetId = "subnet",
            SecurityGroupId = "sg",
            AvailableZoneIds = ["az1"],
        }, CancellationToken.None);
        fixture.Scope = new ApigScope("project", created.InstanceId);
        var groups = await fixture.Groups.ListAsync(fixture.Scope, new ApiGroupListFilter(ListQuery.Create(null, null), null, null, null), CancellationToken.None);
        fixture.DefaultGroupId = groups.Groups[0].Id;
        return fixture;
    }

    public async Task<string> CreateAppAsync(string name)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        return (await Apps.CreateAsync(Scope, new AppRequest { Name = name }, CancellationToken.None)).Id;
    }

    public async Task<string> CreateApiAsync(string name)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        var request = ApiJson.Request(ApiJson.With(ApiJson.Mock, $$"""{"name":"{{name}}","req_uri":"/{{name}}","group_id":"{{DefaultGroupId}}"}"""));
        return (await Apis.CreateAsync(Scope, request, CancellationToken.None)).Id;
    }

    public Task<AppAuthorizationResult> AuthorizeAsync(string envId, string[] appIds, string[] apiIds) =>
        Authorizations.AuthorizeAsync(Scope, new AppAuthorizationRequest { EnvId = envId, AppIds = [.. appIds], ApiIds = [.. apiIds] }, CancellationToken.None);

    public async Task<int> CountAuthorizationsAsync() =>
        (await Store.ListAsync(AppAuthorizationKeys.Authorizations(Scope.InstanceId), CancellationToken.None)).Count;
}
