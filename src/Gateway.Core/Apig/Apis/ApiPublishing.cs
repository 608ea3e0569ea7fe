using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Instances;
using Gateway.Errors;
using Gateway.Store;

namespace Gateway.Apig.Apis;

/// <summary>
/// Publishing (3.5.4, 3.5.9–3.5.14). Publishing an API in an environment snapshots its current definition as a new
/// version and makes that version the effective one there (the publication). Each environment keeps at most
/// <see cref="ApigOptions.MaxVersionsPerEnvironment"/> versions per API; the oldest non-effective ones go first.
/// Taking an API offline ends its publication and keeps its versions, so it can be switched back on.
/// </summary>
internal sealed partial class ApiManager
{
    /// <summary>The most APIs one batch call may name.</summary>
    public const int MaxBatchApis = 1000;

    private static readonly string[] PublishActions = ["online", "offline"];

    public Task<PublishResult> PublishAsync(ApigScope scope, PublishRequest request, CancellationToken cancellationToken)
    {
        var action = Check.OneOf(request.Action, "action", PublishActions);
        var envId = RequiredId(request.EnvId, "env_id");
        var apiId = RequiredId(request.ApiId, "api_id");
        Check.MaxLength(request.Remark, "remark", ApiValidator.MaxRemarkLength);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await RequireEnvironmentAsync(scope, envId, cancellationToken).ConfigureAwait(false);
            var api = await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
            var book = await LoadReleaseBookAsync(scope, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            return action == "online"
                ? Online(book, transaction, api, envId, request.Remark, timestamp)
                : Offline(book, transaction, api, envId, request.Remark, timestamp);
        }, cancellationToken);
    }

    /// <summary>
    /// 3.5.9: publishes or takes offline the named APIs (or every API of the group). Items fail individually; all that
    /// succeed are committed together.
    /// </summary>
    public Task<BatchPublishResult> BatchPublishAsync(ApigScope scope, string? action, BatchPublishRequest request, CancellationToken cancellationToken)
    {
        var checkedAction = Check.OneOf(action, "action", PublishActions);
        var envId = RequiredId(request.EnvId, "env_id");
        Check.MaxLength(request.Remark, "remark", ApiValidator.MaxRemarkLength);
        var groupId = ApiValidator.OptionalId(request.GroupId, "group_id");
        var apiIds = new List<string>();
        if (request.Apis is { Count: > 0 } named)
        {
            if (named.Count > MaxBatchApis)
            {
                throw ApigErrors.TooLarge("apis");
            }

            foreach (var id in named)
            {
                var apiId = RequiredId(id, "apis");
                if (!apiIds.Contains(apiId, StringComparer.Ordinal))
                {
                    apiIds.Add(apiId);
                }
            }
        }
        else if (groupId is null)
        {
            throw ApigErrors.Missing("apis");
        }

        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            await RequireEnvironmentAsync(scope, envId, cancellationToken).ConfigureAwait(false);
            var apis = await LoadApisAsync(scope, cancellationToken).ConfigureAwait(false);
            var targets = apiIds;
            if (targets.Count == 0 && groupId is not null)
            {
                await RequireGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
                targets = apis.FindAll(api => api.GroupId == groupId).ConvertAll(api => api.Id);
            }

            var book = await LoadReleaseBookAsync(scope, cancellationToken).ConfigureAwait(false);
            var timestamp = ApigClock.Timestamp(time);
            var result = new BatchPublishResult([], []);
            foreach (var apiId in targets)
            {
                var api = apis.Find(candidate => candidate.Id == apiId);
                try
                {
                    var published = api is null
                        ? throw ApigErrors.ApiNotFound(apiId)
                        : checkedAction == "online"
                            ? Online(book, transaction, api, envId, request.Remark, timestamp)
                            : Offline(book, transaction, api, envId, request.Remark, timestamp);
                    result.Success.Add(published);
                }
                catch (ApiErrorException error)
                {
                    result.Failure.Add(new BatchPublishFailure { ApiId = apiId, ApiName = api?.Name, ErrorCode = error.ErrorCode, ErrorMsg = error.Message });
                }
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>3.5.10: the versions of an API, newest first; status 1 marks the effective one of its environment.</summary>
    public async Task<ApiVersionList> ListVersionsAsync(ApigScope scope, string apiId, ApiVersionFilter filter, CancellationToken cancellationToken)
    {
        await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
        var environments = await LoadEnvironmentsAsync(scope, cancellationToken).ConfigureAwait(false);
        var book = await LoadReleaseBookAsync(scope, cancellationToken).ConfigureAwait(false);
        var versions = book.Versions.FindAll(version => version.ApiId == apiId);
        versions.Sort(static (a, b) => b.Sequence.CompareTo(a.Sequence));
        var matching = new List<ApiVersionSummary>();
        foreach (var version in versions)
        {
            var envName = environments.Find(environment => environment.Id == version.EnvId)?.Name;
            if ((string.IsNullOrEmpty(filter.EnvId) || version.EnvId == filter.EnvId) &&
                (string.IsNullOrEmpty(filter.EnvName) || envName == filter.EnvName))
            {
                var effective = book.Publications.TryGetValue(PublicationKey(scope, apiId, version.EnvId), out var publication) &&
                    publication.VersionId == version.VersionId;
                matching.Add(new ApiVersionSummary
                {
                    VersionId = version.VersionId,
                    VersionNo = version.VersionNo,
                    ApiId = version.ApiId,
                    EnvId = version.EnvId,
                    EnvName = envName,
                    Remark = version.Remark,
                    PublishTime = version.PublishTime,
                    Status = effective ? 1 : 2,
                });
            }
        }

        var page = filter.Page.Apply(matching);
        return new ApiVersionList(page.Size, page.Total, page.Items);
    }

    /// <summary>3.5.11: makes a version the effective one of its environment (publishing the API there if it was offline).</summary>
    public Task<PublishResult> SwitchVersionAsync(ApigScope scope, string apiId, SwitchVersionRequest request, CancellationToken cancellationToken)
    {
        var versionId = RequiredId(request.VersionId, "version_id");
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var api = await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
            var version = await ReadVersionAsync(scope, versionId, cancellationToken).ConfigureAwait(false);
            if (version is null || version.ApiId != apiId)
            {
                throw ApigErrors.VersionNotFound(versionId);
            }

            var book = await LoadReleaseBookAsync(scope, cancellationToken).ConfigureAwait(false);
            var publication = Activate(book, transaction, version, version.Remark, ApigClock.Timestamp(time));
            return Result(publication, api.Name);
        }, cancellationToken);
    }

    /// <summary>3.5.12: the frontend of the version that runs in an environment (RELEASE unless given).</summary>
    /// <remarks>Not published there: 404 APIG.3015 (the publication record does not exist).</remarks>
    public async Task<ApiRuntimeDefinition> GetRuntimeDefinitionAsync(ApigScope scope, string apiId, string? envId, CancellationToken cancellationToken)
    {
        var environmentId = string.IsNullOrEmpty(envId) ? EnvironmentManager.ReleaseId : envId;
        Check.Id(environmentId, "env_id");
        await GetStoredAsync(scope, apiId, cancellationToken).ConfigureAwait(false);
        var environment = await RequireEnvironmentAsync(scope, environmentId, cancellationToken).ConfigureAwait(false);
        var publication = await writer.ReadAsync(PublicationKey(scope, apiId, environmentId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false)
            ?? throw ApiErrors.PublicationNotFound(apiId, environmentId);
        var version = await ReadVersionAsync(scope, publication.VersionId, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.VersionNotFound(publication.VersionId);
        var definition = version.Definition;
        var group = await ReadGroupAsync(scope, version.GroupId, cancellationToken).ConfigureAwait(false);
        return new ApiRuntimeDefinition
        {
            Name = definition.Name,
            Type = definition.Type,
            Version = definition.Version,
            ReqProtocol = definition.ReqProtocol,
            ReqMethod = definition.ReqMethod,
            ReqUri = definition.ReqUri,
            AuthType = definition.AuthType,
            AuthOpt = definition.AuthOpt,
            Cors = definition.Cors,
            MatchMode = definition.MatchMode,
            BackendType = definition.BackendType,
            Remark = definition.Remark,
            GroupId = definition.GroupId,
            BodyRemark = definition.BodyRemark,
            ResultNormalSample = definition.ResultNormalSample,
            ResultFailureSample = definition.ResultFailureSample,
            AuthorizerId = definition.AuthorizerId,
            Tags = definition.Tags,
            ResponseId = definition.ResponseId,
            RomaAppId = definition.RomaAppId,
            DomainName = definition.DomainName,
            Tag = definition.Tag,
            ContentType = definition.ContentType,
            Id = definition.Id,
            GroupName = group?.Name,
            RunEnvName = environment.Name,
            RunEnvId = environment.Id,
            PublishId = publication.PublishId,
            SlDomain = group?.SlDomain,
            SlDomains = group?.SlDomains,
            ReqParams = definition.ReqParams ?? [],
        };
    }

    /// <summary>3.5.13: the complete definition as of a version.</summary>
    public async Task<Api> GetVersionAsync(ApigScope scope, string versionId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(scope, versionId, cancellationToken).ConfigureAwait(false) ?? throw ApigErrors.VersionNotFound(versionId);
        var group = await ReadGroupAsync(scope, version.GroupId, cancellationToken).ConfigureAwait(false);
        var environment = await writer.ReadAsync(ApigKeys.Environment(scope.InstanceId, version.EnvId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false);
        var publication = await writer.ReadAsync(PublicationKey(scope, version.ApiId, version.EnvId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
        return version.Definition with
        {
            GroupName = group?.Name,
            GroupVersion = group?.Version,
            RunEnvId = version.EnvId,
            RunEnvName = environment?.Name,
            PublishId = publication?.PublishId,
            PublishTime = version.PublishTime,
            SlDomain = group?.SlDomain,
            SlDomains = group?.SlDomains,
            VersionId = version.VersionId,
        };
    }

    /// <summary>3.5.14: takes the API offline in the environment where this version is the effective one.</summary>
    public Task OfflineVersionAsync(ApigScope scope, string versionId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var version = await ReadVersionAsync(scope, versionId, cancellationToken).ConfigureAwait(false) ?? throw ApigErrors.VersionNotFound(versionId);
            var key = PublicationKey(scope, version.ApiId, version.EnvId);
            var publication = await writer.ReadAsync(key, ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false);
            if (publication is null || publication.VersionId != versionId)
            {
                throw ApiErrors.VersionNotEffective(versionId, version.EnvId);
            }

            transaction.Delete(key);
            return true;
        }, cancellationToken);

    private PublishResult Online(ReleaseBook book, StoreTransaction transaction, Api api, string envId, string? remark, string timestamp)
    {
        var sequence = 0L;
        var versionNumbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var existing in book.Versions)
        {
            if (existing.ApiId == api.Id)
            {
                sequence = Math.Max(sequence, existing.Sequence);
                versionNumbers.Add(existing.VersionNo);
            }
        }

        var version = new ApiVersionRecord
        {
            VersionId = ApigClock.NewId(),
            VersionNo = VersionNumber(timestamp, versionNumbers),
            Sequence = sequence + 1,
            ApiId = api.Id,
            EnvId = envId,
            GroupId = api.GroupId,
            PublishTime = timestamp,
            Remark = remark,
            Definition = api,
        };
        book.Versions.Add(version);
        transaction.Put(ApigKeys.ApiVersion(book.Scope.InstanceId, version.VersionId), ResourceWriter.Serialize(version, ApiJsonContext.Default.ApiVersionRecord));
        var publication = Activate(book, transaction, version, remark, timestamp);
        Prune(book, transaction, api.Id, envId, publication.VersionId);
        return Result(publication, api.Name);
    }

    private static PublishResult Offline(ReleaseBook book, StoreTransaction transaction, Api api, string envId, string? remark, string timestamp)
    {
        var key = PublicationKey(book.Scope, api.Id, envId);
        if (!book.Publications.Remove(key, out var publication))
        {
            throw ApiErrors.PublicationNotFound(api.Id, envId);
        }

        transaction.Delete(key);
        return Result(publication with { PublishTime = timestamp, Remark = remark ?? publication.Remark }, api.Name);
    }

    /// <summary>Makes <paramref name="version"/> effective in its environment, keeping the publish ID of an ongoing publication.</summary>
    private static ApiPublication Activate(ReleaseBook book, StoreTransaction transaction, ApiVersionRecord version, string? remark, string timestamp)
    {
        var key = PublicationKey(book.Scope, version.ApiId, version.EnvId);
        var publication = new ApiPublication
        {
            PublishId = book.Publications.TryGetValue(key, out var current) ? current.PublishId : ApigClock.NewId(),
            ApiId = version.ApiId,
            EnvId = version.EnvId,
            VersionId = version.VersionId,
            PublishTime = timestamp,
            Remark = remark,
        };
        book.Publications[key] = publication;
        transaction.Put(key, ResourceWriter.Serialize(publication, ApiJsonContext.Default.ApiPublication));
        return publication;
    }

    private void Prune(ReleaseBook book, StoreTransaction transaction, string apiId, string envId, string effectiveVersionId)
    {
        var inEnvironment = book.Versions.FindAll(version => version.ApiId == apiId && version.EnvId == envId);
        inEnvironment.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var excess = inEnvironment.Count - Math.Max(1, options.MaxVersionsPerEnvironment);
        foreach (var version in inEnvironment)
        {
            if (excess <= 0)
            {
                break;
            }

            if (version.VersionId == effectiveVersionId)
            {
                continue;
            }

            book.Versions.Remove(version);
            transaction.Delete(ApigKeys.ApiVersion(book.Scope.InstanceId, version.VersionId));
            excess--;
        }
    }

    /// <summary>
    /// The version number is the publish time as <c>yyyyMMddHHmmss</c> (UTC); a second version of the same API within
    /// one second gets a <c>_n</c> suffix.
    /// </summary>
    private static string VersionNumber(string timestamp, HashSet<string> taken)
    {
        // The timestamp is "yyyy-MM-ddTHH:mm:ss.fffffffZ": its first 19 characters hold the digits wanted.
        var digits = string.Concat(timestamp[..19].Where(char.IsAsciiDigit));
        var number = digits;
        for (var suffix = 1; taken.Contains(number); suffix++)
        {
            number = $"{digits}_{suffix}";
        }

        return number;
    }

    private static PublishResult Result(ApiPublication publication, string apiName) => new()
    {
        PublishId = publication.PublishId,
        ApiId = publication.ApiId,
        ApiName = apiName,
        EnvId = publication.EnvId,
        Remark = publication.Remark,
        PublishTime = publication.PublishTime,
        VersionId = publication.VersionId,
    };

    private static string RequiredId(string? value, string parameter)
    {
        var id = Check.Required(value, parameter);
        Check.Id(id, parameter);
        return id;
    }

    private static string PublicationKey(ApigScope scope, string apiId, string envId) => ApigKeys.Publication(scope.InstanceId, apiId, envId);

    private Task<ApiVersionRecord?> ReadVersionAsync(ApigScope scope, string versionId, CancellationToken cancellationToken) =>
        writer.ReadAsync(ApigKeys.ApiVersion(scope.InstanceId, versionId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken);

    private async Task<ApigEnvironment> RequireEnvironmentAsync(ApigScope scope, string envId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await writer.ReadAsync(ApigKeys.Environment(scope.InstanceId, envId), EnvironmentJsonContext.Default.ApigEnvironment, cancellationToken).ConfigureAwait(false)
            ?? throw ApigErrors.EnvironmentNotFound(envId);
    }

    private async Task<ReleaseBook> LoadReleaseBookAsync(ApigScope scope, CancellationToken cancellationToken)
    {
        var publications = new Dictionary<string, ApiPublication>(StringComparer.Ordinal);
        foreach (var publication in await LoadPublicationsAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            publications[PublicationKey(scope, publication.ApiId, publication.EnvId)] = publication;
        }

        var versions = await writer.ListAsync(ApigKeys.ApiVersions(scope.InstanceId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken).ConfigureAwait(false);
        return new ReleaseBook(scope, publications, versions);
    }

    /// <summary>The publications (by store key) and versions of an instance, updated in step with a transaction being built.</summary>
    private sealed record ReleaseBook(ApigScope Scope, Dictionary<string, ApiPublication> Publications, List<ApiVersionRecord> Versions);
}
