using Gateway.Apig.Common;
using Gateway.Apig.Groups;
using Gateway.Apig.Instances;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.GatewayResponses;

/// <summary>
/// 3.19 group gateway responses. Every group has a default response named <c>default</c>; it is derived from the group
/// until first changed, can't be deleted or renamed, and its name is taken. Names are unique per group.
/// </summary>
internal sealed class GatewayResponseManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>RESPONSE_NUM_LIMIT per group, the default response included: the document gives the key but no value.</summary>
    public const int MaxResponsesPerGroup = 10;

    public Task<GatewayResponseView> CreateAsync(ApigScope scope, string groupId, GatewayResponseRequest request, CancellationToken cancellationToken)
    {
        var name = GatewayResponseRules.Name(request.Name);
        var customized = request.Responses is null ? [] : GatewayResponseRules.Responses(request.Responses);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            var responses = await ListGroupAsync(scope.InstanceId, group, cancellationToken).ConfigureAwait(false);
            if (responses.Count >= MaxResponsesPerGroup)
            {
                throw GatewayResponseErrors.TooMany(MaxResponsesPerGroup);
            }

            EnsureNameFree(responses, name, exceptId: null);
            var timestamp = ApigClock.Timestamp(time);
            var response = new GatewayResponseRecord
            {
                Id = ApigClock.NewId(),
                GroupId = groupId,
                Name = name,
                CreateTime = timestamp,
                UpdateTime = timestamp,
                Customized = customized,
            };
            Put(transaction, scope.InstanceId, response);
            return GatewayResponseCatalog.View(response);
        }, cancellationToken);
    }

    public Task<GatewayResponseView> UpdateAsync(ApigScope scope, string groupId, string responseId, GatewayResponseRequest request, CancellationToken cancellationToken)
    {
        var name = GatewayResponseRules.Name(request.Name);
        var customized = request.Responses is null ? null : GatewayResponseRules.Responses(request.Responses);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            var responses = await ListGroupAsync(scope.InstanceId, group, cancellationToken).ConfigureAwait(false);
            var current = Find(responses, responseId) ?? throw GatewayResponseErrors.NotFound(responseId);
            if (current.Default && !string.Equals(name, current.Name, StringComparison.Ordinal))
            {
                throw GatewayResponseErrors.DefaultNotRenamable();
            }

            EnsureNameFree(responses, name, exceptId: responseId);

            // Without "responses" the customizations stay; with it, it is the complete new set (types left out revert).
            var updated = current with { Name = name, Customized = customized ?? current.Customized, UpdateTime = ApigClock.Timestamp(time) };
            Put(transaction, scope.InstanceId, updated);
            return GatewayResponseCatalog.View(updated);
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string groupId, string responseId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            var response = Find(await ListGroupAsync(scope.InstanceId, group, cancellationToken).ConfigureAwait(false), responseId)
                ?? throw GatewayResponseErrors.NotFound(responseId);
            if (response.Default)
            {
                throw GatewayResponseErrors.DefaultNotDeletable();
            }

            // APIs that name this response fall back to the group default (see ResolveAsync).
            transaction.Delete(GatewayResponseKeys.Response(scope.InstanceId, responseId));
            return true;
        }, cancellationToken);

    public async Task<GatewayResponseView> GetAsync(ApigScope scope, string groupId, string responseId, CancellationToken cancellationToken) =>
        GatewayResponseCatalog.View(await RequireAsync(scope, groupId, responseId, cancellationToken).ConfigureAwait(false));

    public async Task<GatewayResponseList> ListAsync(ApigScope scope, string groupId, ListQuery page, CancellationToken cancellationToken)
    {
        var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
        var responses = await ListGroupAsync(scope.InstanceId, group, cancellationToken).ConfigureAwait(false);
        var result = page.Apply(responses);
        var views = new List<GatewayResponseView>(result.Size);
        foreach (var response in result.Items)
        {
            views.Add(GatewayResponseCatalog.View(response));
        }

        return new GatewayResponseList(result.Size, result.Total, views);
    }

    public async Task<Dictionary<string, ResponseInfoResp>> GetTypeAsync(ApigScope scope, string groupId, string responseId, string? responseType, CancellationToken cancellationToken)
    {
        var type = GatewayResponseRules.Type(responseType, "response_type");
        var response = await RequireAsync(scope, groupId, responseId, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, ResponseInfoResp>(StringComparer.Ordinal) { [type] = GatewayResponseCatalog.Describe(response, type) };
    }

    public Task<Dictionary<string, ResponseInfoResp>> UpdateTypeAsync(
        ApigScope scope, string groupId, string responseId, string? responseType, ResponseInfoInput input, CancellationToken cancellationToken)
    {
        var type = GatewayResponseRules.Type(responseType, "response_type");
        var customization = GatewayResponseRules.Customization(input, prefix: "");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var response = await RequireAsync(scope, groupId, responseId, cancellationToken).ConfigureAwait(false);
            var customized = new Dictionary<string, ResponseCustomization>(response.Customized, StringComparer.Ordinal) { [type] = customization };
            var updated = response with { Customized = customized, UpdateTime = ApigClock.Timestamp(time) };
            Put(transaction, scope.InstanceId, updated);
            return new Dictionary<string, ResponseInfoResp>(StringComparer.Ordinal) { [type] = GatewayResponseCatalog.Describe(updated, type) };
        }, cancellationToken);
    }

    /// <summary>3.19.7: the type goes back to its default. Doing so for a type that is already default is not an error.</summary>
    public Task DeleteTypeAsync(ApigScope scope, string groupId, string responseId, string? responseType, CancellationToken cancellationToken)
    {
        var type = GatewayResponseRules.Type(responseType, "response_type");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var response = await RequireAsync(scope, groupId, responseId, cancellationToken).ConfigureAwait(false);
            if (response.Customized.ContainsKey(type))
            {
                var customized = new Dictionary<string, ResponseCustomization>(response.Customized, StringComparer.Ordinal);
                customized.Remove(type);
                Put(transaction, scope.InstanceId, response with { Customized = customized, UpdateTime = ApigClock.Timestamp(time) });
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// What the data plane sends for an error of <paramref name="responseType"/> in an API of <paramref name="groupId"/>:
    /// the response the API names (<paramref name="responseId"/>) when it still belongs to the group, else the group's
    /// default. <paramref name="originalStatus"/> is the error's own status, kept by DEFAULT_4XX/DEFAULT_5XX.
    /// </summary>
    public static async Task<EffectiveGatewayResponse> ResolveAsync(
        ResourceWriter writer, string instanceId, string groupId, string? responseId, string responseType, int originalStatus, CancellationToken cancellationToken)
    {
        GatewayResponseRecord? chosen = null;
        GatewayResponseRecord? storedDefault = null;
        foreach (var response in await writer.ListAsync(GatewayResponseKeys.Responses(instanceId), GatewayResponseJsonContext.Default.GatewayResponseRecord, cancellationToken).ConfigureAwait(false))
        {
            if (response.GroupId != groupId)
            {
                continue;
            }

            if (response.Id == responseId)
            {
                chosen = response;
            }

            if (response.Default)
            {
                storedDefault = response;
            }
        }

        // A default never changed has no customizations, so resolving against null gives exactly its answer.
        return GatewayResponseCatalog.Effective(chosen ?? storedDefault, responseType, originalStatus);
    }

    private async Task<GatewayResponseRecord> RequireAsync(ApigScope scope, string groupId, string responseId, CancellationToken cancellationToken)
    {
        var group = await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
        return Find(await ListGroupAsync(scope.InstanceId, group, cancellationToken).ConfigureAwait(false), responseId)
            ?? throw GatewayResponseErrors.NotFound(responseId);
    }

    private async Task<ApiGroup> RequireGroupAsync(ApigScope scope, string groupId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Group(scope.InstanceId, groupId), GroupJsonContext.Default.ApiGroup, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.GroupNotFound(groupId);
    }

    /// <summary>The group's responses: the default first (stored or derived), then the others by creation.</summary>
    private async Task<List<GatewayResponseRecord>> ListGroupAsync(string instanceId, ApiGroup group, CancellationToken cancellationToken)
    {
        var all = await writer.ListAsync(GatewayResponseKeys.Responses(instanceId), GatewayResponseJsonContext.Default.GatewayResponseRecord, cancellationToken).ConfigureAwait(false);
        GatewayResponseRecord? defaultResponse = null;
        var others = new List<GatewayResponseRecord>();
        foreach (var response in all)
        {
            if (response.GroupId != group.Id)
            {
                continue;
            }

            if (response.Default)
            {
                defaultResponse = response;
            }
            else
            {
                others.Add(response);
            }
        }

        others.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        others.Insert(0, defaultResponse ?? GatewayResponseCatalog.DerivedDefault(group.Id, group.RegisterTime));
        return others;
    }

    private static GatewayResponseRecord? Find(List<GatewayResponseRecord> responses, string responseId)
    {
        foreach (var response in responses)
        {
            if (response.Id == responseId)
            {
                return response;
            }
        }

        return null;
    }

    private static void EnsureNameFree(List<GatewayResponseRecord> responses, string name, string? exceptId)
    {
        foreach (var response in responses)
        {
            if (response.Id != exceptId && string.Equals(response.Name, name, StringComparison.Ordinal))
            {
                throw GatewayResponseErrors.NameExists(name);
            }
        }
    }

    private static void Put(StoreTransaction transaction, string instanceId, GatewayResponseRecord response) =>
        transaction.Put(GatewayResponseKeys.Response(instanceId, response.Id), ResourceWriter.Serialize(response, GatewayResponseJsonContext.Default.GatewayResponseRecord));
}
