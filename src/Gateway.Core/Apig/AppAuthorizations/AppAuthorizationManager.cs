using Gateway.Apig.Apis;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.AppAuthorizations;

/// <summary>
/// 3.10 APP authorization: an APP may call an API in an environment once the API is authorized to it there. One record
/// per (API, APP, environment); records go with their API, their environment (owned collections) and their APP.
/// </summary>
internal sealed class AppAuthorizationManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>The most APP ids, and the most API ids, one 3.10.1 call may name (not documented; the pagination maximum).</summary>
    public const int MaxIdsPerCall = 500;

    /// <summary>
    /// 3.10.1: authorizes every named API to every named APP in the environment. Every APP, API and the environment
    /// must exist. Pairs that are already authorized are reported as SKIPPED with APIG.3316; when no pair is new the
    /// whole call fails with APIG.3316.
    /// </summary>
    public Task<AppAuthorizationResult> AuthorizeAsync(ApigScope scope, AppAuthorizationRequest request, CancellationToken cancellationToken)
    {
        var envId = RequiredId(request.EnvId, "env_id");
        var appIds = RequiredIds(request.AppIds, "app_ids");
        var apiIds = RequiredIds(request.ApiIds, "api_ids");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            await RequireEnvironmentAsync(scope, envId, cancellationToken).ConfigureAwait(false);
            var apps = new List<App>(appIds.Count);
            foreach (var appId in appIds)
            {
                apps.Add(await writer.ReadAsync(AppKeys.App(scope.InstanceId, appId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false)
                    ?? throw AppErrors.AppNotFound(appId));
            }

            var apis = new List<Api>(apiIds.Count);
            foreach (var apiId in apiIds)
            {
                apis.Add(await writer.ReadAsync(ApigKeys.Api(scope.InstanceId, apiId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false)
                    ?? throw ApigErrors.ApiNotFound(apiId));
            }

            var existing = await LoadAuthorizationsAsync(scope, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            var result = new AppAuthorizationResult([]);
            ApiErrorException? firstDuplicate = null;
            foreach (var api in apis)
            {
                foreach (var app in apps)
                {
                    var found = existing.Find(auth => auth.ApiId == api.Id && auth.AppId == app.Id && auth.EnvId == envId);
                    if (found is not null)
                    {
                        var duplicate = AppAuthorizationErrors.Exists(api.Id, app.Id, envId);
                        firstDuplicate ??= duplicate;
                        result.Auths.Add(Relation(found, new AuthResult
                        {
                            Status = AuthResult.Skipped,
                            ErrorCode = duplicate.ErrorCode,
                            ErrorMsg = duplicate.Message,
                            ApiName = api.Name,
                            AppName = app.Name,
                        }));
                        continue;
                    }

                    var authorization = new AppAuthorization { Id = ApigClock.NewId(), ApiId = api.Id, EnvId = envId, AppId = app.Id, AuthTime = timestamp };
                    transaction.Put(
                        AppAuthorizationKeys.Authorization(scope.InstanceId, authorization.Id),
                        ResourceWriter.Serialize(authorization, AppAuthorizationJsonContext.Default.AppAuthorization));
                    result.Auths.Add(Relation(authorization, new AuthResult { Status = AuthResult.Success }));
                }
            }

            if (transaction.IsEmpty && firstDuplicate is not null)
            {
                throw firstDuplicate;
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>3.10.2.</summary>
    public Task RevokeAsync(ApigScope scope, string authId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var key = AppAuthorizationKeys.Authorization(scope.InstanceId, authId);
            if (await writer.Store.GetAsync(key, cancellationToken).ConfigureAwait(false) is null)
            {
                throw AppAuthorizationErrors.NotFound(authId);
            }

            transaction.Delete(key);
            return true;
        }, cancellationToken);

    /// <summary>3.10.3: the APIs authorized to an APP (optionally in one environment).</summary>
    public async Task<ApiAuthInfoList> ListAuthorizedApisAsync(ApigScope scope, AuthorizedApiFilter filter, CancellationToken cancellationToken)
    {
        var appId = RequiredId(filter.AppId, "app_id");
        var app = await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        var context = await LoadContextAsync(scope, cancellationToken).ConfigureAwait(false);
        var matching = new List<ApiAuthInfo>();
        foreach (var auth in context.Authorizations)
        {
            if (auth.AppId != appId || !Matches(filter.EnvId, auth.EnvId) || !context.Apis.TryGetValue(auth.ApiId, out var api))
            {
                continue;
            }

            var group = context.Groups.GetValueOrDefault(api.GroupId);
            if (Matches(filter.ApiId, api.Id) &&
                NameFilter.Matches(api.Name, filter.ApiName, precise: false) &&
                Matches(filter.GroupId, api.GroupId) &&
                NameFilter.Matches(group?.Name, filter.GroupName, precise: false))
            {
                matching.Add(Info(auth, api, group, app, context));
            }
        }

        var page = filter.Page.Apply(matching);
        return new ApiAuthInfoList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.10.4: the APIs published in the environment that are not authorized to the APP there.</summary>
    public async Task<ApiOutlineList> ListUnauthorizedApisAsync(ApigScope scope, UnauthorizedApiFilter filter, CancellationToken cancellationToken)
    {
        var appId = RequiredId(filter.AppId, "app_id");
        var envId = RequiredId(filter.EnvId, "env_id");
        await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        var environment = await RequireEnvironmentAsync(scope, envId, cancellationToken).ConfigureAwait(false);
        var context = await LoadContextAsync(scope, cancellationToken).ConfigureAwait(false);
        var authorized = new HashSet<string>(StringComparer.Ordinal);
        foreach (var auth in context.Authorizations)
        {
            if (auth.AppId == appId && auth.EnvId == envId)
            {
                authorized.Add(auth.ApiId);
            }
        }

        var apis = new List<Api>(context.Apis.Values);
        apis.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.RegisterTime, b.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        var matching = new List<ApiOutline>();
        foreach (var api in apis)
        {
            if (authorized.Contains(api.Id) ||
                !context.Publications.TryGetValue((api.Id, envId), out var publication) ||
                !Matches(filter.GroupId, api.GroupId) ||
                !Matches(filter.ApiId, api.Id) ||
                !NameFilter.Matches(api.Name, filter.ApiName, precise: false))
            {
                continue;
            }

            matching.Add(new ApiOutline
            {
                Id = api.Id,
                Name = api.Name,
                Remark = api.Remark,
                ReqUri = api.ReqUri,
                AuthType = api.AuthType,
                GroupId = api.GroupId,
                GroupName = context.Groups.GetValueOrDefault(api.GroupId)?.Name,
                PublishId = publication.PublishId,
                RunEnvId = envId,
                RunEnvName = environment.Name,
            });
        }

        var page = filter.Page.Apply(matching);
        return new ApiOutlineList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.10.5: the APPs an API is authorized to (every filter optional; a named API must exist).</summary>
    public async Task<ApiAuthInfoList> ListAuthorizedAppsAsync(ApigScope scope, AuthorizedAppFilter filter, CancellationToken cancellationToken)
    {
        OptionalId(filter.ApiId, "api_id");
        OptionalId(filter.AppId, "app_id");
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var context = await LoadContextAsync(scope, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(filter.ApiId) && !context.Apis.ContainsKey(filter.ApiId))
        {
            throw ApigErrors.ApiNotFound(filter.ApiId);
        }

        var apps = await writer.ListAsync(AppKeys.Apps(scope.InstanceId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false);
        var appsById = apps.ToDictionary(app => app.Id, StringComparer.Ordinal);
        var matching = new List<ApiAuthInfo>();
        foreach (var auth in context.Authorizations)
        {
            if (!Matches(filter.ApiId, auth.ApiId) ||
                !Matches(filter.AppId, auth.AppId) ||
                !Matches(filter.EnvId, auth.EnvId) ||
                !context.Apis.TryGetValue(auth.ApiId, out var api) ||
                !appsById.TryGetValue(auth.AppId, out var app) ||
                !NameFilter.Matches(app.Name, filter.AppName, precise: false))
            {
                continue;
            }

            matching.Add(Info(auth, api, context.Groups.GetValueOrDefault(api.GroupId), app, context));
        }

        var page = filter.Page.Apply(matching);
        return new ApiAuthInfoList(page.Size, page.Total, page.Items);
    }

    private static ApiAuthRelation Relation(AppAuthorization auth, AuthResult result) => new()
    {
        Id = auth.Id,
        ApiId = auth.ApiId,
        AppId = auth.AppId,
        AuthTime = auth.AuthTime,
        AuthRole = auth.AuthRole,
        AuthTunnel = auth.AuthTunnel,
        AuthResult = result,
    };

    private static ApiAuthInfo Info(AppAuthorization auth, Api api, ApiGroup? group, App app, ReadContext context) => new()
    {
        Id = auth.Id,
        ApiId = api.Id,
        ApiName = api.Name,
        GroupId = api.GroupId,
        GroupName = group?.Name,
        ApiType = api.Type,
        ApiRemark = api.Remark,
        EnvId = auth.EnvId,
        EnvName = context.Environments.GetValueOrDefault(auth.EnvId)?.Name,
        AuthRole = auth.AuthRole,
        AuthTime = auth.AuthTime,
        AppId = app.Id,
        AppName = app.Name,
        AppRemark = app.Remark,
        AppType = app.AppType,
        AppCreator = app.Creator,
        PublishId = context.Publications.GetValueOrDefault((api.Id, auth.EnvId))?.PublishId,
        AuthTunnel = auth.AuthTunnel,
        RomaAppType = app.RomaAppType,
    };

    private static string RequiredId(string? value, string parameter)
    {
        var id = Check.Required(value, parameter);
        Check.Id(id, parameter);
        return id;
    }

    /// <summary>An optional id filter: empty means absent.</summary>
    private static void OptionalId(string? value, string parameter)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Check.Id(value, parameter);
        }
    }

    /// <summary>A mandatory, non-empty list of ids; repeats count once.</summary>
    private static List<string> RequiredIds(List<string?>? values, string parameter)
    {
        if (values is not { Count: > 0 })
        {
            throw ApigErrors.Missing(parameter);
        }

        if (values.Count > MaxIdsPerCall)
        {
            throw ApigErrors.TooLarge(parameter);
        }

        var ids = new List<string>(values.Count);
        foreach (var value in values)
        {
            var id = RequiredId(value, parameter);
            if (!ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static bool Matches(string? filter, string actual) => string.IsNullOrEmpty(filter) || filter == actual;

    private async Task<ApigEnvironment> RequireEnvironmentAsync(ApigScope scope, string envId, CancellationToken cancellationToken) =>
        await writer.ReadAsync(ApigKeys.Environment(scope.InstanceId, envId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false)
        ?? throw ApigErrors.EnvironmentNotFound(envId);

    /// <summary>
    /// The authorizations of the instance, oldest first. Those of one call share their time; they are ordered by API,
    /// APP and environment id so that pages stay stable.
    /// </summary>
    private async Task<List<AppAuthorization>> LoadAuthorizationsAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var authorizations = await writer.ListAsync(AppAuthorizationKeys.Authorizations(scope.InstanceId), AppAuthorizationJsonContext.Default.AppAuthorization, cancellationToken).ConfigureAwait(false);
        authorizations.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.AuthTime, b.AuthTime);
            order = order != 0 ? order : string.CompareOrdinal(a.ApiId, b.ApiId);
            order = order != 0 ? order : string.CompareOrdinal(a.AppId, b.AppId);
            return order != 0 ? order : string.CompareOrdinal(a.EnvId, b.EnvId);
        });
        return authorizations;
    }

    private async Task<ReadContext> LoadContextAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var authorizations = await LoadAuthorizationsAsync(scope, cancellationToken).ConfigureAwait(false);
        var apis = await writer.ListAsync(ApigKeys.Apis(scope.InstanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false);
        var groups = await writer.ListAsync(ApigKeys.Groups(scope.InstanceId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false);
        var environments = await writer.ListAsync(ApigKeys.Environments(scope.InstanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        var publications = await writer.ListAsync(ApigKeys.Publications(scope.InstanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
        return new ReadContext(
            authorizations,
            apis.ToDictionary(api => api.Id, StringComparer.Ordinal),
            groups.ToDictionary(group => group.Id, StringComparer.Ordinal),
            environments.ToDictionary(environment => environment.Id, StringComparer.Ordinal),
            publications.ToDictionary(publication => (publication.ApiId, publication.EnvId)));
    }

    /// <summary>What the list views join authorizations with.</summary>
    private sealed record ReadContext(
        List<AppAuthorization> Authorizations,
        Dictionary<string, Api> Apis,
        Dictionary<string, ApiGroup> Groups,
        Dictionary<string, ApigEnvironment> Environments,
        Dictionary<(string ApiId, string EnvId), ApiPublication> Publications);
}
