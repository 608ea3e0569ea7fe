using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Instances;

namespace Gateway.Apig.Overview;

/// <summary>3.11 outline counts of an instance. Each field is computed on its own (the document's example doesn't add up).</summary>
internal sealed class OverviewManager(ResourceWriter writer)
{
    /// <summary>APPs (credentials) of an instance, one entry per APP.</summary>
    public static string Apps(string instanceId) => $"apig/inst/{instanceId}/apps/";

    /// <summary>APP authorizations (3.10) of an instance, one entry per APP, API and environment, with a top-level <c>app_id</c>.</summary>
    public static string AppAuthorizations(string instanceId) => $"apig/inst/{instanceId}/app-auths/";

    /// <summary>All APIs, those published to RELEASE and those that are not.</summary>
    public async Task<ApiOutline> GetApiOutlineAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var apis = await writer.Store.ListAsync(ApigKeys.Apis(scope.InstanceId), cancellationToken).ConfigureAwait(false);
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var publication in await writer.Store.ListAsync(ApigKeys.Publications(scope.InstanceId), cancellationToken).ConfigureAwait(false))
        {
            // Publication keys are "{api_id}:{env_id}".
            var name = publication.Key.AsSpan(ApigKeys.Publications(scope.InstanceId).Length);
            var separator = name.LastIndexOf(':');
            if (separator > 0 && name[(separator + 1)..].SequenceEqual(EnvironmentManager.ReleaseId))
            {
                published.Add(name[..separator].ToString());
            }
        }

        var onRelease = 0;
        foreach (var api in apis)
        {
            if (published.Contains(api.Key.AsSpan(ApigKeys.Apis(scope.InstanceId).Length).ToString()))
            {
                onRelease++;
            }
        }

        return new ApiOutline(apis.Count, onRelease, apis.Count - onRelease);
    }

    /// <summary>
    /// Groups on and off the marketplace. Marketplace listing is unsupported ("offsell_nums" is marked so and the
    /// example reports 0 against 23); every group counts as "onsell", which makes the figure the number of groups.
    /// </summary>
    public async Task<GroupOutline> GetGroupOutlineAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var groups = await writer.Store.ListAsync(ApigKeys.Groups(scope.InstanceId), cancellationToken).ConfigureAwait(false);
        return new GroupOutline(0, groups.Count);
    }

    /// <summary>APPs with at least one API authorization, and the others.</summary>
    public async Task<AppOutline> GetAppOutlineAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var apps = await writer.Store.ListAsync(Apps(scope.InstanceId), cancellationToken).ConfigureAwait(false);
        var authorized = new HashSet<string>(StringComparer.Ordinal);
        foreach (var authorization in await writer.Store.ListAsync(AppAuthorizations(scope.InstanceId), cancellationToken).ConfigureAwait(false))
        {
            if (JsonProbe.ReadString(authorization.Value.Span, "app_id"u8) is { } appId)
            {
                authorized.Add(appId);
            }
        }

        var authed = 0;
        foreach (var app in apps)
        {
            var appId = JsonProbe.ReadString(app.Value.Span, "id"u8) ?? app.Key[Apps(scope.InstanceId).Length..];
            if (authorized.Contains(appId))
            {
                authed++;
            }
        }

        return new AppOutline(authed, apps.Count - authed);
    }
}
