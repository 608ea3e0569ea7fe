using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.GatewayResponses;
using Gateway.Apig.Groups;
using Gateway.Apig.Throttles;
using Gateway.Apig.Variables;
using Gateway.Store;

namespace Gateway.Apig.Runtime;

/// <summary>One API version effective in one environment: what the data plane serves.</summary>
internal sealed record RuntimeApi(Api Definition, ApigEnvironment Environment, string VersionId);

/// <summary>
/// The published state of one instance, read from the store at (about) one revision: groups with their hosts,
/// environments, variables per group and environment, and the effective API versions. The data plane compiles it into
/// its route tables; it never reads managers or the store itself.
/// </summary>
internal sealed record ApigRuntimeModel(
    long Revision,
    string InstanceId,
    IReadOnlyList<ApiGroup> Groups,
    IReadOnlyList<ApigEnvironment> Environments,
    IReadOnlyList<EnvironmentVariable> Variables,
    IReadOnlyList<RuntimeApi> Apis)
{
    /// <summary>Throttling policies of the instance (3.4).</summary>
    public IReadOnlyList<ThrottlePolicy> Throttles { get; init; } = [];

    /// <summary>Group gateway responses that were customized (3.19); groups without one use the documented defaults.</summary>
    public IReadOnlyList<GatewayResponseRecord> GatewayResponses { get; init; } = [];

    /// <summary>Which policy applies to which API in which environment (3.8).</summary>
    public IReadOnlyList<ThrottleBinding> ThrottleBindings { get; init; } = [];

    /// <summary>Reads the published state of <paramref name="instanceId"/>.</summary>
    public static async Task<ApigRuntimeModel> LoadAsync(IResourceStore store, string instanceId, CancellationToken cancellationToken)
    {
        var revision = store.Revision;
        var writer = new ResourceWriter(store);
        var groups = await writer.ListAsync(ApigKeys.Groups(instanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        var environments = await writer.ListAsync(ApigKeys.Environments(instanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        var variables = await writer.ListAsync(ApigKeys.Variables(instanceId), VariableJsonContext.Default.EnvironmentVariable, cancellationToken).ConfigureAwait(false);
        var publications = await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);

        var environmentsById = new Dictionary<string, ApigEnvironment>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            environmentsById[environment.Id] = environment;
        }

        var apis = new List<RuntimeApi>(publications.Count);
        foreach (var publication in publications)
        {
            if (!environmentsById.TryGetValue(publication.EnvId, out var environment))
            {
                continue;
            }

            var version = await writer.ReadAsync(ApigKeys.ApiVersion(instanceId, publication.VersionId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken).ConfigureAwait(false);
            if (version is not null)
            {
                apis.Add(new RuntimeApi(version.Definition, environment, version.VersionId));
            }
        }

        return new ApigRuntimeModel(revision, instanceId, groups, environments, variables, apis)
        {
            Throttles = await writer.ListAsync(ThrottleKeys.Policies(instanceId), ThrottleJsonContext.Default.ThrottlePolicy, cancellationToken).ConfigureAwait(false),
            GatewayResponses = await writer.ListAsync(GatewayResponseKeys.Responses(instanceId), GatewayResponseJsonContext.Default.GatewayResponseRecord, cancellationToken).ConfigureAwait(false),
            ThrottleBindings = await writer.ListAsync(ThrottleKeys.Bindings(instanceId), ThrottleJsonContext.Default.ThrottleBinding, cancellationToken).ConfigureAwait(false),
        };
    }
}
