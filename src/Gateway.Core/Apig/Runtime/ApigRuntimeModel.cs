using Gateway.Apig.Acls;
using Gateway.Apig.Apis;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.Apps;
using Gateway.Apig.Authorizers;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.GatewayResponses;
using Gateway.Apig.Groups;
using Gateway.Apig.Signatures;
using Gateway.Apig.Throttles;
using Gateway.Apig.Variables;
using Gateway.Apig.VpcChannels;
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

    /// <summary>Special throttles (3.9): per-APP or per-tenant limits inside a policy.</summary>
    public IReadOnlyList<SpecialThrottle> SpecialThrottles { get; init; } = [];

    /// <summary>Apps (credentials) with their keys and secrets (3.28).</summary>
    public IReadOnlyList<App> Apps { get; init; } = [];

    /// <summary>App codes (3.28.9) for simple authentication.</summary>
    public IReadOnlyList<AppCodeInfo> AppCodes { get; init; } = [];

    /// <summary>Apps' own IP access control (3.28.14).</summary>
    public IReadOnlyList<AppAcl> AppAcls { get; init; } = [];

    /// <summary>Which app may call which API in which environment (3.10).</summary>
    public IReadOnlyList<AppAuthorization> AppAuthorizations { get; init; } = [];

    /// <summary>ACL policies (3.13).</summary>
    public IReadOnlyList<AclPolicy> Acls { get; init; } = [];

    /// <summary>Which ACL applies to which API in which environment (3.14).</summary>
    public IReadOnlyList<AclBinding> AclBindings { get; init; } = [];

    /// <summary>Backend signature keys (3.6).</summary>
    public IReadOnlyList<SignatureKey> SignatureKeys { get; init; } = [];

    /// <summary>Which signature key signs the backend requests of which API in which environment (3.7).</summary>
    public IReadOnlyList<SignBinding> SignBindings { get; init; } = [];

    /// <summary>Custom authorizers (3.15).</summary>
    public IReadOnlyList<Authorizer> Authorizers { get; init; } = [];

    /// <summary>VPC channels (3.17) with their balancing strategy and health-check settings.</summary>
    public IReadOnlyList<VpcChannel> VpcChannels { get; init; } = [];

    /// <summary>Members of all VPC channels.</summary>
    public IReadOnlyList<VpcMember> VpcMembers { get; init; } = [];

    /// <summary>Member groups of all VPC channels.</summary>
    public IReadOnlyList<VpcMemberGroup> VpcMemberGroups { get; init; } = [];

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
            SpecialThrottles = await writer.ListAsync(ThrottleKeys.Specials(instanceId), ThrottleJsonContext.Default.SpecialThrottle, cancellationToken).ConfigureAwait(false),
            Apps = await writer.ListAsync(AppKeys.Apps(instanceId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false),
            AppCodes = await writer.ListAsync(AppKeys.AppCodes(instanceId), AppJsonContext.Default.AppCodeInfo, cancellationToken).ConfigureAwait(false),
            AppAcls = await writer.ListAsync(AppKeys.AppAcls(instanceId), AppJsonContext.Default.AppAcl, cancellationToken).ConfigureAwait(false),
            AppAuthorizations = await writer.ListAsync(AppAuthorizationKeys.Authorizations(instanceId), AppAuthorizationJsonContext.Default.AppAuthorization, cancellationToken).ConfigureAwait(false),
            Acls = await writer.ListAsync(AclKeys.Policies(instanceId), AclJsonContext.Default.AclPolicy, cancellationToken).ConfigureAwait(false),
            AclBindings = await writer.ListAsync(AclKeys.Bindings(instanceId), AclJsonContext.Default.AclBinding, cancellationToken).ConfigureAwait(false),
            SignatureKeys = await writer.ListAsync(SignatureStoreKeys.Signs(instanceId), SignatureJsonContext.Default.SignatureKey, cancellationToken).ConfigureAwait(false),
            SignBindings = await writer.ListAsync(SignatureStoreKeys.Bindings(instanceId), SignatureJsonContext.Default.SignBinding, cancellationToken).ConfigureAwait(false),
            Authorizers = await writer.ListAsync(AuthorizerKeys.Authorizers(instanceId), AuthorizerJsonContext.Default.Authorizer, cancellationToken).ConfigureAwait(false),
            VpcChannels = await writer.ListAsync(VpcChannelStoreKeys.Channels(instanceId), VpcChannelJsonContext.Default.VpcChannel, cancellationToken).ConfigureAwait(false),
            VpcMembers = await writer.ListAsync(VpcChannelStoreKeys.Members(instanceId), VpcChannelJsonContext.Default.VpcMember, cancellationToken).ConfigureAwait(false),
            VpcMemberGroups = await writer.ListAsync(VpcChannelStoreKeys.MemberGroups(instanceId), VpcChannelJsonContext.Default.VpcMemberGroup, cancellationToken).ConfigureAwait(false),
        };
    }
}
