using Gateway.Apig.Common;
using Gateway.Errors;

namespace Gateway.Apig.Apps;

/// <summary>
/// 3.28.14–3.28.16 APP access control: the source addresses from which an APP's credentials may (PERMIT) or may not
/// (DENY) be used. Setting replaces the previous list.
/// </summary>
internal sealed class AppAclManager(ResourceWriter writer)
{
    /// <summary>The most values one APP ACL holds; the document states this limit for IP ACL policies (3.13.1).</summary>
    public const int MaxValues = 100;

    private static readonly string[] Types = [AppAcl.Permit, AppAcl.Deny];

    public Task<AppAcl> SetAsync(ApigScope scope, string appId, AppAclRequest request, CancellationToken cancellationToken)
    {
        var type = Check.OneOf(request.AppAclType, "app_acl_type", Types);
        if (request.AppAclValues is not { Count: > 0 } values)
        {
            throw ApigErrors.Missing("app_acl_values");
        }

        if (values.Count > MaxValues)
        {
            throw ApigErrors.TooLarge("app_acl_values");
        }

        var accepted = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (!AppAclAddress.TryParse(value, out _))
            {
                throw ApigErrors.Invalid("app_acl_values");
            }

            if (accepted.Contains(value!, StringComparer.Ordinal))
            {
                throw AppErrors.AclValueExists(value!);
            }

            accepted.Add(value!);
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            var acl = new AppAcl { AppId = appId, AppAclType = type, AppAclValues = accepted };
            transaction.Put(AppKeys.AppAcl(scope.InstanceId, appId), ResourceWriter.Serialize(acl, AppJsonContext.Default.AppAcl));
            return acl;
        }, cancellationToken);
    }

    /// <summary>3.28.15. An APP without access control shows an empty value list and no type.</summary>
    public async Task<AppAcl> GetAsync(ApigScope scope, string appId, CancellationToken cancellationToken)
    {
        await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(AppKeys.AppAcl(scope.InstanceId, appId), AppJsonContext.Default.AppAcl, cancellationToken).ConfigureAwait(false)
            ?? new AppAcl { AppId = appId, AppAclValues = [] };
    }

    /// <summary>3.28.16. Deleting access control that is not set succeeds: the APP ends up without any either way.</summary>
    public Task DeleteAsync(ApigScope scope, string appId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await AppManager.RequireAsync(writer, scope, appId, cancellationToken).ConfigureAwait(false);
            if (await writer.Store.GetAsync(AppKeys.AppAcl(scope.InstanceId, appId), cancellationToken).ConfigureAwait(false) is not null)
            {
                transaction.Delete(AppKeys.AppAcl(scope.InstanceId, appId));
            }

            return true;
        }, cancellationToken);
}
