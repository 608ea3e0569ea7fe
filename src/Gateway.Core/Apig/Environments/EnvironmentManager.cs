using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Environments;

/// <summary>3.2 environments. <c>RELEASE</c> always exists and can be neither renamed nor deleted.</summary>
internal sealed class EnvironmentManager(ResourceWriter writer, TimeProvider time)
{
    public const string ReleaseId = "DEFAULT_ENVIRONMENT_RELEASE_ID";
    public const string ReleaseName = "RELEASE";

    public static ApigEnvironment NewReleaseEnvironment(string timestamp) =>
        new() { Id = ReleaseId, Name = ReleaseName, Remark = "Default environment", CreateTime = timestamp };

    public Task<ApigEnvironment> CreateAsync(ApigScope scope, EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.EnvironmentName());
        Check.MaxLength(request.Remark, "remark", 255);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            EnsureNameFree(await ListAllAsync(scope, cancellationToken).ConfigureAwait(false), name, exceptId: null);
            var environment = new ApigEnvironment { Id = ApigClock.NewId(), Name = name, Remark = request.Remark, CreateTime = ApigClock.Timestamp(time) };
            transaction.Put(ApigKeys.Environment(scope.InstanceId, environment.Id), ResourceWriter.Serialize(environment, EnvironmentJsonContext.Default.ApigEnvironment));
            return environment;
        }, cancellationToken);
    }

    public Task<ApigEnvironment> UpdateAsync(ApigScope scope, string envId, EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.Name, "name", 3, 64, ApigPatterns.EnvironmentName());
        Check.MaxLength(request.Remark, "remark", 255);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var environment = await GetAsync(scope, envId, cancellationToken).ConfigureAwait(false);
            if (environment.Id == ReleaseId)
            {
                throw ApigErrors.Forbidden("APIG.1103", "The default environment RELEASE cannot be modified");
            }

            EnsureNameFree(await ListAllAsync(scope, cancellationToken).ConfigureAwait(false), name, exceptId: envId);
            var updated = environment with { Name = name, Remark = request.Remark };
            transaction.Put(ApigKeys.Environment(scope.InstanceId, envId), ResourceWriter.Serialize(updated, EnvironmentJsonContext.Default.ApigEnvironment));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string envId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var environment = await GetAsync(scope, envId, cancellationToken).ConfigureAwait(false);
            if (environment.Id == ReleaseId)
            {
                throw ApigErrors.Forbidden("APIG.1103", "The default environment RELEASE cannot be deleted");
            }

            foreach (var publication in await writer.Store.ListAsync(ApigKeys.Publications(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (publication.Key.EndsWith(":" + envId, StringComparison.Ordinal))
                {
                    throw ApigErrors.Forbidden("APIG.3418", "The environment contains published APIs");
                }
            }

            transaction.Delete(ApigKeys.Environment(scope.InstanceId, envId));
            foreach (var variable in await writer.Store.ListAsync(ApigKeys.Variables(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(variable.Value.Span, "env_id"u8) == envId)
                {
                    transaction.Delete(variable.Key);
                }
            }

            foreach (var version in await writer.Store.ListAsync(ApigKeys.ApiVersions(scope.InstanceId), cancellationToken).ConfigureAwait(false))
            {
                if (JsonProbe.ReadString(version.Value.Span, "env_id"u8) == envId)
                {
                    transaction.Delete(version.Key);
                }
            }

            await writer.DeleteOwnedAsync(transaction, scope.InstanceId, ApigOwner.Environment, envId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<ApigEnvironment> GetAsync(ApigScope scope, string envId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Environment(scope.InstanceId, envId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.EnvironmentNotFound(envId);
    }

    public async Task<EnvironmentList> ListAsync(ApigScope scope, ListQuery page, string? name, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var matching = new List<ApigEnvironment>();
        foreach (var environment in await ListAllAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (NameFilter.Matches(environment.Name, name, precise: false))
            {
                matching.Add(environment);
            }
        }

        var result = page.Apply(matching);
        return new EnvironmentList(result.Size, result.Total, result.Items);
    }

    public async Task<List<ApigEnvironment>> ListAllAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var environments = await writer.ListAsync(ApigKeys.Environments(scope.InstanceId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        environments.Sort(static (a, b) =>
        {
            // RELEASE first, then by creation.
            if (a.Id == ReleaseId || b.Id == ReleaseId)
            {
                return a.Id == ReleaseId ? (b.Id == ReleaseId ? 0 : -1) : 1;
            }

            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return environments;
    }

    private static void EnsureNameFree(List<ApigEnvironment> environments, string name, string? exceptId)
    {
        foreach (var environment in environments)
        {
            if (environment.Id != exceptId && string.Equals(environment.Name, name, StringComparison.Ordinal))
            {
                throw ApigErrors.Conflict("APIG.3205", $"The environment name already exists,name:{name}");
            }
        }
    }
}
