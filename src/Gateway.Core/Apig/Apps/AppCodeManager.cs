using Gateway.Apig.Common;

namespace Gateway.Apig.Apps;

/// <summary>
/// 3.28.8–3.28.12 AppCodes: codes for simple authentication, owned by their APP. A code value identifies its APP, so
/// it is unique within the instance. Each APP holds at most <see cref="MaxPerApp"/> codes (quota APP_CODE_NUM_LIMIT).
/// </summary>
internal sealed class AppCodeManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>The APP_CODE_NUM_LIMIT quota; the document gives no value, Huawei's product default is 5.</summary>
    public const int MaxPerApp = 5;

    public Task<AppCodeInfo> CreateAsync(ApigScope scope, string appId, AppCodeRequest request, CancellationToken cancellationToken)
    {
        var value = AppRules.AppCode(request.AppCode);
        return AddAsync(scope, appId, value, cancellationToken);
    }

    /// <summary>3.28.9: a code made of 256 random bits.</summary>
    public Task<AppCodeInfo> GenerateAsync(ApigScope scope, string appId, CancellationToken cancellationToken) =>
        AddAsync(scope, appId, value: null, cancellationToken);

    public Task DeleteAsync(ApigScope scope, string appId, string appCodeId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await GetAsync(scope, appId, appCodeId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(AppKeys.AppCode(scope.InstanceId, appCodeId));
            return true;
        }, cancellationToken);

    public async Task<AppCodeInfo> GetAsync(ApigScope scope, string appId, string appCodeId, CancellationToken cancellationToken)
    {
        await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        var appCode = await writer.ReadAsync(AppKeys.AppCode(scope.InstanceId, appCodeId), AppJsonContext.Default.AppCodeInfo, cancellationToken).ConfigureAwait(false);
        return appCode is not null && appCode.AppId == appId ? appCode : throw AppErrors.AppCodeNotFound(appCodeId);
    }

    /// <summary>3.28.12: newest first, as in the documented example.</summary>
    public async Task<AppCodeList> ListAsync(ApigScope scope, string appId, ListQuery page, CancellationToken cancellationToken)
    {
        await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        var codes = await ListOfAppAsync(scope, appId, cancellationToken).ConfigureAwait(false);
        var result = page.Apply(codes);
        return new AppCodeList(result.Size, result.Total, result.Items);
    }

    private Task<AppCodeInfo> AddAsync(ApigScope scope, string appId, string? value, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            var all = await writer.ListAsync(AppKeys.AppCodes(scope.InstanceId), AppJsonContext.Default.AppCodeInfo, cancellationToken).ConfigureAwait(false);
            if (all.Count(code => code.AppId == appId) >= MaxPerApp)
            {
                throw AppErrors.TooManyAppCodes(MaxPerApp);
            }

            var inUse = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in all)
            {
                inUse.Add(code.AppCode);
            }

            if (value is not null && inUse.Contains(value))
            {
                throw AppErrors.AppCodeExists();
            }

            if (value is null)
            {
                do
                {
                    value = AppSecrets.NewAppCode();
                }
                while (inUse.Contains(value));
            }

            var appCode = new AppCodeInfo { Id = ApigClock.NewId(), AppId = appId, AppCode = value, CreateTime = ApigClock.Timestamp(time) };
            transaction.Put(AppKeys.AppCode(scope.InstanceId, appCode.Id), ResourceWriter.Serialize(appCode, AppJsonContext.Default.AppCodeInfo));
            return appCode;
        }, cancellationToken);

    private async Task<List<AppCodeInfo>> ListOfAppAsync(ApigScope scope, string appId, CancellationToken cancellationToken)
    {
        var codes = await writer.ListAsync(AppKeys.AppCodes(scope.InstanceId), AppJsonContext.Default.AppCodeInfo, cancellationToken).ConfigureAwait(false);
        codes.RemoveAll(code => code.AppId != appId);
        codes.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(b.CreateTime, a.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return codes;
    }
}
