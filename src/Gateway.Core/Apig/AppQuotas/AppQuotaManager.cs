using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.AppQuotas;

/// <summary>
/// 3.29 credential quotas (client quotas): <c>call_limits</c> calls per <c>time_interval</c> × <c>time_unit</c> for each
/// bound APP. Names are unique per instance; an APP is bound to at most one quota. Deleting a quota unbinds its APPs;
/// deleting an APP removes its binding.
/// </summary>
internal sealed partial class AppQuotaManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>The most APP ids one 3.29.7 call may name (not documented; the pagination maximum).</summary>
    public const int MaxAppsPerCall = 500;

    private static readonly string[] TimeUnits = ["SECOND", "MINUTE", "HOUR", "DAY"];

    public Task<AppQuota> CreateAsync(ApigScope scope, AppQuotaRequest request, CancellationToken cancellationToken)
    {
        var valid = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(scope, cancellationToken).ConfigureAwait(false), valid.Name, exceptId: null);
            var quota = valid with { AppQuotaId = ApigClock.NewId(), CreateTime = ApigClock.Timestamp(time) };
            transaction.Put(AppQuotaKeys.Quota(scope.InstanceId, quota.AppQuotaId), ResourceWriter.Serialize(quota, AppQuotaJsonContext.Default.AppQuota));
            return quota with { BoundAppNum = 0 };
        }, cancellationToken);
    }

    /// <summary>3.29.4: a full replacement of the settable fields.</summary>
    public Task<AppQuota> UpdateAsync(ApigScope scope, string quotaId, AppQuotaRequest request, CancellationToken cancellationToken)
    {
        var valid = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var existing = await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(scope, cancellationToken).ConfigureAwait(false), valid.Name, exceptId: quotaId);
            var quota = valid with { AppQuotaId = quotaId, CreateTime = existing.CreateTime };
            transaction.Put(AppQuotaKeys.Quota(scope.InstanceId, quotaId), ResourceWriter.Serialize(quota, AppQuotaJsonContext.Default.AppQuota));
            var bindings = await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false);
            return quota with { BoundAppNum = bindings.Count(binding => binding.AppQuotaId == quotaId) };
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string quotaId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(AppQuotaKeys.Quota(scope.InstanceId, quotaId));
            foreach (var binding in await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                if (binding.AppQuotaId == quotaId)
                {
                    transaction.Delete(AppQuotaKeys.Binding(scope.InstanceId, binding.AppId));
                }
            }

            return true;
        }, cancellationToken);

    public async Task<AppQuota> GetAsync(ApigScope scope, string quotaId, CancellationToken cancellationToken)
    {
        var quota = await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
        var bindings = await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false);
        return quota with { BoundAppNum = bindings.Count(binding => binding.AppQuotaId == quotaId) };
    }

    /// <summary>3.29.3: newest first; the name filter is fuzzy.</summary>
    public async Task<AppQuotaList> ListAsync(ApigScope scope, AppQuotaListFilter filter, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var counts = CountByQuota(await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false));
        var matching = new List<AppQuota>();
        foreach (var quota in await ListAllAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (NameFilter.Matches(quota.Name, filter.Name, precise: false))
            {
                matching.Add(quota);
            }
        }

        var page = filter.Page.Apply(matching);
        var items = new List<AppQuota>(page.Items.Count);
        foreach (var quota in page.Items)
        {
            items.Add(quota with { BoundAppNum = counts.GetValueOrDefault(quota.AppQuotaId) });
        }

        return new AppQuotaList(page.Size, page.Total, items);
    }

    /// <summary>
    /// 3.29.7: binds every named APP. All must exist and be bound to no other quota, otherwise nothing is bound; an APP
    /// already bound to this quota keeps its binding.
    /// </summary>
    public Task<AppQuotaBindResult> BindAppsAsync(ApigScope scope, string quotaId, AppQuotaBindRequest request, CancellationToken cancellationToken)
    {
        if (request.AppIds is not { Count: > 0 } values)
        {
            throw ApigErrors.Missing("app_ids");
        }

        if (values.Count > MaxAppsPerCall)
        {
            throw ApigErrors.TooLarge("app_ids");
        }

        var appIds = new List<string>(values.Count);
        foreach (var value in values)
        {
            var appId = Check.Required(value, "app_ids");
            Check.Id(appId, "app_ids");
            if (!appIds.Contains(appId, StringComparer.Ordinal))
            {
                appIds.Add(appId);
            }
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            var result = new AppQuotaBindResult([]);
            foreach (var appId in appIds)
            {
                _ = await writer.ReadAsync(AppKeys.App(scope.InstanceId, appId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false)
                    ?? throw AppErrors.AppNotFound(appId);
                var existing = await writer.ReadAsync(AppQuotaKeys.Binding(scope.InstanceId, appId), AppQuotaJsonContext.Default.AppQuotaBinding, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    result.Applies.Add(existing.AppQuotaId == quotaId ? existing : throw AppQuotaErrors.BoundElsewhere(appId, existing.AppQuotaId));
                    continue;
                }

                var binding = new AppQuotaBinding { AppQuotaId = quotaId, AppId = appId, BoundTime = timestamp };
                transaction.Put(AppQuotaKeys.Binding(scope.InstanceId, appId), ResourceWriter.Serialize(binding, AppQuotaJsonContext.Default.AppQuotaBinding));
                result.Applies.Add(binding);
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>3.29.8. An existing APP that is not bound to the quota is left as it is.</summary>
    public Task UnbindAppAsync(ApigScope scope, string quotaId, string appId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
            _ = await writer.ReadAsync(AppKeys.App(scope.InstanceId, appId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false)
                ?? throw AppErrors.AppNotFound(appId);
            var binding = await writer.ReadAsync(AppQuotaKeys.Binding(scope.InstanceId, appId), AppQuotaJsonContext.Default.AppQuotaBinding, cancellationToken).ConfigureAwait(false);
            if (binding?.AppQuotaId == quotaId)
            {
                transaction.Delete(AppQuotaKeys.Binding(scope.InstanceId, appId));
            }

            return true;
        }, cancellationToken);

    /// <summary>3.29.6: the APPs bound to the quota, in binding order.</summary>
    public async Task<AppQuotaAppList> ListBoundAppsAsync(ApigScope scope, string quotaId, AppQuotaAppFilter filter, CancellationToken cancellationToken)
    {
        var quota = await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
        var apps = await LoadAppsAsync(scope, cancellationToken).ConfigureAwait(false);
        var bindings = (await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false)).FindAll(binding => binding.AppQuotaId == quotaId);
        bindings.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.BoundTime, b.BoundTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.AppId, b.AppId);
        });
        var matching = new List<AppQuotaAppInfo>();
        foreach (var binding in bindings)
        {
            if (apps.Find(app => app.Id == binding.AppId) is { } app && NameFilter.Matches(app.Name, filter.AppName, precise: false))
            {
                matching.Add(Info(app, quota, binding.BoundTime));
            }
        }

        var page = filter.Page.Apply(matching);
        return new AppQuotaAppList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.29.9: the APPs bound to no quota, newest first.</summary>
    public async Task<AppQuotaAppList> ListBindableAppsAsync(ApigScope scope, string quotaId, AppQuotaAppFilter filter, CancellationToken cancellationToken)
    {
        await RequireAsync(scope, quotaId, cancellationToken).ConfigureAwait(false);
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in await LoadBindingsAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            bound.Add(binding.AppId);
        }

        var matching = new List<AppQuotaAppInfo>();
        foreach (var app in await LoadAppsAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (!bound.Contains(app.Id) && NameFilter.Matches(app.Name, filter.AppName, precise: false))
            {
                matching.Add(Info(app, quota: null, AppQuotaAppInfo.NeverBound));
            }
        }

        var page = filter.Page.Apply(matching);
        return new AppQuotaAppList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.28.13: the quota an APP is bound to, or null when it is bound to none.</summary>
    public async Task<AppQuota?> GetBoundQuotaAsync(ApigScope scope, string appId, CancellationToken cancellationToken)
    {
        await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        var binding = await writer.ReadAsync(AppQuotaKeys.Binding(scope.InstanceId, appId), AppQuotaJsonContext.Default.AppQuotaBinding, cancellationToken).ConfigureAwait(false);
        return binding is null ? null : await GetAsync(scope, binding.AppQuotaId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a create/update body; the result carries no id and no creation time yet.</summary>
    private static AppQuota Validate(AppQuotaRequest request)
    {
        var name = Check.Text(request.Name, "name", 3, 255, QuotaName());
        var callLimits = Check.Range(request.CallLimits, "call_limits", 1, int.MaxValue);
        var timeUnit = Check.OneOf(request.TimeUnit, "time_unit", TimeUnits);
        var timeInterval = Check.Range(request.TimeInterval, "time_interval", 1, int.MaxValue);
        var resetTime = string.IsNullOrEmpty(request.ResetTime) ? null : request.ResetTime;
        if (resetTime is not null &&
            !DateTime.TryParseExact(resetTime, "yyyy'-'MM'-'dd' 'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw ApigErrors.Invalid("reset_time");
        }

        Check.MaxLength(request.Remark, "remark", 255);
        if (request.Remark is { } remark && remark.AsSpan().IndexOfAny('<', '>') >= 0)
        {
            throw ApigErrors.Invalid("remark");
        }

        return new AppQuota
        {
            AppQuotaId = "",
            Name = name,
            CallLimits = callLimits,
            TimeUnit = timeUnit,
            TimeInterval = timeInterval,
            ResetTime = resetTime,
            Remark = request.Remark,
            CreateTime = "",
        };
    }

    private static AppQuotaAppInfo Info(App app, AppQuota? quota, string boundTime) => new()
    {
        AppId = app.Id,
        Name = app.Name,
        Status = app.Status,
        AppKey = app.AppKey,
        Remark = app.Remark,
        RegisterTime = app.RegisterTime,
        UpdateTime = app.UpdateTime,
        AppQuotaId = quota?.AppQuotaId,
        AppQuotaName = quota?.Name,
        BoundTime = boundTime,
    };

    private async Task<AppQuota> RequireAsync(ApigScope scope, string quotaId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(AppQuotaKeys.Quota(scope.InstanceId, quotaId), AppQuotaJsonContext.Default.AppQuota, cancellationToken).ConfigureAwait(false)
            ?? throw AppQuotaErrors.NotFound(quotaId);
    }

    /// <summary>All quotas of the instance, newest first.</summary>
    private async Task<List<AppQuota>> ListAllAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var quotas = await writer.ListAsync(AppQuotaKeys.Quotas(scope.InstanceId), AppQuotaJsonContext.Default.AppQuota, cancellationToken).ConfigureAwait(false);
        quotas.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(b.CreateTime, a.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.AppQuotaId, b.AppQuotaId);
        });
        return quotas;
    }

    /// <summary>All APPs of the instance, newest first (the APP list order).</summary>
    private async Task<List<App>> LoadAppsAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var apps = await writer.ListAsync(AppKeys.Apps(scope.InstanceId), AppJsonContext.Default.App, cancellationToken).ConfigureAwait(false);
        apps.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(b.RegisterTime, a.RegisterTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return apps;
    }

    private Task<List<AppQuotaBinding>> LoadBindingsAsync(ApigScope scope, CancellationToken cancellationToken) =>
        writer.ListAsync(AppQuotaKeys.Bindings(scope.InstanceId), AppQuotaJsonContext.Default.AppQuotaBinding, cancellationToken);

    private static Dictionary<string, int> CountByQuota(List<AppQuotaBinding> bindings)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            counts[binding.AppQuotaId] = counts.GetValueOrDefault(binding.AppQuotaId) + 1;
        }

        return counts;
    }

    private static void EnsureNameFree(List<AppQuota> quotas, string name, string? exceptId)
    {
        foreach (var quota in quotas)
        {
            if (quota.AppQuotaId != exceptId && string.Equals(quota.Name, name, StringComparison.Ordinal))
            {
                throw AppQuotaErrors.NameExists(name);
            }
        }
    }

    /// <summary>Quota names: Chinese, letters, digits, _; starts with a letter or Chinese character; 3–255.</summary>
    [GeneratedRegex(@"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_]{2,254}$")]
    private static partial Regex QuotaName();
}
