using Gateway.Apig;
using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Store;

namespace Gateway.Core.Tests.Apis;

/// <summary>An instance (DEFAULT group, RELEASE environment) in an in-memory store, with the managers around it.</summary>
internal sealed class ApiFixture
{
    private ApiFixture(ApigOptions options)
    {
        Options = options;
        Writer = new ResourceWriter(Store);
        Instances = new InstanceManager(Writer, Clock, options);
        Groups = new ApiGroupManager(Writer, Clock, options);
        Environments = new EnvironmentManager(Writer, Clock);
        Apis = new ApiManager(Writer, Clock, options);
    }

    public ManualTimeProvider Clock { get; } = new();

    public InMemoryResourceStore Store { get; } = new();

    public ApigOptions Options { get; }

    public ResourceWriter Writer { get; }

    public InstanceManager Instances { get; }

    public ApiGroupManager Groups { get; }

    public EnvironmentManager Environments { get; }

    public ApiManager Apis { get; }

    public ApigScope Scope { get; private set; }

    public string DefaultGroupId { get; private set; } = "";

    public static async Task<ApiFixture> CreateAsync(Action<ApigOptions>? configure = null)
    {
        var options = new ApigOptions();
        configure?.Invoke(options);
        var fixture = new ApiFixture(options);
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

    /// <summary>A sample body with a patch applied, in the DEFAULT group unless the patch names another.</summary>
    public ApiRequest Request(string sample, string patch = "{}") =>
        ApiJson.Request(ApiJson.With(ApiJson.With(sample, $$"""{"group_id": "{{DefaultGroupId}}"}"""), patch));

    /// <summary>Creates an API one second after the previous step, so that creation order is list order.</summary>
    public Task<Api> CreateAsync(string sample = ApiJson.Http, string patch = "{}")
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        return Apis.CreateAsync(Scope, Request(sample, patch), CancellationToken.None);
    }

    public async Task<string> CreateEnvironmentAsync(string name) =>
        (await Environments.CreateAsync(Scope, new EnvironmentRequest { Name = name }, CancellationToken.None)).Id;

    public async Task<string> CreateGroupAsync(string name) =>
        (await Groups.CreateAsync(Scope, new ApiGroupRequest { Name = name }, CancellationToken.None)).Id;

    public Task<PublishResult> PublishAsync(string apiId, string envId = EnvironmentManager.ReleaseId, string? remark = null)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        return Apis.PublishAsync(Scope, new PublishRequest { Action = "online", ApiId = apiId, EnvId = envId, Remark = remark }, CancellationToken.None);
    }

    public Task<PublishResult> OfflineAsync(string apiId, string envId = EnvironmentManager.ReleaseId) =>
        Apis.PublishAsync(Scope, new PublishRequest { Action = "offline", ApiId = apiId, EnvId = envId }, CancellationToken.None);

    public Task<ApiVersionList> VersionsAsync(string apiId, string? envId = null, string? envName = null, long? offset = null, long? limit = null) =>
        Apis.ListVersionsAsync(Scope, apiId, new ApiVersionFilter(ListQuery.Create(offset, limit), envId, envName), CancellationToken.None);

    public Task<ApiList> ListAsync(ApiListFilter filter) => Apis.ListAsync(Scope, filter, CancellationToken.None);
}
