using System.Text;
using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apis;

public sealed class ApiPublishingTests
{
    private const string Release = EnvironmentManager.ReleaseId;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Publishing_snapshots_a_version_and_makes_it_effective()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();

        var published = await fixture.PublishAsync(api.Id, remark: "first");

        Assert.Equal(api.Id, published.ApiId);
        Assert.Equal("Api_http", published.ApiName);
        Assert.Equal(Release, published.EnvId);
        Assert.Equal("first", published.Remark);
        Assert.Equal("2025-03-01T08:30:02.0000000Z", published.PublishTime);

        var shown = await fixture.Apis.GetAsync(fixture.Scope, api.Id, None);
        Assert.Equal(Release, shown.RunEnvId);
        Assert.Equal("RELEASE", shown.RunEnvName);
        Assert.Equal(published.PublishId, shown.PublishId);
        Assert.Equal(published.PublishTime, shown.PublishTime);

        // The data plane reads these records: the version holds the whole definition plus where and when it runs.
        var stored = await fixture.Store.GetAsync(ApigKeys.ApiVersion(fixture.Scope.InstanceId, published.VersionId), None);
        var json = stored!.Value.Span;
        Assert.Equal(Release, JsonProbe.ReadString(json, "env_id"u8));
        Assert.Equal(api.Id, JsonProbe.ReadString(json, "api_id"u8));
        Assert.Equal(fixture.DefaultGroupId, JsonProbe.ReadString(json, "group_id"u8));
        Assert.Equal("20250301083002", JsonProbe.ReadString(json, "version_no"u8));
        Assert.Contains("\"backend_api\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.NotNull(await fixture.Store.GetAsync(ApigKeys.Publication(fixture.Scope.InstanceId, api.Id, Release), None));
    }

    [Theory]
    [InlineData(null, "env", "api", "APIG.2001", "action")]
    [InlineData("publish", "env", "api", "APIG.2011", "action")]
    [InlineData("online", null, "api", "APIG.2001", "env_id")]
    [InlineData("online", "env", null, "APIG.2001", "api_id")]
    [InlineData("online", "bad env", "api", "APIG.2012", "env_id")]
    public async Task Publish_validates_its_body(string? action, string? envId, string? apiId, string code, string parameter)
    {
        var fixture = await ApiFixture.CreateAsync();
        var request = new PublishRequest { Action = action, EnvId = envId, ApiId = apiId };

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.PublishAsync(fixture.Scope, request, None));

        ApiValidatorTests.AssertError(error, code, parameter);
    }

    [Fact]
    public async Task Publishing_needs_an_existing_api_and_environment()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();

        var noEnv = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.PublishAsync(api.Id, "ffffffffffffffffffffffffffffffff"));
        var noApi = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.PublishAsync("ffffffffffffffffffffffffffffffff"));
        var remark = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.PublishAsync(api.Id, remark: new string('r', 256)));

        Assert.Equal("APIG.3003", noEnv.ErrorCode);
        Assert.Equal("APIG.3002", noApi.ErrorCode);
        Assert.Equal("APIG.2003", remark.ErrorCode);
    }

    [Fact]
    public async Task Offline_ends_the_publication_and_keeps_the_versions()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var published = await fixture.PublishAsync(api.Id);

        var offline = await fixture.OfflineAsync(api.Id);

        Assert.Equal(published.PublishId, offline.PublishId);
        Assert.Equal(published.VersionId, offline.VersionId);
        Assert.Null((await fixture.Apis.GetAsync(fixture.Scope, api.Id, None)).RunEnvId);
        var version = Assert.Single((await fixture.VersionsAsync(api.Id)).ApiVersions);
        Assert.Equal(2, version.Status);

        var again = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.OfflineAsync(api.Id));
        Assert.Equal(404, again.StatusCode);
        Assert.Equal("APIG.3015", again.ErrorCode);
    }

    [Fact]
    public async Task The_publish_id_lasts_while_the_api_stays_published()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();

        var first = await fixture.PublishAsync(api.Id);
        var second = await fixture.PublishAsync(api.Id);
        await fixture.OfflineAsync(api.Id);
        var third = await fixture.PublishAsync(api.Id);

        Assert.Equal(first.PublishId, second.PublishId);
        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.NotEqual(first.PublishId, third.PublishId);
    }

    [Fact]
    public async Task Environments_are_listed_in_environment_order_joined_by_bars()
    {
        var fixture = await ApiFixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        var api = await fixture.CreateAsync();
        var inDev = await fixture.PublishAsync(api.Id, dev);
        var inRelease = await fixture.PublishAsync(api.Id);

        var shown = await fixture.Apis.GetAsync(fixture.Scope, api.Id, None);

        Assert.Equal($"{Release}|{dev}", shown.RunEnvId);
        Assert.Equal("RELEASE|DEV", shown.RunEnvName);
        Assert.Equal($"{inRelease.PublishId}|{inDev.PublishId}", shown.PublishId);
        Assert.Equal($"{inRelease.PublishTime}|{inDev.PublishTime}", shown.PublishTime);
    }

    [Fact]
    public async Task Each_environment_keeps_the_newest_ten_versions()
    {
        var fixture = await ApiFixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        var api = await fixture.CreateAsync();
        var releaseVersions = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            releaseVersions.Add((await fixture.PublishAsync(api.Id, remark: $"r{i}")).VersionId);
        }

        for (var i = 0; i < 3; i++)
        {
            await fixture.PublishAsync(api.Id, dev);
        }

        var release = await fixture.VersionsAsync(api.Id, envId: Release);
        Assert.Equal(10, release.Total);
        Assert.Equal(releaseVersions.Skip(2).Reverse(), release.ApiVersions.Select(v => v.VersionId));
        Assert.Equal(releaseVersions[^1], Assert.Single(release.ApiVersions, v => v.Status == 1).VersionId);
        Assert.Equal(3, (await fixture.VersionsAsync(api.Id, envId: dev)).Total);
        Assert.Equal(13, (await fixture.VersionsAsync(api.Id)).Total);
    }

    [Fact]
    public async Task A_version_limit_of_one_keeps_only_the_effective_version()
    {
        var fixture = await ApiFixture.CreateAsync(options => options.MaxVersionsPerEnvironment = 1);
        var api = await fixture.CreateAsync();
        await fixture.PublishAsync(api.Id);
        var last = await fixture.PublishAsync(api.Id);

        var version = Assert.Single((await fixture.VersionsAsync(api.Id)).ApiVersions);

        Assert.Equal(last.VersionId, version.VersionId);
        Assert.Equal(1, version.Status);
    }

    [Fact]
    public async Task Version_numbers_are_the_publish_second_made_unique()
    {
        var fixture = await ApiFixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        var api = await fixture.CreateAsync();
        await fixture.PublishAsync(api.Id);

        // Same second, other environment and then the same one again.
        await fixture.Apis.PublishAsync(fixture.Scope, new PublishRequest { Action = "online", ApiId = api.Id, EnvId = dev }, None);
        await fixture.Apis.PublishAsync(fixture.Scope, new PublishRequest { Action = "online", ApiId = api.Id, EnvId = Release }, None);

        var numbers = (await fixture.VersionsAsync(api.Id)).ApiVersions.Select(v => v.VersionNo);
        Assert.Equal(["20250301083002_2", "20250301083002_1", "20250301083002"], numbers);
    }

    [Fact]
    public async Task Version_list_filters_pages_and_shows_environment_names()
    {
        var fixture = await ApiFixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        var api = await fixture.CreateAsync();
        var r1 = await fixture.PublishAsync(api.Id, remark: "one");
        var d1 = await fixture.PublishAsync(api.Id, dev);
        var r2 = await fixture.PublishAsync(api.Id, remark: "two");

        var all = await fixture.VersionsAsync(api.Id);
        Assert.Equal([r2.VersionId, d1.VersionId, r1.VersionId], all.ApiVersions.Select(v => v.VersionId));
        Assert.Equal([1, 1, 2], all.ApiVersions.Select(v => v.Status));
        Assert.Equal(["RELEASE", "DEV", "RELEASE"], all.ApiVersions.Select(v => v.EnvName));
        Assert.Equal(["two", null, "one"], all.ApiVersions.Select(v => v.Remark));
        Assert.All(all.ApiVersions, v => Assert.Equal(api.Id, v.ApiId));

        Assert.Equal([d1.VersionId], (await fixture.VersionsAsync(api.Id, envName: "DEV")).ApiVersions.Select(v => v.VersionId));
        Assert.Equal([d1.VersionId], (await fixture.VersionsAsync(api.Id, envId: dev)).ApiVersions.Select(v => v.VersionId));
        Assert.Empty((await fixture.VersionsAsync(api.Id, envName: "DE")).ApiVersions);

        var page = await fixture.VersionsAsync(api.Id, offset: 1, limit: 1);
        Assert.Equal(3, page.Total);
        Assert.Equal(d1.VersionId, Assert.Single(page.ApiVersions).VersionId);

        var missing = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.VersionsAsync("ffffffffffffffffffffffffffffffff"));
        Assert.Equal("APIG.3002", missing.ErrorCode);
    }

    [Fact]
    public async Task Runtime_definition_follows_the_effective_version_not_later_edits()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var first = await fixture.PublishAsync(api.Id);
        await fixture.Apis.UpdateAsync(fixture.Scope, api.Id, fixture.Request(ApiJson.Http, """{"name": "renamed", "remark": "edited"}"""), None);

        var runtime = await fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, null, None);
        Assert.Equal("Api_http", runtime.Name);
        Assert.Null(runtime.Remark);
        Assert.Equal(Release, runtime.RunEnvId);
        Assert.Equal("RELEASE", runtime.RunEnvName);
        Assert.Equal(first.PublishId, runtime.PublishId);
        Assert.Equal("DEFAULT", runtime.GroupName);
        Assert.EndsWith(".apig.localhost", runtime.SlDomain, StringComparison.Ordinal);
        Assert.Equal(3, runtime.ReqParams.Count);

        var second = await fixture.PublishAsync(api.Id);
        Assert.Equal("renamed", (await fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, Release, None)).Name);

        await fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest { VersionId = first.VersionId }, None);
        Assert.Equal("Api_http", (await fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, null, None)).Name);
        Assert.NotEqual(first.VersionId, second.VersionId);
    }

    [Fact]
    public async Task Runtime_definition_needs_a_publication_there()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        await fixture.PublishAsync(api.Id, dev);

        var notPublished = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, null, None));
        var noEnv = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, "ffffffffffffffffffffffffffffffff", None));
        var noApi = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, "ffffffffffffffffffffffffffffffff", dev, None));

        Assert.Equal("APIG.3015", notPublished.ErrorCode);
        Assert.Equal(404, notPublished.StatusCode);
        Assert.Equal("APIG.3003", noEnv.ErrorCode);
        Assert.Equal("APIG.3002", noApi.ErrorCode);
        Assert.Equal(dev, (await fixture.Apis.GetRuntimeDefinitionAsync(fixture.Scope, api.Id, dev, None)).RunEnvId);
    }

    [Fact]
    public async Task Switching_makes_another_version_effective()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var first = await fixture.PublishAsync(api.Id, remark: "one");
        var second = await fixture.PublishAsync(api.Id, remark: "two");

        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        var switched = await fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest { VersionId = first.VersionId }, None);

        Assert.Equal(first.VersionId, switched.VersionId);
        Assert.Equal(second.PublishId, switched.PublishId);
        Assert.Equal("one", switched.Remark);
        Assert.Equal("2025-03-01T08:30:08.0000000Z", switched.PublishTime);
        var statuses = (await fixture.VersionsAsync(api.Id)).ApiVersions.ToDictionary(v => v.VersionId, v => v.Status);
        Assert.Equal(1, statuses[first.VersionId]);
        Assert.Equal(2, statuses[second.VersionId]);
    }

    [Fact]
    public async Task Switching_to_a_version_of_an_offline_api_publishes_it_again()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var published = await fixture.PublishAsync(api.Id);
        await fixture.OfflineAsync(api.Id);

        var switched = await fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest { VersionId = published.VersionId }, None);

        Assert.NotEqual(published.PublishId, switched.PublishId);
        Assert.Equal(Release, (await fixture.Apis.GetAsync(fixture.Scope, api.Id, None)).RunEnvId);
    }

    [Fact]
    public async Task Switching_to_a_foreign_or_unknown_version_is_APIG_3022()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var other = await fixture.CreateAsync(ApiJson.Mock);
        var foreign = await fixture.PublishAsync(other.Id);

        var wrongApi = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest { VersionId = foreign.VersionId }, None));
        var unknown = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest { VersionId = "ffffffffffffffffffffffffffffffff" }, None));
        var missing = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Apis.SwitchVersionAsync(fixture.Scope, api.Id, new SwitchVersionRequest(), None));

        Assert.Equal("APIG.3022", wrongApi.ErrorCode);
        Assert.Equal("APIG.3022", unknown.ErrorCode);
        ApiValidatorTests.AssertError(missing, "APIG.2001", "version_id");
    }

    [Fact]
    public async Task Version_detail_is_the_whole_definition_as_published()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var published = await fixture.PublishAsync(api.Id);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await fixture.Apis.UpdateAsync(fixture.Scope, api.Id, fixture.Request(ApiJson.Http, """{"name": "renamed"}"""), None);

        var version = await fixture.Apis.GetVersionAsync(fixture.Scope, published.VersionId, None);

        Assert.Equal("Api_http", version.Name);
        Assert.Equal(published.VersionId, version.VersionId);
        Assert.Equal(published.PublishTime, version.PublishTime);
        Assert.Equal(published.PublishId, version.PublishId);
        Assert.Equal(Release, version.RunEnvId);
        Assert.Equal("RELEASE", version.RunEnvName);
        Assert.Equal(api.BackendApi, version.BackendApi);
        Assert.Single(version.PolicyHttps!);
        Assert.NotNull(version.SlDomain);
        Assert.NotEmpty(version.SlDomains!);
        Assert.Equal("DEFAULT", version.GroupName);

        var unknown = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetVersionAsync(fixture.Scope, "ffffffffffffffffffffffffffffffff", None));
        Assert.Equal("APIG.3022", unknown.ErrorCode);
    }

    [Fact]
    public async Task Only_the_effective_version_can_be_taken_offline()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var first = await fixture.PublishAsync(api.Id);
        var second = await fixture.PublishAsync(api.Id);

        var notEffective = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.OfflineVersionAsync(fixture.Scope, first.VersionId, None));
        Assert.Equal(404, notEffective.StatusCode);
        Assert.Equal("APIG.3015", notEffective.ErrorCode);
        Assert.Contains(first.VersionId, notEffective.Message, StringComparison.Ordinal);

        await fixture.Apis.OfflineVersionAsync(fixture.Scope, second.VersionId, None);
        Assert.Null((await fixture.Apis.GetAsync(fixture.Scope, api.Id, None)).RunEnvId);
        await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.OfflineVersionAsync(fixture.Scope, second.VersionId, None));

        var unknown = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.OfflineVersionAsync(fixture.Scope, "ffffffffffffffffffffffffffffffff", None));
        Assert.Equal("APIG.3022", unknown.ErrorCode);
    }

    [Fact]
    public async Task Batch_publishing_reports_each_api()
    {
        var fixture = await ApiFixture.CreateAsync();
        var http = await fixture.CreateAsync();
        var mock = await fixture.CreateAsync(ApiJson.Mock);
        const string unknown = "ffffffffffffffffffffffffffffffff";

        var online = await fixture.Apis.BatchPublishAsync(fixture.Scope, "online", new BatchPublishRequest { Apis = [http.Id, unknown, mock.Id, http.Id], EnvId = Release, Remark = "batch" }, None);

        Assert.Equal([http.Id, mock.Id], online.Success.Select(s => s.ApiId));
        Assert.All(online.Success, s => Assert.Equal("batch", s.Remark));
        var failure = Assert.Single(online.Failure);
        Assert.Equal(unknown, failure.ApiId);
        Assert.Null(failure.ApiName);
        Assert.Equal("APIG.3002", failure.ErrorCode);
        Assert.False(string.IsNullOrEmpty(failure.ErrorMsg));
        Assert.Equal(2, (await fixture.ListAsync(new ApiListFilter { EnvId = Release })).Total);

        await fixture.OfflineAsync(mock.Id);
        var offline = await fixture.Apis.BatchPublishAsync(fixture.Scope, "offline", new BatchPublishRequest { Apis = [http.Id, mock.Id], EnvId = Release }, None);

        Assert.Equal([http.Id], offline.Success.Select(s => s.ApiId));
        var notPublished = Assert.Single(offline.Failure);
        Assert.Equal("mock_api", notPublished.ApiName);
        Assert.Equal("APIG.3015", notPublished.ErrorCode);
        Assert.Equal(0, (await fixture.ListAsync(new ApiListFilter { EnvId = Release })).Total);
    }

    [Fact]
    public async Task Batch_publishing_a_group_takes_all_its_apis()
    {
        var fixture = await ApiFixture.CreateAsync();
        var group = await fixture.CreateGroupAsync("group_two");
        var inGroup = await fixture.CreateAsync(ApiJson.Http, $$"""{"group_id": "{{group}}"}""");
        var alsoInGroup = await fixture.CreateAsync(ApiJson.Mock, $$"""{"group_id": "{{group}}"}""");
        await fixture.CreateAsync();

        var result = await fixture.Apis.BatchPublishAsync(fixture.Scope, "online", new BatchPublishRequest { GroupId = group, EnvId = Release }, None);

        Assert.Equal([inGroup.Id, alsoInGroup.Id], result.Success.Select(s => s.ApiId));
        Assert.Empty(result.Failure);
    }

    [Fact]
    public async Task Batch_publishing_validates_the_request()
    {
        var fixture = await ApiFixture.CreateAsync();
        Task<BatchPublishResult> Batch(string? action, BatchPublishRequest request) => fixture.Apis.BatchPublishAsync(fixture.Scope, action, request, None);
        var tooMany = Enumerable.Range(0, ApiManager.MaxBatchApis + 1).Select(i => (string?)$"api{i}").ToList();

        ApiValidatorTests.AssertError(await Assert.ThrowsAsync<ApiErrorException>(() => Batch(null, new BatchPublishRequest { Apis = ["a"], EnvId = Release })), "APIG.2001", "action");
        ApiValidatorTests.AssertError(await Assert.ThrowsAsync<ApiErrorException>(() => Batch("up", new BatchPublishRequest { Apis = ["a"], EnvId = Release })), "APIG.2011", "action");
        ApiValidatorTests.AssertError(await Assert.ThrowsAsync<ApiErrorException>(() => Batch("online", new BatchPublishRequest { Apis = ["a"] })), "APIG.2001", "env_id");
        ApiValidatorTests.AssertError(await Assert.ThrowsAsync<ApiErrorException>(() => Batch("online", new BatchPublishRequest { EnvId = Release })), "APIG.2001", "apis");
        ApiValidatorTests.AssertError(await Assert.ThrowsAsync<ApiErrorException>(() => Batch("online", new BatchPublishRequest { Apis = tooMany, EnvId = Release })), "APIG.2003", "apis");
        Assert.Equal("APIG.3003", (await Assert.ThrowsAsync<ApiErrorException>(() => Batch("online", new BatchPublishRequest { Apis = ["a"], EnvId = "ffffffffffffffffffffffffffffffff" }))).ErrorCode);
        Assert.Equal("APIG.3001", (await Assert.ThrowsAsync<ApiErrorException>(() => Batch("online", new BatchPublishRequest { GroupId = "ffffffffffffffffffffffffffffffff", EnvId = Release }))).ErrorCode);
        Assert.Empty((await Batch("online", new BatchPublishRequest { Apis = tooMany.Take(ApiManager.MaxBatchApis).ToList(), EnvId = Release })).Success);
    }
}
