using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Variables;

/// <summary>
/// 3.3 environment variables: defined per (group, environment), names unique there and case-sensitive; referenced by
/// APIs as <c>#name#</c>.
/// </summary>
internal sealed class VariableManager(ResourceWriter writer)
{
    public Task<EnvironmentVariable> CreateAsync(ApigScope scope, CreateVariableRequest request, CancellationToken cancellationToken)
    {
        var name = Check.Text(request.VariableName, "variable_name", 3, 32, ApigPatterns.VariableName());
        var value = Check.Text(request.VariableValue, "variable_value", 1, 255, ApigPatterns.VariableValue());
        var envId = Check.Text(request.EnvId, "env_id", 1, 65);
        var groupId = Check.Text(request.GroupId, "group_id", 1, 65);
        Check.Id(envId, "env_id");
        Check.Id(groupId, "group_id");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            _ = await writer.ReadAsync(ApigKeys.Group(scope.InstanceId, groupId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false)
                ?? throw ApigErrors.GroupNotFound(groupId);
            _ = await writer.ReadAsync(ApigKeys.Environment(scope.InstanceId, envId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false)
                ?? throw ApigErrors.EnvironmentNotFound(envId);
            foreach (var existing in await ListAllAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                if (existing.GroupId == groupId && existing.EnvId == envId && string.Equals(existing.VariableName, name, StringComparison.Ordinal))
                {
                    throw ApigErrors.Conflict("APIG.3303", $"The environment variable already exists,variable_name:{name}");
                }
            }

            var variable = new EnvironmentVariable { Id = ApigClock.NewId(), VariableName = name, VariableValue = value, EnvId = envId, GroupId = groupId };
            transaction.Put(ApigKeys.Variable(scope.InstanceId, variable.Id), ResourceWriter.Serialize(variable, VariableJsonContext.Default.EnvironmentVariable));
            return variable;
        }, cancellationToken);
    }

    public Task<EnvironmentVariable> UpdateAsync(ApigScope scope, string variableId, UpdateVariableRequest request, CancellationToken cancellationToken)
    {
        var value = Check.Text(request.VariableValue, "variable_value", 1, 255, ApigPatterns.VariableValue());
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var variable = await GetAsync(scope, variableId, cancellationToken).ConfigureAwait(false);
            var updated = variable with { VariableValue = value };
            transaction.Put(ApigKeys.Variable(scope.InstanceId, variableId), ResourceWriter.Serialize(updated, VariableJsonContext.Default.EnvironmentVariable));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string variableId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await GetAsync(scope, variableId, cancellationToken).ConfigureAwait(false);
            transaction.Delete(ApigKeys.Variable(scope.InstanceId, variableId));
            return true;
        }, cancellationToken);

    public async Task<EnvironmentVariable> GetAsync(ApigScope scope, string variableId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Variable(scope.InstanceId, variableId), VariableJsonContext.Default.EnvironmentVariable, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.VariableNotFound(variableId);
    }

    public async Task<EnvironmentVariableList> ListAsync(ApigScope scope, VariableListFilter filter, CancellationToken cancellationToken)
    {
        var groupId = Check.Required(filter.GroupId, "group_id");
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var precise = NameFilter.IsPrecise(filter.PreciseSearch, "variable_name") || NameFilter.IsPrecise(filter.PreciseSearch, "name");
        var matching = new List<EnvironmentVariable>();
        foreach (var variable in await ListAllAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (variable.GroupId == groupId &&
                (filter.EnvId is null || variable.EnvId == filter.EnvId) &&
                NameFilter.Matches(variable.VariableName, filter.VariableName, precise))
            {
                matching.Add(variable);
            }
        }

        var page = filter.Page.Apply(matching);
        return new EnvironmentVariableList(page.Size, page.Total, page.Items);
    }

    public async Task<List<EnvironmentVariable>> ListAllAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var variables = await writer.ListAsync(ApigKeys.Variables(scope.InstanceId), VariableJsonContext.Default.EnvironmentVariable, cancellationToken).ConfigureAwait(false);
        variables.Sort(static (a, b) => string.CompareOrdinal(a.VariableName, b.VariableName));
        return variables;
    }
}
