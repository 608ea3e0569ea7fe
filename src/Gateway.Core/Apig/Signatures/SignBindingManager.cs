using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Signatures;

/// <summary>
/// 3.7 signature-key bindings. A key is bound to publications (an API published in one environment); an API has at
/// most one key per environment. A binding is in force while its publication lasts: once the API is taken offline
/// there the binding is ignored everywhere (and removed by the next bind), so republishing starts unbound. Bindings go
/// with their key, API or environment.
/// </summary>
internal sealed class SignBindingManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>
    /// 3.7.1: binds the key to every named publication, all or nothing. Binding a publication to the key it already has
    /// is not an error and returns the existing binding; a publication bound to another key is refused.
    /// </summary>
    public Task<SignBindResult> BindToPublicationsAsync(ApigScope scope, BindSignRequest request, CancellationToken cancellationToken)
    {
        var signId = RequiredId(request.SignId, "sign_id");
        if (request.PublishIds is not { Count: > 0 } named)
        {
            throw ApigErrors.Missing("publish_ids");
        }

        var publishIds = new List<string>(named.Count);
        foreach (var id in named)
        {
            var publishId = RequiredId(id, "publish_ids");
            if (!publishIds.Contains(publishId, StringComparer.Ordinal))
            {
                publishIds.Add(publishId);
            }
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var state = await LoadStateAsync(scope, cancellationToken).ConfigureAwait(false);
            _ = state.Keys.GetValueOrDefault(signId) ?? throw SignatureErrors.KeyNotFound(signId);
            var timestamp = ApigClock.Timestamp(time);
            var results = new List<SignBindingInfo>(publishIds.Count);
            foreach (var publishId in publishIds)
            {
                var publication = state.Publications.Find(p => p.PublishId == publishId) ?? throw SignatureErrors.PublicationNotFound(publishId);
                var existing = state.Bindings.Find(b => b.ApiId == publication.ApiId && b.EnvId == publication.EnvId);
                if (existing is not null)
                {
                    if (existing.SignId != signId)
                    {
                        throw SignatureErrors.AlreadyBound(publishId, state.Keys.GetValueOrDefault(existing.SignId)?.Name ?? existing.SignId);
                    }

                    results.Add(state.Present(existing, includeKey: true));
                    continue;
                }

                var binding = new SignBinding
                {
                    Id = ApigClock.NewId(),
                    PublishId = publishId,
                    ApiId = publication.ApiId,
                    EnvId = publication.EnvId,
                    SignId = signId,
                    BindingTime = timestamp,
                };
                transaction.Put(SignatureStoreKeys.Binding(scope.InstanceId, binding.Id), ResourceWriter.Serialize(binding, SignatureJsonContext.Default.SignBinding));
                state.Bindings.Add(binding);
                results.Add(state.Present(binding, includeKey: true));
            }

            foreach (var stale in state.StaleBindingIds)
            {
                transaction.Delete(SignatureStoreKeys.Binding(scope.InstanceId, stale));
            }

            return new SignBindResult(results);
        }, cancellationToken);
    }

    /// <summary>3.7.2.</summary>
    public Task UnbindAsync(ApigScope scope, string bindingId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var key = SignatureStoreKeys.Binding(scope.InstanceId, bindingId);
            _ = await writer.Store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw SignatureErrors.BindingNotFound(bindingId);
            transaction.Delete(key);
            return true;
        }, cancellationToken);

    /// <summary>3.7.3: the keys bound to one API, one per environment at most.</summary>
    public async Task<SignBindingList> ListBoundSignsAsync(ApigScope scope, BoundSignFilter filter, CancellationToken cancellationToken)
    {
        var apiId = RequiredId(filter.ApiId, "api_id");
        Check.Id(filter.SignId, "sign_id");
        Check.Id(filter.EnvId, "env_id");
        var state = await LoadStateAsync(scope, cancellationToken).ConfigureAwait(false);
        _ = state.Apis.GetValueOrDefault(apiId) ?? throw ApigErrors.ApiNotFound(apiId);
        var matching = new List<SignBindingInfo>();
        foreach (var binding in state.Bindings)
        {
            if (binding.ApiId == apiId &&
                Matches(filter.SignId, binding.SignId) &&
                Matches(filter.EnvId, binding.EnvId) &&
                NameFilter.Matches(state.Keys.GetValueOrDefault(binding.SignId)?.Name, filter.SignName, precise: false))
            {
                matching.Add(state.Present(binding, includeKey: true));
            }
        }

        var page = filter.Page.Apply(matching);
        return new SignBindingList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.7.4: published APIs (one item per environment) not bound to the key.</summary>
    public async Task<ApiForSignList> ListUnboundApisAsync(ApigScope scope, SignApiFilter filter, CancellationToken cancellationToken)
    {
        var signId = CheckApiFilter(filter);
        var state = await LoadStateAsync(scope, cancellationToken).ConfigureAwait(false);
        _ = state.Keys.GetValueOrDefault(signId) ?? throw SignatureErrors.KeyNotFound(signId);
        var matching = new List<ApiForSign>();
        foreach (var publication in state.Publications)
        {
            var api = state.Apis.GetValueOrDefault(publication.ApiId);
            if (api is null || !MatchesApi(filter, api, publication.EnvId))
            {
                continue;
            }

            var bound = state.Bindings.Find(b => b.ApiId == publication.ApiId && b.EnvId == publication.EnvId);
            if (bound?.SignId == signId)
            {
                continue;
            }

            matching.Add(new ApiForSign
            {
                Id = api.Id,
                Name = api.Name,
                Type = api.Type,
                Remark = api.Remark,
                GroupId = api.GroupId,
                GroupName = state.Groups.GetValueOrDefault(api.GroupId)?.Name,
                RunEnvId = publication.EnvId,
                RunEnvName = state.Environments.GetValueOrDefault(publication.EnvId)?.Name,
                PublishId = publication.PublishId,
                ReqUri = api.ReqUri,
                ReqMethod = api.ReqMethod,
                AuthType = api.AuthType,
                SignatureName = bound is null ? null : state.Keys.GetValueOrDefault(bound.SignId)?.Name,
            });
        }

        var page = filter.Page.Apply(matching);
        return new ApiForSignList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.7.5: the APIs (publications) bound to the key, without the key's material.</summary>
    public async Task<SignBindingList> ListBoundApisAsync(ApigScope scope, SignApiFilter filter, CancellationToken cancellationToken)
    {
        var signId = CheckApiFilter(filter);
        var state = await LoadStateAsync(scope, cancellationToken).ConfigureAwait(false);
        _ = state.Keys.GetValueOrDefault(signId) ?? throw SignatureErrors.KeyNotFound(signId);
        var matching = new List<SignBindingInfo>();
        foreach (var binding in state.Bindings)
        {
            var api = state.Apis.GetValueOrDefault(binding.ApiId);
            if (binding.SignId == signId && api is not null && MatchesApi(filter, api, binding.EnvId))
            {
                matching.Add(state.Present(binding, includeKey: false));
            }
        }

        var page = filter.Page.Apply(matching);
        return new SignBindingList(page.Size, page.Total, page.Items);
    }

    /// <summary>The bindings in force: those whose publication still exists. The data plane reads bindings the same way.</summary>
    public static async Task<List<SignBinding>> LoadEffectiveBindingsAsync(ResourceWriter writer, string instanceId, CancellationToken cancellationToken)
    {
        var publications = await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
        var bindings = await writer.ListAsync(SignatureStoreKeys.Bindings(instanceId), SignatureJsonContext.Default.SignBinding, cancellationToken).ConfigureAwait(false);
        return bindings.FindAll(binding => IsEffective(binding, publications));
    }

    private static bool IsEffective(SignBinding binding, List<ApiPublication> publications) =>
        publications.Exists(p => p.ApiId == binding.ApiId && p.EnvId == binding.EnvId && p.PublishId == binding.PublishId);

    private static string CheckApiFilter(SignApiFilter filter)
    {
        var signId = RequiredId(filter.SignId, "sign_id");
        Check.Id(filter.EnvId, "env_id");
        Check.Id(filter.ApiId, "api_id");
        Check.Id(filter.GroupId, "group_id");
        Check.MaxLength(filter.ApiName, "api_name", 255);
        return signId;
    }

    private static bool MatchesApi(SignApiFilter filter, Api api, string envId) =>
        Matches(filter.EnvId, envId) &&
        Matches(filter.ApiId, api.Id) &&
        Matches(filter.GroupId, api.GroupId) &&
        NameFilter.Matches(api.Name, filter.ApiName, precise: false);

    private static bool Matches(string? filter, string actual) => string.IsNullOrEmpty(filter) || filter == actual;

    private static string RequiredId(string? value, string parameter)
    {
        var id = Check.Required(value, parameter);
        Check.Id(id, parameter);
        return id;
    }

    private async Task<SignState> LoadStateAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var instanceId = scope.InstanceId;
        var apis = await writer.ListAsync(ApigKeys.Apis(instanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false);
        var groups = await writer.ListAsync(ApigKeys.Groups(instanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        var environments = await writer.ListAsync(ApigKeys.Environments(instanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        var publications = await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
        var keys = await writer.ListAsync(SignatureStoreKeys.Signs(instanceId), SignatureJsonContext.Default.SignatureKey, cancellationToken).ConfigureAwait(false);
        var bindings = await writer.ListAsync(SignatureStoreKeys.Bindings(instanceId), SignatureJsonContext.Default.SignBinding, cancellationToken).ConfigureAwait(false);

        var apisById = apis.ToDictionary(api => api.Id, StringComparer.Ordinal);
        var environmentsById = environments.ToDictionary(environment => environment.Id, StringComparer.Ordinal);

        // Lists show APIs oldest first and, per API, RELEASE first and then environments by creation.
        publications.Sort((a, b) =>
        {
            var byApi = CompareApis(apisById.GetValueOrDefault(a.ApiId), apisById.GetValueOrDefault(b.ApiId));
            return byApi != 0 ? byApi : CompareEnvironments(environmentsById.GetValueOrDefault(a.EnvId), environmentsById.GetValueOrDefault(b.EnvId));
        });
        var effective = new List<SignBinding>(bindings.Count);
        var stale = new List<string>();
        foreach (var binding in bindings)
        {
            if (IsEffective(binding, publications))
            {
                effective.Add(binding);
            }
            else
            {
                stale.Add(binding.Id);
            }
        }

        effective.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.BindingTime, b.BindingTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new SignState(
            apisById,
            groups.ToDictionary(group => group.Id, StringComparer.Ordinal),
            environmentsById,
            publications,
            keys.ToDictionary(key => key.Id, StringComparer.Ordinal),
            effective,
            stale);
    }

    private static int CompareApis(Api? a, Api? b)
    {
        if (a is null || b is null)
        {
            return (a is null).CompareTo(b is null);
        }

        var byTime = string.CompareOrdinal(a.RegisterTime, b.RegisterTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    private static int CompareEnvironments(ApigEnvironment? a, ApigEnvironment? b)
    {
        if (a is null || b is null)
        {
            return (a is null).CompareTo(b is null);
        }

        var aIsRelease = a.Id == EnvironmentManager.ReleaseId;
        var bIsRelease = b.Id == EnvironmentManager.ReleaseId;
        if (aIsRelease != bIsRelease)
        {
            return aIsRelease ? -1 : 1;
        }

        var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>Everything the binding operations read, loaded once per call.</summary>
    private sealed record SignState(
        Dictionary<string, Api> Apis,
        Dictionary<string, ApiGroup> Groups,
        Dictionary<string, ApigEnvironment> Environments,
        List<ApiPublication> Publications,
        Dictionary<string, SignatureKey> Keys,
        List<SignBinding> Bindings,
        List<string> StaleBindingIds)
    {
        /// <summary>SignApiBindingInfo, or SignApiBindingBase without the key's material.</summary>
        public SignBindingInfo Present(SignBinding binding, bool includeKey)
        {
            var api = Apis.GetValueOrDefault(binding.ApiId);
            var key = Keys.GetValueOrDefault(binding.SignId);
            return new SignBindingInfo
            {
                PublishId = binding.PublishId,
                ApiId = binding.ApiId,
                GroupName = api is null ? null : Groups.GetValueOrDefault(api.GroupId)?.Name,
                BindingTime = binding.BindingTime,
                EnvId = binding.EnvId,
                EnvName = Environments.GetValueOrDefault(binding.EnvId)?.Name,
                ApiType = api?.Type ?? 1,
                ApiName = api?.Name,
                Id = binding.Id,
                ApiRemark = api?.Remark,
                SignId = binding.SignId,
                SignName = key?.Name,
                ReqMethod = api?.ReqMethod,
                SignKey = includeKey ? key?.SignKey : null,
                SignSecret = includeKey ? key?.SignSecret : null,
                SignType = includeKey ? key?.SignType : null,
            };
        }
    }
}
