using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Apis;

/// <summary>
/// 3.5 APIs: the editable ("temporary") definitions. Within a group, API names are unique and so is the combination of
/// req_method, req_uri and match_mode (compared literally). Publishing lives in ApiPublishing.cs.
/// </summary>
internal sealed partial class ApiManager(ResourceWriter writer, TimeProvider time, ApigOptions options)
{
    private static readonly string[] CheckTypes = ["path", "name"];
    private static readonly string[] CheckMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"];
    private static readonly string[] CheckMatchModes = ["SWA", "NORMAL"];
    private static readonly string[] ReturnDataModes = ["brief", "include_group", "include_group_backend"];

    public Task<Api> CreateAsync(ApigScope scope, ApiRequest request, CancellationToken cancellationToken)
    {
        var api = ApiValidator.Build(request, ApigClock.NewId(), ApigClock.Timestamp(time), previous: null);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var group = await RequireGroupAsync(scope, api.GroupId, cancellationToken).ConfigureAwait(false);
            EnsureUnique(await LoadApisAsync(scope, cancellationToken).ConfigureAwait(false), api);
            transaction.Put(ApigKeys.Api(scope.InstanceId, api.Id), ResourceWriter.Serialize(api, ApiJsonContext.Default.Api));
            return Present(api, group, [], []);
        }, cancellationToken);
    }

    /// <summary>Replaces the definition. Published versions are snapshots and stay as they are.</summary>
    public Task<Api> UpdateAsync(ApigScope scope, string apiId, ApiRequest request, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var existing = await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
            var api = ApiValidator.Build(request, apiId, ApigClock.Timestamp(time), existing);

            // Versions, publications and the group-delete guard all hang off the group: an API stays in its group.
            if (api.GroupId != existing.GroupId)
            {
                throw ApiErrors.Invalid("group_id", "An API cannot be moved to another group");
            }

            var group = await RequireGroupAsync(scope, api.GroupId, cancellationToken).ConfigureAwait(false);
            EnsureUnique(await LoadApisAsync(scope, cancellationToken).ConfigureAwait(false), api);
            transaction.Put(ApigKeys.Api(scope.InstanceId, api.Id), ResourceWriter.Serialize(api, ApiJsonContext.Default.Api));
            var publications = await LoadPublicationsAsync(scope, cancellationToken).ConfigureAwait(false);
            return Present(api, group, publications, await LoadEnvironmentsAsync(scope, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>Deletes an unpublished API together with its version history.</summary>
    public Task DeleteAsync(ApigScope scope, string apiId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
            foreach (var publication in await LoadPublicationsAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                if (publication.ApiId == apiId)
                {
                    throw ApiErrors.Published(apiId);
                }
            }

            transaction.Delete(ApigKeys.Api(scope.InstanceId, apiId));
            foreach (var entry in await writer.Store.ListAsync(ApigKeys.ApiVersions(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(entry.Value.Span, "api_id"u8) == apiId)
                {
                    transaction.Delete(entry.Key);
                }
            }

            await writer.DeleteOwnedAsync(transaction, scope.InstanceId, ApigOwner.Api, apiId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<Api> GetAsync(ApigScope scope, string apiId, CancellationToken cancellationToken)
    {
        var api = await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
        var group = await ReadGroupAsync(scope, api.GroupId, cancellationToken).ConfigureAwait(false);
        var publications = await LoadPublicationsAsync(scope, cancellationToken).ConfigureAwait(false);
        return Present(api, group, publications, await LoadEnvironmentsAsync(scope, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>3.5.6. List items leave out func_info, mock_info, backend_params and the policy backends.</summary>
    public async Task<ApiList> ListAsync(ApigScope scope, ApiListFilter filter, CancellationToken cancellationToken)
    {
        var (includeGroup, includeBackend) = ParseReturnDataMode(filter.ReturnDataMode);
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var apis = await LoadApisAsync(scope, cancellationToken).ConfigureAwait(false);
        var publications = await LoadPublicationsAsync(scope, cancellationToken).ConfigureAwait(false);
        var environments = await LoadEnvironmentsAsync(scope, cancellationToken).ConfigureAwait(false);
        var groups = await LoadGroupsAsync(scope, cancellationToken).ConfigureAwait(false);
        var preciseName = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var preciseUri = NameFilter.IsPrecise(filter.PreciseSearch, "req_uri");
        var matching = new List<Api>();
        foreach (var api in apis)
        {
            if (Matches(filter.Id, api.Id) &&
                NameFilter.Matches(api.Name, filter.Name, preciseName) &&
                Matches(filter.GroupId, api.GroupId) &&
                Matches(filter.ReqProtocol, api.ReqProtocol) &&
                Matches(filter.ReqMethod, api.ReqMethod) &&
                NameFilter.Matches(api.ReqUri, filter.ReqUri, preciseUri) &&
                Matches(filter.AuthType, api.AuthType) &&
                (filter.Type is null || filter.Type == api.Type) &&
                (string.IsNullOrEmpty(filter.EnvId) || publications.Exists(p => p.ApiId == api.Id && p.EnvId == filter.EnvId)) &&
                MatchesVpcChannelName(filter.VpcChannelName))
            {
                matching.Add(api);
            }
        }

        var page = filter.Page.Apply(matching);
        var items = new List<Api>(page.Items.Count);
        foreach (var api in page.Items)
        {
            var group = groups.GetValueOrDefault(api.GroupId);
            items.Add(Present(api, group, publications, environments) with
            {
                ApiGroupInfo = includeGroup && group is not null ? ApiGroupCommonInfo.From(group) : null,
                BackendApi = includeBackend ? api.BackendApi : null,
                FuncInfo = null,
                MockInfo = null,
                BackendParams = null,
                PolicyFunctions = null,
                PolicyMocks = null,
                PolicyHttps = null,
            });
        }

        return new ApiList(page.Size, page.Total, items);
    }

    /// <summary>3.5.7: succeeds when the name, or the method + path + match mode, is free (in the group, if given).</summary>
    public async Task CheckAsync(ApigScope scope, ApiCheckRequest request, CancellationToken cancellationToken)
    {
        var type = Check.OneOf(request.Type, "type", CheckTypes);
        var groupId = ApiValidator.OptionalId(request.GroupId, "group_id");
        var apiId = ApiValidator.OptionalId(request.ApiId, "api_id");
        string? name = null, method = null, uri = null, matchMode = null;
        if (type == "name")
        {
            name = Check.Text(request.Name, "name", 3, 255, ApigPatterns.GroupOrApiName());
        }
        else
        {
            method = Check.OneOf(request.ReqMethod, "req_method", CheckMethods);
            uri = Check.Required(request.ReqUri, "req_uri");
            Check.MaxLength(uri, "req_uri", ApiPaths.MaxLength);
            _ = ApiPaths.ParseTemplate(uri, allowVariables: false) ?? throw ApigErrors.Invalid("req_uri");
            matchMode = Check.OneOf(request.MatchMode, "match_mode", CheckMatchModes);
        }

        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        if (groupId is not null)
        {
            await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var api in await LoadApisAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (api.Id == apiId || (groupId is not null && api.GroupId != groupId))
            {
                continue;
            }

            if (name is not null && string.Equals(api.Name, name, StringComparison.Ordinal))
            {
                throw ApiErrors.NameExists(name);
            }

            if (method is not null && api.ReqMethod == method && api.ReqUri == uri && api.MatchMode == matchMode)
            {
                throw ApiErrors.DefinitionExists(api.Name);
            }
        }
    }

    private static void EnsureUnique(List<Api> apis, Api candidate)
    {
        foreach (var api in apis)
        {
            if (api.Id == candidate.Id || api.GroupId != candidate.GroupId)
            {
                continue;
            }

            if (string.Equals(api.Name, candidate.Name, StringComparison.Ordinal))
            {
                throw ApiErrors.NameExists(candidate.Name);
            }

            if (api.ReqMethod == candidate.ReqMethod && api.ReqUri == candidate.ReqUri && api.MatchMode == candidate.MatchMode)
            {
                throw ApiErrors.DefinitionExists(api.Name);
            }
        }
    }

    /// <summary>Adds the read-time members: the group and the environments the API is published in, "|"-joined.</summary>
    private static Api Present(Api api, ApiGroup? group, List<ApiPublication> publications, List<ApigEnvironment> environments)
    {
        var envIds = new List<string>();
        var envNames = new List<string>();
        var publishIds = new List<string>();
        var publishTimes = new List<string>();
        foreach (var environment in environments)
        {
            var publication = publications.Find(p => p.ApiId == api.Id && p.EnvId == environment.Id);
            if (publication is not null)
            {
                envIds.Add(environment.Id);
                envNames.Add(environment.Name);
                publishIds.Add(publication.PublishId);
                publishTimes.Add(publication.PublishTime);
            }
        }

        var published = envIds.Count > 0;
        return api with
        {
            GroupName = group?.Name,
            GroupVersion = group?.Version,
            RunEnvId = published ? string.Join('|', envIds) : null,
            RunEnvName = published ? string.Join('|', envNames) : null,
            PublishId = published ? string.Join('|', publishIds) : null,
            PublishTime = published ? string.Join('|', publishTimes) : null,
        };
    }

    private static (bool IncludeGroup, bool IncludeBackend) ParseReturnDataMode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (false, false);
        }

        bool includeGroup = false, includeBackend = false;
        foreach (var mode in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            Check.OneOf(mode, "return_data_mode", ReturnDataModes);
            includeGroup |= mode is "include_group" or "include_group_backend";
            includeBackend |= mode == "include_group_backend";
        }

        return (includeGroup, includeBackend);
    }

    private static bool Matches(string? filter, string actual) => string.IsNullOrEmpty(filter) || filter == actual;

    // VPC channels are not modelled yet, so no API is bound to a channel of any name.
    private static bool MatchesVpcChannelName(string? filter) => string.IsNullOrEmpty(filter);

    private async Task<Api> GetStoredAsync(ApigScope scope, string apiId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Api(scope.InstanceId, apiId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.ApiNotFound(apiId);
    }

    private Task<ApiGroup?> ReadGroupAsync(ApigScope scope, string groupId, CancellationToken cancellationToken) =>
        writer.ReadAsync(ApigKeys.Group(scope.InstanceId, groupId), GroupJsonContext.Default.ApiGroup, cancellationToken);

    private async Task<ApiGroup> RequireGroupAsync(ApigScope scope, string groupId, CancellationToken cancellationToken) =>
        await ReadGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false) ?? throw ApigErrors.GroupNotFound(groupId);

    private async Task<Dictionary<string, ApiGroup>> LoadGroupsAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var groups = await writer.ListAsync(ApigKeys.Groups(scope.InstanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        var byId = new Dictionary<string, ApiGroup>(groups.Count, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            byId[group.Id] = group;
        }

        return byId;
    }

    /// <summary>All APIs of the instance, oldest first (the order lists are shown in).</summary>
    private async Task<List<Api>> LoadApisAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var apis = await writer.ListAsync(ApigKeys.Apis(scope.InstanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false);
        apis.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.RegisterTime, b.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return apis;
    }

    private Task<List<ApiPublication>> LoadPublicationsAsync(ApigScope scope, CancellationToken cancellationToken) =>
        writer.ListAsync(ApigKeys.Publications(scope.InstanceId), ApiJsonContext.Default.ApiPublication, cancellationToken);

    /// <summary>All environments, RELEASE first and then by creation, as the environment list shows them.</summary>
    private async Task<List<ApigEnvironment>> LoadEnvironmentsAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var environments = await writer.ListAsync(ApigKeys.Environments(scope.InstanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
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
}
