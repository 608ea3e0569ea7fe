using System.Text.RegularExpressions;
using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Instances;
using Gateway.Errors;

namespace Gateway.Apig.Authorizers;

/// <summary>
/// 3.15 custom authorizers: names unique per instance, type fixed at creation, refused deletion while an API (its
/// draft or a version in effect in some environment) refers to the authorizer.
/// </summary>
internal sealed partial class AuthorizerManager(ResourceWriter writer, TimeProvider time)
{
    /// <summary>AUTHORIZER_NUM_LIMIT: Huawei's published default quota of custom authorizers per gateway.</summary>
    public const int MaxAuthorizers = 50;

    /// <summary>AUTHORIZER_IDENTITY_NUM_LIMIT: the document gives the quota key but no value.</summary>
    public const int MaxIdentities = 5;

    /// <summary>Cache time in seconds; the document prints no range, 0 disables caching.</summary>
    public const int MaxTtlSeconds = 3600;

    public const int MaxUserDataLength = 2048;
    public const int MaxValidationLength = 1024;

    private static readonly string[] Types = ["FRONTEND", "BACKEND"];
    private static readonly string[] AuthorizerTypes = ["FUNC"];
    private static readonly string[] NetworkTypes = ["V1", "V2"];
    private static readonly string[] Locations = ["HEADER", "QUERY"];

    public Task<Authorizer> CreateAsync(ApigScope scope, AuthorizerRequest request, CancellationToken cancellationToken)
    {
        var draft = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
            var existing = await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false);
            if (existing.Count >= MaxAuthorizers)
            {
                throw AuthorizerErrors.TooManyAuthorizers(MaxAuthorizers);
            }

            EnsureNameFree(existing, draft.Name, exceptId: null);
            var authorizer = draft with { Id = ApigClock.NewId(), CreateTime = ApigClock.Timestamp(time) };
            transaction.Put(AuthorizerKeys.Authorizer(scope.InstanceId, authorizer.Id), ResourceWriter.Serialize(authorizer, AuthorizerJsonContext.Default.Authorizer));
            return authorizer;
        }, cancellationToken);
    }

    public Task<Authorizer> UpdateAsync(ApigScope scope, string authorizerId, AuthorizerRequest request, CancellationToken cancellationToken)
    {
        var draft = Validate(request);
        return writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            var current = await GetAsync(scope, authorizerId, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(current.Type, draft.Type, StringComparison.Ordinal))
            {
                throw AuthorizerErrors.TypeImmutable();
            }

            EnsureNameFree(await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false), draft.Name, exceptId: authorizerId);
            var updated = draft with { Id = current.Id, CreateTime = current.CreateTime, RomaAppId = current.RomaAppId, RomaAppName = current.RomaAppName };
            transaction.Put(AuthorizerKeys.Authorizer(scope.InstanceId, authorizerId), ResourceWriter.Serialize(updated, AuthorizerJsonContext.Default.Authorizer));
            return updated;
        }, cancellationToken);
    }

    public Task DeleteAsync(ApigScope scope, string authorizerId, CancellationToken cancellationToken) =>
        writer.MutateAsync(ApigKeys.InstanceFence(scope.InstanceId), async transaction =>
        {
            await GetAsync(scope, authorizerId, cancellationToken).ConfigureAwait(false);
            var user = await FindUserAsync(scope.InstanceId, authorizerId, cancellationToken).ConfigureAwait(false);
            if (user is not null)
            {
                throw AuthorizerErrors.InUse(authorizerId, user);
            }

            transaction.Delete(AuthorizerKeys.Authorizer(scope.InstanceId, authorizerId));
            return true;
        }, cancellationToken);

    public async Task<Authorizer> GetAsync(ApigScope scope, string authorizerId, CancellationToken cancellationToken)
    {
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        return await FindAsync(writer, scope.InstanceId, authorizerId, cancellationToken).ConfigureAwait(false)
            ?? throw AuthorizerErrors.NotFound(authorizerId);
    }

    public async Task<AuthorizerListResponse> ListAsync(ApigScope scope, AuthorizerListFilter filter, CancellationToken cancellationToken)
    {
        var type = Check.OptionalOneOf(string.IsNullOrEmpty(filter.Type) ? null : filter.Type, "type", Types);
        await InstanceManager.RequireAsync(writer, scope, cancellationToken).ConfigureAwait(false);
        var matching = new List<Authorizer>();
        foreach (var authorizer in await ListAllAsync(scope.InstanceId, cancellationToken).ConfigureAwait(false))
        {
            if ((string.IsNullOrEmpty(filter.Id) || authorizer.Id == filter.Id) &&
                (type is null || authorizer.Type == type) &&
                NameFilter.Matches(authorizer.Name, filter.Name, precise: false))
            {
                matching.Add(authorizer);
            }
        }

        var page = filter.Page.Apply(matching);
        return new AuthorizerListResponse(page.Size, page.Total, page.Items);
    }

    /// <summary>
    /// Reads one authorizer of an instance, or null. Other families (API validation, the runtime compiler) use this to
    /// resolve an <c>authorizer_id</c>.
    /// </summary>
    public static Task<Authorizer?> FindAsync(ResourceWriter writer, string instanceId, string authorizerId, CancellationToken cancellationToken) =>
        writer.ReadAsync(AuthorizerKeys.Authorizer(instanceId, authorizerId), AuthorizerJsonContext.Default.Authorizer, cancellationToken);

    /// <summary>Whether an API definition refers to the authorizer, as its frontend authorizer or as any backend's.</summary>
    public static bool Refers(Api api, string authorizerId)
    {
        if (api.AuthorizerId == authorizerId ||
            api.BackendApi?.AuthorizerId == authorizerId ||
            api.FuncInfo?.AuthorizerId == authorizerId ||
            api.MockInfo?.AuthorizerId == authorizerId)
        {
            return true;
        }

        return RefersAny(api.PolicyHttps, authorizerId) || RefersAny(api.PolicyFunctions, authorizerId) || RefersAny(api.PolicyMocks, authorizerId);
    }

    private static bool RefersAny<T>(List<T>? policies, string authorizerId)
        where T : PolicyBackend
    {
        if (policies is null)
        {
            return false;
        }

        foreach (var policy in policies)
        {
            if (policy.AuthorizerId == authorizerId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ID of an API whose draft or effective published version refers to the authorizer, or null.</summary>
    private async Task<string?> FindUserAsync(string instanceId, string authorizerId, CancellationToken cancellationToken)
    {
        foreach (var api in await writer.ListAsync(ApigKeys.Apis(instanceId), ApiJsonContext.Default.Api, cancellationToken).ConfigureAwait(false))
        {
            if (Refers(api, authorizerId))
            {
                return api.Id;
            }
        }

        // A published version keeps running after its draft changed, so it still needs the authorizer.
        foreach (var publication in await writer.ListAsync(ApigKeys.Publications(instanceId), ApiJsonContext.Default.ApiPublication, cancellationToken).ConfigureAwait(false))
        {
            var version = await writer.ReadAsync(ApigKeys.ApiVersion(instanceId, publication.VersionId), ApiJsonContext.Default.ApiVersionRecord, cancellationToken).ConfigureAwait(false);
            if (version is not null && Refers(version.Definition, authorizerId))
            {
                return publication.ApiId;
            }
        }

        return null;
    }

    private async Task<List<Authorizer>> ListAllAsync(string instanceId, CancellationToken cancellationToken)
    {
        var authorizers = await writer.ListAsync(AuthorizerKeys.Authorizers(instanceId), AuthorizerJsonContext.Default.Authorizer, cancellationToken).ConfigureAwait(false);
        authorizers.Sort(static (a, b) =>
        {
            var byTime = string.CompareOrdinal(a.CreateTime, b.CreateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return authorizers;
    }

    private static void EnsureNameFree(List<Authorizer> authorizers, string name, string? exceptId)
    {
        foreach (var authorizer in authorizers)
        {
            if (authorizer.Id != exceptId && string.Equals(authorizer.Name, name, StringComparison.Ordinal))
            {
                throw AuthorizerErrors.NameExists(name);
            }
        }
    }

    /// <summary>Checks every field and returns the authorizer the body describes (without ID and creation time).</summary>
    private static Authorizer Validate(AuthorizerRequest request)
    {
        var name = Check.Text(request.Name, "name", 3, 64, AuthorizerName());
        var type = Check.OneOf(request.Type, "type", Types);
        var authorizerType = Check.OneOf(request.AuthorizerType, "authorizer_type", AuthorizerTypes);
        var uri = Address(request.AuthorizerUri, "authorizer_uri") ?? throw ApigErrors.Missing("authorizer_uri");
        var networkType = Check.OptionalOneOf(request.NetworkType, "network_type", NetworkTypes) ?? "V1";
        var version = Check.OptionalText(request.AuthorizerVersion, "authorizer_version", 1, 64);
        var aliasUri = Address(request.AuthorizerAliasUri, "authorizer_alias_uri");
        var ttl = request.Ttl is null ? 0 : Check.Range(request.Ttl, "ttl", 0, MaxTtlSeconds);
        Check.MaxLength(request.UserData, "user_data", MaxUserDataLength);
        Check.MaxLength(request.LdApiId, "ld_api_id", 64);
        return new Authorizer
        {
            Name = name,
            Type = type,
            AuthorizerType = authorizerType,
            AuthorizerUri = uri,
            NetworkType = networkType,
            AuthorizerVersion = string.IsNullOrEmpty(version) ? null : version,
            AuthorizerAliasUri = aliasUri,
            Identities = Identities(request.Identities),
            Ttl = ttl,
            UserData = request.UserData,
            LdApiId = string.IsNullOrEmpty(request.LdApiId) ? null : request.LdApiId,
            NeedBody = request.NeedBody ?? false,
            Id = "",
            CreateTime = "",
        };
    }

    /// <summary>An optional address: null or empty stays absent; otherwise a URL or URN within the length limit.</summary>
    private static string? Address(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        Check.MaxLength(value, parameter, AuthorizerAddress.MaxLength);
        return AuthorizerAddress.IsValid(value) ? value : throw AuthorizerErrors.InvalidAddress(parameter);
    }

    private static List<AuthorizerIdentity> Identities(List<AuthorizerIdentityInput?>? inputs)
    {
        var identities = new List<AuthorizerIdentity>();
        if (inputs is null)
        {
            return identities;
        }

        if (inputs.Count > MaxIdentities)
        {
            throw AuthorizerErrors.TooManyIdentities(MaxIdentities);
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"identities[{i}]";
            var input = inputs[i] ?? throw ApigErrors.Missing(at);
            var name = Check.Text(input.Name, $"{at}.name", 1, 32, ApigPatterns.ParameterName());
            var location = Check.OneOf(input.Location, $"{at}.location", Locations);
            var validation = Check.OptionalText(input.Validation, $"{at}.validation", 0, MaxValidationLength);
            if (!string.IsNullOrEmpty(validation) && !IsRegex(validation))
            {
                throw AuthorizerErrors.InvalidValidation($"{at}.validation");
            }

            // Header names are case-insensitive on the wire; query names are not.
            var comparison = location == "HEADER" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            foreach (var other in identities)
            {
                if (other.Location == location && string.Equals(other.Name, name, comparison))
                {
                    throw AuthorizerErrors.IdentityExists($"{at}.name", name);
                }
            }

            identities.Add(new AuthorizerIdentity { Name = name, Location = location, Validation = string.IsNullOrEmpty(validation) ? null : validation });
        }

        return identities;
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>NAME_AUTHORIZER: Chinese, letters, digits, _; starts with a letter or Chinese character; 3–64.</summary>
    [GeneratedRegex(@"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_]{2,63}$")]
    private static partial Regex AuthorizerName();
}
