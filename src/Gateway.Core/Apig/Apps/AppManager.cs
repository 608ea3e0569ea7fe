using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Apps;

/// <summary>
/// 3.28.1–3.28.7 APPs (credentials). Names and AppKeys are unique per instance. An AppKey or AppSecret left out is
/// generated; a custom one is accepted, as with the APP_KEY_SECRET_SWITCH quota switch on. An APP goes together with
/// its AppCodes, its access control, its authorizations and its quota binding.
/// </summary>
internal sealed class AppManager(ResourceWriter writer, TimeProvider time, IEnumerable<AppOwnedCollection> owned)
{
    private static readonly string[] Creators = [App.UserCreator, "MARKET"];

    /// <summary>What always goes with an APP, followed by what other families registered.</summary>
    private readonly AppOwnedCollection[] _owned =
    [
        new(AppKeys.AppCodes),
        new(AppKeys.AppAcls),
        new(AppAuthorizationKeys.Authorizations),
        new(AppQuotas.AppQuotaKeys.Bindings),
        .. owned,
    ];

    public Task<App> CreateAsync(ApigScope scope, AppRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.PolicyName());
        Check.MaxLength(request.Remark, "remark", 255);
        var customKey = AppRules.OptionalAppKey(request.AppKey);
        var customSecret = AppRules.OptionalAppSecret(request.AppSecret);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var apps = await ListAllAsync(scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(apps, name, exceptId: null);
            var appKey = customKey ?? NewUniqueKey(apps);
            EnsureKeyFree(apps, appKey, exceptId: null);
            var timestamp = ApigClock.Timestamp(time);
            var app = new App
            {
                Id = ApigClock.NewId(),
                Name = name,
                Remark = request.Remark,
                AppKey = appKey,
                AppSecret = customSecret ?? AppSecrets.NewAppSecret(),
                RegisterTime = timestamp,
                UpdateTime = timestamp,
            };
            transaction.Put(AppKeys.App(scope.InstanceId, app.Id), ResourceWriter.Serialize(app, AppJsonContext.Default.App));
            return app;
        }, cancellationToken);
    }

    /// <summary>3.28.2: name and remark are replaced; the AppKey and AppSecret change only when given.</summary>
    public Task<App> UpdateAsync(ApigScope scope, string appId, AppRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.PolicyName());
        Check.MaxLength(request.Remark, "remark", 255);
        var customKey = AppRules.OptionalAppKey(request.AppKey);
        var customSecret = AppRules.OptionalAppSecret(request.AppSecret);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var app = await RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            var apps = await ListAllAsync(scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(apps, name, exceptId: appId);
            if (customKey is not null)
            {
                EnsureKeyFree(apps, customKey, exceptId: appId);
            }

            var updated = app with
            {
                Name = name,
                Remark = request.Remark,
                AppKey = customKey ?? app.AppKey,
                AppSecret = customSecret ?? app.AppSecret,
                UpdateTime = ApigClock.Timestamp(time),
            };
            transaction.Put(AppKeys.App(scope.InstanceId, appId), ResourceWriter.Serialize(updated, AppJsonContext.Default.App));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string appId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(AppKeys.App(scope.InstanceId, appId));
            foreach (var registration in _owned)
            {
                foreach (var entry in await writer.Store.ListAsync(registration.Collection(scope.InstanceId), cancellationToken).ConfigureAwait(false))
                {
                    if (JsonProbe.ReadString(entry.Value.Span, "app_id"u8) == appId)
                    {
                        transaction.Delete(entry.Key);
                    }
                }
            }

            return true;
        }, cancellationToken);

    /// <summary>3.28.4: a new AppSecret, the given one or a generated one.</summary>
    public Task<App> ResetSecretAsync(ApigScope scope, string appId, ResetAppSecretRequest request, CancellationToken cancellationToken)
    {
        var customSecret = AppRules.OptionalAppSecret(request.AppSecret);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var app = await RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            var updated = app with { AppSecret = customSecret ?? AppSecrets.NewAppSecret(), UpdateTime = ApigClock.Timestamp(time) };
            transaction.Put(AppKeys.App(scope.InstanceId, appId), ResourceWriter.Serialize(updated, AppJsonContext.Default.App));
            return updated;
        }, cancellationToken);
    }

    /// <summary>3.28.5: whether an APP exists, showing only its id, name and remark.</summary>
    public async Task<AppSummary> CheckAsync(ApigScope scope, string appId, CancellationToken cancellationToken)
    {
        var app = await RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        return new AppSummary(app.Id, app.Name, app.Remark);
    }

    public Task<App> GetAsync(ApigScope scope, string appId, CancellationToken cancellationToken) =>
        RequireAsync(writer, scope, appId, cancellationToken);

    /// <summary>3.28.7: newest first, as in the documented example; each item with the number of its authorizations.</summary>
    public async Task<AppList> ListAsync(ApigScope scope, AppListFilter filter, CancellationToken cancellationToken)
    {
        Check.OptionalOneOf(string.IsNullOrEmpty(filter.Creator) ? null : filter.Creator, "creator", Creators);
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<App>();
        foreach (var app in await ListAllAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (Matches(filter.Id, app.Id) &&
                NameFilter.Matches(app.Name, filter.Name, precise) &&
                (filter.Status is null || filter.Status == app.Status) &&
                Matches(filter.AppKey, app.AppKey) &&
                Matches(filter.Creator, app.Creator))
            {
                matching.Add(app);
            }
        }

        var page = filter.Page.Apply(matching);
        var bindings = await CountAuthorizationsAsync(scope, cancellationToken).ConfigureAwait(false);
        var items = new List<App>(page.Items.Count);
        foreach (var app in page.Items)
        {
            items.Add(app with { BindNum = bindings.GetValueOrDefault(app.Id) });
        }

        return new AppList(page.Size, page.Total, items);
    }

    /// <summary>All APPs of the instance, newest first.</summary>
    public async Task<List<App>> ListAllAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var apps = await writer.ListAsync(AppKeys.Apps(scope.InstanceId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false);
        apps.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(b.RegisterTime, a.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return apps;
    }

    /// <summary>Resolves an APP of an existing instance or fails with the documented 404s (APIG.3030, APIG.3004).</summary>
    public static async Task<App> RequireAsync(ResourceWriter writer, ApigScope scope, string appId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(AppKeys.App(scope.InstanceId, appId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false)
            ?? throw AppErrors.AppNotFound(appId);
    }

    private async Task<Dictionary<string, int>> CountAuthorizationsAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in await writer.Store.ListAsync(AppAuthorizationKeys.Authorizations(scope.InstanceId), cancellationToken).ConfigureAwait(false))
        {
            if (JsonProbe.ReadString(entry.Value.Span, "app_id"u8) is { } appId)
            {
                counts[appId] = counts.GetValueOrDefault(appId) + 1;
            }
        }

        return counts;
    }

    private static string NewUniqueKey(List<App> apps)
    {
        while (true)
        {
            var key = AppSecrets.NewAppKey();
            if (!apps.Exists(app => string.Equals(app.AppKey, key, StringComparison.Ordinal)))
            {
                return key;
            }
        }
    }

    private static bool Matches(string? filter, string actual) => string.IsNullOrEmpty(filter) || filter == actual;

    private static void EnsureNameFree(List<App> apps, string name, string? exceptId)
    {
        foreach (var app in apps)
        {
            if (app.Id != exceptId && string.Equals(app.Name, name, StringComparison.Ordinal))
            {
                throw AppErrors.NameExists(name);
            }
        }
    }

    private static void EnsureKeyFree(List<App> apps, string appKey, string? exceptId)
    {
        foreach (var app in apps)
        {
            if (app.Id != exceptId && string.Equals(app.AppKey, appKey, StringComparison.Ordinal))
            {
                throw AppErrors.AppKeyExists();
            }
        }
    }
}
