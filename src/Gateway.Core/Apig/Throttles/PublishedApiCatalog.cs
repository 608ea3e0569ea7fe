using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;

namespace Gateway.Apig.Throttles;

/// <summary>
/// The APIs, groups, environments and publications of an instance, read once for a policy binding operation (throttle
/// and ACL bindings both attach to an API in an environment through its publication record).
/// </summary>
internal sealed class PublishedApiCatalog
{
    private readonly Dictionary<string, Api> _apis;
    private readonly Dictionary<string, ApiGroup> _groups;
    private readonly Dictionary<string, ApigEnvironment> _environments;
    private readonly Dictionary<string, ApiPublication> _byPublishId;
    private readonly Dictionary<(string ApiId, string EnvId), ApiPublication> _byApiAndEnvironment;

    private PublishedApiCatalog(List<Api> apis, List<ApiGroup> groups, List<ApigEnvironment> environments, List<ApiPublication> publications)
    {
        Apis = apis;
        Environments = environments;
        _apis = apis.ToDictionary(api => api.Id, StringComparer.Ordinal);
        _groups = groups.ToDictionary(group => group.Id, StringComparer.Ordinal);
        _environments = environments.ToDictionary(environment => environment.Id, StringComparer.Ordinal);
        _byPublishId = new Dictionary<string, ApiPublication>(publications.Count, StringComparer.Ordinal);
        _byApiAndEnvironment = new Dictionary<(string, string), ApiPublication>(publications.Count);
        foreach (var publication in publications)
        {
            _byPublishId[publication.PublishId] = publication;
            _byApiAndEnvironment[(publication.ApiId, publication.EnvId)] = publication;
        }
    }

    /// <summary>All APIs, oldest first.</summary>
    public IReadOnlyList<Api> Apis { get; }

    /// <summary>All environments, RELEASE first and then by creation.</summary>
    public IReadOnlyList<ApigEnvironment> Environments { get; }

    public static async Task<PublishedApiCatalog> LoadAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var apis = await writer.ListAsync(ApigKeys.Apis(instanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false);
        apis.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.RegisterTime, b.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        var groups = await writer.ListAsync(ApigKeys.Groups(instanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        var environments = await LoadEnvironmentsAsync(writer, instanceId, cancellationToken).ConfigureAwait(false);
        var publications = await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
        return new PublishedApiCatalog(apis, groups, environments, publications);
    }

    /// <summary>The environments of an instance, RELEASE first and then by creation (the order environment lists use).</summary>
    public static async Task<List<ApigEnvironment>> LoadEnvironmentsAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var environments = await writer.ListAsync(ApigKeys.Environments(instanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        environments.Sort(static (a, b) =>
        {
            var aIsRelease = a.Id == EnvironmentManager.ReleaseId;
            var bIsRelease = b.Id == EnvironmentManager.ReleaseId;
            if (aIsRelease != bIsRelease)
            {
                return aIsRelease ? -1 : 1;
            }

            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return environments;
    }

    public Api? FindApi(string apiId) => _apis.GetValueOrDefault(apiId);

    public ApiGroup? FindGroup(string groupId) => _groups.GetValueOrDefault(groupId);

    public ApigEnvironment? FindEnvironment(string envId) => _environments.GetValueOrDefault(envId);

    public ApiPublication? FindPublication(string publishId) => _byPublishId.GetValueOrDefault(publishId);

    /// <summary>The current publication of an API in an environment, if it is published there.</summary>
    public ApiPublication? FindPublication(string apiId, string envId) => _byApiAndEnvironment.GetValueOrDefault((apiId, envId));

    /// <summary>Every (API, environment) publication, APIs oldest first and environments in list order.</summary>
    public IEnumerable<(Api Api, ApigEnvironment Environment, ApiPublication Publication)> Published()
    {
        foreach (var api in Apis)
        {
            foreach (var environment in Environments)
            {
                if (_byApiAndEnvironment.TryGetValue((api.Id, environment.Id), out var publication))
                {
                    yield return (api, environment, publication);
                }
            }
        }
    }
}
