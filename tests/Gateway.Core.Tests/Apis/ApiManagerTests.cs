using Gateway.Apig.Apis;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Errors;

namespace Gateway.Core.Tests.Apis;

public sealed class ApiManagerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Create_stores_the_api_and_shows_its_group()
    {
        var fixture = await ApiFixture.CreateAsync();

        var created = await fixture.CreateAsync();
        var shown = await fixture.Apis.GetAsync(fixture.Scope, created.Id, None);

        Assert.Equal("DEFAULT", created.GroupName);
        Assert.Equal("V1", created.GroupVersion);
        Assert.Null(created.RunEnvId);
        Assert.Equal(created.Id, shown.Id);
        Assert.Equal(created.BackendApi, shown.BackendApi);
        Assert.Equal(created.ReqParams!.Select(p => p.Id), shown.ReqParams!.Select(p => p.Id));
        Assert.NotNull(await fixture.Store.GetAsync(ApigKeys.Api(fixture.Scope.InstanceId, created.Id), None));
    }

    [Fact]
    public async Task Names_are_unique_per_group()
    {
        var fixture = await ApiFixture.CreateAsync();
        await fixture.CreateAsync();

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.CreateAsync(ApiJson.Http, """{"req_uri": "/other/{userId}"}"""));
        Assert.Equal("APIG.3202", error.ErrorCode);

        var otherGroup = await fixture.CreateGroupAsync("group_two");
        var elsewhere = await fixture.CreateAsync(ApiJson.Http, $$"""{"group_id": "{{otherGroup}}"}""");
        Assert.Equal("group_two", elsewhere.GroupName);
    }

    [Fact]
    public async Task Method_path_and_match_mode_are_unique_per_group()
    {
        var fixture = await ApiFixture.CreateAsync();
        await fixture.CreateAsync();

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.CreateAsync(ApiJson.Http, """{"name": "another"}"""));
        Assert.Equal("APIG.3301", error.ErrorCode);
        Assert.Contains("API name: Api_http", error.Message, StringComparison.Ordinal);

        await fixture.CreateAsync(ApiJson.Http, """{"name": "prefix", "match_mode": "SWA"}""");
        await fixture.CreateAsync(ApiJson.Http, """{"name": "posting", "req_method": "POST"}""");
        await fixture.CreateAsync(ApiJson.Http, """{"name": "anything", "req_method": "ANY"}""");
    }

    [Fact]
    public async Task An_unknown_group_is_APIG_3001()
    {
        var fixture = await ApiFixture.CreateAsync();

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.CreateAsync(ApiJson.Http, """{"group_id": "ffffffffffffffffffffffffffffffff"}"""));

        Assert.Equal("APIG.3001", error.ErrorCode);
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task Update_replaces_the_definition()
    {
        var fixture = await ApiFixture.CreateAsync();
        var created = await fixture.CreateAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await fixture.Apis.UpdateAsync(fixture.Scope, created.Id, fixture.Request(ApiJson.Mock, """{"name": "Api_http"}"""), None);

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(created.RegisterTime, updated.RegisterTime);
        Assert.NotEqual(created.UpdateTime, updated.UpdateTime);
        Assert.Equal("MOCK", updated.BackendType);
        Assert.Null(updated.BackendApi);
        Assert.Empty(updated.ReqParams!);
        Assert.Equal("DEFAULT", updated.GroupName);
        Assert.Equal("MOCK", (await fixture.Apis.GetAsync(fixture.Scope, created.Id, None)).BackendType);
    }

    [Fact]
    public async Task Update_checks_uniqueness_against_the_other_apis()
    {
        var fixture = await ApiFixture.CreateAsync();
        var first = await fixture.CreateAsync();
        var second = await fixture.CreateAsync(ApiJson.Mock);

        var renamed = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.UpdateAsync(fixture.Scope, second.Id, fixture.Request(ApiJson.Mock, """{"name": "Api_http"}"""), None));
        var samePath = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.UpdateAsync(fixture.Scope, second.Id, fixture.Request(ApiJson.Http, """{"name": "mock_api"}"""), None));
        await fixture.Apis.UpdateAsync(fixture.Scope, first.Id, fixture.Request(ApiJson.Http), None);

        Assert.Equal("APIG.3202", renamed.ErrorCode);
        Assert.Equal("APIG.3301", samePath.ErrorCode);
    }

    [Fact]
    public async Task Update_cannot_move_an_api_or_reach_a_missing_one()
    {
        var fixture = await ApiFixture.CreateAsync();
        var created = await fixture.CreateAsync();
        var otherGroup = await fixture.CreateGroupAsync("group_two");

        var moved = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.UpdateAsync(fixture.Scope, created.Id, fixture.Request(ApiJson.Http, $$"""{"group_id": "{{otherGroup}}"}"""), None));
        var missing = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.UpdateAsync(fixture.Scope, "ffffffffffffffffffffffffffffffff", fixture.Request(ApiJson.Http), None));

        Assert.Equal("APIG.2011", moved.ErrorCode);
        Assert.Contains("group_id", moved.Message, StringComparison.Ordinal);
        Assert.Equal("APIG.3002", missing.ErrorCode);
    }

    [Fact]
    public async Task Delete_refuses_a_published_api_and_removes_its_versions_afterwards()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var published = await fixture.PublishAsync(api.Id);

        var refused = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.DeleteAsync(fixture.Scope, api.Id, None));
        Assert.Equal(409, refused.StatusCode);
        Assert.Equal("APIG.3416", refused.ErrorCode);

        await fixture.OfflineAsync(api.Id);
        await fixture.Apis.DeleteAsync(fixture.Scope, api.Id, None);

        var gone = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetAsync(fixture.Scope, api.Id, None));
        Assert.Equal("APIG.3002", gone.ErrorCode);
        var versionGone = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.GetVersionAsync(fixture.Scope, published.VersionId, None));
        Assert.Equal("APIG.3022", versionGone.ErrorCode);
        Assert.Empty(await fixture.Store.ListAsync(ApigKeys.ApiVersions(fixture.Scope.InstanceId), None));
    }

    [Fact]
    public async Task A_group_with_apis_cannot_be_deleted()
    {
        var fixture = await ApiFixture.CreateAsync();
        var group = await fixture.CreateGroupAsync("group_two");
        var api = await fixture.CreateAsync(ApiJson.Http, $$"""{"group_id": "{{group}}"}""");

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Groups.DeleteAsync(fixture.Scope, group, None));
        Assert.Equal(412, error.StatusCode);
        Assert.Equal("APIG.3415", error.ErrorCode);

        await fixture.Apis.DeleteAsync(fixture.Scope, api.Id, None);
        await fixture.Groups.DeleteAsync(fixture.Scope, group, None);
    }

    [Fact]
    public async Task An_environment_with_published_apis_cannot_be_deleted_and_takes_its_versions_along()
    {
        var fixture = await ApiFixture.CreateAsync();
        var dev = await fixture.CreateEnvironmentAsync("DEV");
        var api = await fixture.CreateAsync();
        await fixture.PublishAsync(api.Id, dev);
        await fixture.PublishAsync(api.Id);

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Environments.DeleteAsync(fixture.Scope, dev, None));
        Assert.Equal(403, error.StatusCode);
        Assert.Equal("APIG.3418", error.ErrorCode);

        await fixture.OfflineAsync(api.Id, dev);
        await fixture.Environments.DeleteAsync(fixture.Scope, dev, None);

        var versions = await fixture.VersionsAsync(api.Id);
        Assert.Equal([EnvironmentManager.ReleaseId], versions.ApiVersions.Select(v => v.EnvId));
    }

    [Fact]
    public async Task List_filters_and_pages()
    {
        var fixture = await ApiFixture.CreateAsync();
        var http = await fixture.CreateAsync();
        var mock = await fixture.CreateAsync(ApiJson.Mock);
        var function = await fixture.CreateAsync(ApiJson.Function);
        var group = await fixture.CreateGroupAsync("group_two");
        var other = await fixture.CreateAsync(ApiJson.Http, $$"""{"group_id": "{{group}}", "name": "Api_http_two", "req_protocol": "HTTP", "type": 2}""");
        await fixture.PublishAsync(mock.Id);

        async Task<string[]> Names(ApiListFilter filter) => (await fixture.ListAsync(filter)).Apis.Select(api => api.Name).ToArray();

        Assert.Equal(["Api_http", "mock_api", "function_api", "Api_http_two"], await Names(new ApiListFilter()));
        Assert.Equal(["Api_http", "Api_http_two"], await Names(new ApiListFilter { Name = "api_http" }));
        Assert.Equal(["Api_http"], await Names(new ApiListFilter { Name = "Api_http", PreciseSearch = "name" }));
        Assert.Equal(["Api_http", "Api_http_two"], await Names(new ApiListFilter { ReqUri = "/users" }));
        Assert.Empty(await Names(new ApiListFilter { ReqUri = "/users", PreciseSearch = "name,req_uri" }));
        Assert.Equal(["mock_api"], await Names(new ApiListFilter { ReqUri = "/mock", PreciseSearch = "name,req_uri" }));
        Assert.Equal(["Api_http_two"], await Names(new ApiListFilter { GroupId = group }));
        Assert.Equal(["Api_http_two"], await Names(new ApiListFilter { ReqProtocol = "HTTP" }));
        Assert.Equal(["function_api"], await Names(new ApiListFilter { ReqMethod = "POST" }));
        Assert.Equal(["mock_api"], await Names(new ApiListFilter { AuthType = "IAM" }));
        Assert.Equal(["mock_api", "Api_http_two"], await Names(new ApiListFilter { Type = 2 }));
        Assert.Equal(["function_api"], await Names(new ApiListFilter { Id = function.Id }));
        Assert.Equal(["mock_api"], await Names(new ApiListFilter { EnvId = EnvironmentManager.ReleaseId }));
        Assert.Empty(await Names(new ApiListFilter { VpcChannelName = "channel" }));

        var page = await fixture.ListAsync(new ApiListFilter { Page = ListQuery.Create(1, 2) });
        Assert.Equal(4, page.Total);
        Assert.Equal(2, page.Size);
        Assert.Equal([mock.Id, function.Id], page.Apis.Select(api => api.Id));
        Assert.Equal(other.Id, (await fixture.ListAsync(new ApiListFilter { Page = ListQuery.Create(3, -5) })).Apis.Single().Id);
        Assert.Equal(http.Id, (await fixture.ListAsync(new ApiListFilter { Page = ListQuery.Create(-1, 1) })).Apis.Single().Id);
    }

    [Fact]
    public async Task List_items_leave_out_backend_details_unless_asked()
    {
        var fixture = await ApiFixture.CreateAsync();
        var http = await fixture.CreateAsync();
        await fixture.PublishAsync(http.Id);

        var brief = (await fixture.ListAsync(new ApiListFilter())).Apis.Single();
        Assert.Null(brief.BackendApi);
        Assert.Null(brief.ApiGroupInfo);
        Assert.Null(brief.BackendParams);
        Assert.Null(brief.PolicyHttps);
        Assert.Null(brief.FuncInfo);
        Assert.NotNull(brief.ReqParams);
        Assert.Equal(EnvironmentManager.ReleaseId, brief.RunEnvId);
        Assert.Equal("RELEASE", brief.RunEnvName);

        var withGroup = (await fixture.ListAsync(new ApiListFilter { ReturnDataMode = "brief,include_group" })).Apis.Single();
        Assert.Equal(fixture.DefaultGroupId, withGroup.ApiGroupInfo!.Id);
        Assert.Null(withGroup.BackendApi);

        var withBackend = (await fixture.ListAsync(new ApiListFilter { ReturnDataMode = "include_group_backend" })).Apis.Single();
        Assert.Equal(http.BackendApi!.Id, withBackend.BackendApi!.Id);
        Assert.NotNull(withBackend.ApiGroupInfo);

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.ListAsync(new ApiListFilter { ReturnDataMode = "everything" }));
        Assert.Equal("APIG.2011", error.ErrorCode);
    }

    [Fact]
    public async Task Check_reports_taken_names_and_paths()
    {
        var fixture = await ApiFixture.CreateAsync();
        var api = await fixture.CreateAsync();
        var otherGroup = await fixture.CreateGroupAsync("group_two");

        Task Check(ApiCheckRequest request) => fixture.Apis.CheckAsync(fixture.Scope, request, None);

        var name = await Assert.ThrowsAsync<ApiErrorException>(() => Check(new ApiCheckRequest { Type = "name", Name = "Api_http", GroupId = fixture.DefaultGroupId }));
        var path = await Assert.ThrowsAsync<ApiErrorException>(() => Check(new ApiCheckRequest { Type = "path", ReqMethod = "GET", ReqUri = "/users/{userId}", MatchMode = "NORMAL" }));
        Assert.Equal("APIG.3202", name.ErrorCode);
        Assert.Equal("APIG.3301", path.ErrorCode);

        await Check(new ApiCheckRequest { Type = "name", Name = "Api_http", GroupId = fixture.DefaultGroupId, ApiId = api.Id });
        await Check(new ApiCheckRequest { Type = "name", Name = "Api_http", GroupId = otherGroup });
        await Check(new ApiCheckRequest { Type = "name", Name = "free_name" });
        await Check(new ApiCheckRequest { Type = "path", ReqMethod = "GET", ReqUri = "/users/{userId}", MatchMode = "SWA" });
        await Check(new ApiCheckRequest { Type = "path", ReqMethod = "GET", ReqUri = "/users/{userId}", MatchMode = "NORMAL", ApiId = api.Id });
    }

    [Theory]
    [InlineData(null, null, null, null, "APIG.2001", "type")]
    [InlineData("both", null, null, null, "APIG.2011", "type")]
    [InlineData("name", null, null, null, "APIG.2001", "name")]
    [InlineData("name", "x", null, null, "APIG.2011", "name")]
    [InlineData("path", null, "/a", "NORMAL", "APIG.2001", "req_method")]
    [InlineData("path", "GET", null, "NORMAL", "APIG.2001", "req_uri")]
    [InlineData("path", "GET", "a", "NORMAL", "APIG.2011", "req_uri")]
    [InlineData("path", "GET", "/a", null, "APIG.2001", "match_mode")]
    [InlineData("path", "GET", "/a", "EXACT", "APIG.2011", "match_mode")]
    public async Task Check_validates_its_body(string? type, string? nameOrMethod, string? uri, string? matchMode, string code, string parameter)
    {
        var fixture = await ApiFixture.CreateAsync();
        var request = type == "path"
            ? new ApiCheckRequest { Type = type, ReqMethod = nameOrMethod, ReqUri = uri, MatchMode = matchMode }
            : new ApiCheckRequest { Type = type, Name = nameOrMethod };

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.CheckAsync(fixture.Scope, request, None));

        ApiValidatorTests.AssertError(error, code, parameter);
    }

    [Fact]
    public async Task Check_in_an_unknown_group_is_APIG_3001()
    {
        var fixture = await ApiFixture.CreateAsync();

        var error = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Apis.CheckAsync(fixture.Scope, new ApiCheckRequest { Type = "name", Name = "abc", GroupId = "ffffffffffffffffffffffffffffffff" }, None));

        Assert.Equal("APIG.3001", error.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_instance_is_APIG_3030()
    {
        var fixture = await ApiFixture.CreateAsync();
        var scope = fixture.Scope with { InstanceId = "ffffffffffffffffffffffffffffffff" };

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.Apis.CreateAsync(scope, fixture.Request(ApiJson.Http), None));

        Assert.Equal("APIG.3030", error.ErrorCode);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_one_api()
    {
        var fixture = await ApiFixture.CreateAsync();
        var attempts = Enumerable.Range(0, 16)
            .Select(i => Task.Run(async () =>
            {
                try
                {
                    await fixture.Apis.CreateAsync(fixture.Scope, fixture.Request(ApiJson.Http, $$"""{"req_uri": "/path{{i}}/{userId}"}"""), None);
                    return "created";
                }
                catch (ApiErrorException error)
                {
                    return error.ErrorCode;
                }
            }))
            .ToArray();

        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, outcome => outcome == "created");
        Assert.All(outcomes.Where(outcome => outcome != "created"), outcome => Assert.Equal("APIG.3202", outcome));
        Assert.Equal(1, (await fixture.ListAsync(new ApiListFilter())).Total);
    }
}
