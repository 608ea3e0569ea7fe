using Gateway.Apig.Apis;
using Gateway.Apig.AppAuthorizations;
using Gateway.Apig.Apps;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Errors;

namespace Gateway.Core.Tests.AppAuthorizations;

public sealed class AppAuthorizationManagerTests
{
    private const string Release = EnvironmentManager.ReleaseId;

    [Fact]
    public async Task Concurrent_authorizations_of_one_pair_store_it_once()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var app = await fixture.CreateAppAsync("app_one");
        var api = await fixture.CreateApiAsync("api_one");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            try
            {
                await fixture.AuthorizeAsync(Release, [app], [api]);
                return "created";
            }
            catch (ApiErrorException error)
            {
                return error.ErrorCode;
            }
        })));

        Assert.Single(attempts, outcome => outcome == "created");
        Assert.All(attempts.Where(outcome => outcome != "created"), code => Assert.Equal("APIG.3316", code));
        Assert.Equal(1, await fixture.CountAuthorizationsAsync());
    }

    [Fact]
    public async Task Concurrent_creations_with_one_name_or_key_create_one_app()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await fixture.Apps.CreateAsync(fixture.Scope, new AppRequest { Name = i % 2 == 0 ? "same_name" : $"name_{i}", AppKey = i % 2 == 0 ? null : "same-key-01" }, CancellationToken.None);
                return "created";
            }
            catch (ApiErrorException error)
            {
                return error.ErrorCode;
            }
        })));

        Assert.Equal(2, outcomes.Count(outcome => outcome == "created"));
        Assert.Equal(7, outcomes.Count(outcome => outcome == "APIG.3203"));
        Assert.Equal(7, outcomes.Count(outcome => outcome == "APIG.3310"));
        Assert.Equal(2, (await fixture.Apps.ListAllAsync(fixture.Scope, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Authorizing_an_app_while_it_is_deleted_leaves_no_orphan()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var api = await fixture.CreateApiAsync("api_one");
        for (var round = 0; round < 20; round++)
        {
            var app = await fixture.CreateAppAsync($"app_{round}");
            var authorize = Task.Run(async () =>
            {
                try
                {
                    await fixture.AuthorizeAsync(Release, [app], [api]);
                }
                catch (ApiErrorException error) when (error.ErrorCode == "APIG.3004")
                {
                }
            });
            var delete = Task.Run(() => fixture.Apps.DeleteAsync(fixture.Scope, app, CancellationToken.None));
            await Task.WhenAll(authorize, delete);
            Assert.Equal(0, await fixture.CountAuthorizationsAsync());
        }
    }

    [Fact]
    public async Task Deleting_an_api_or_an_environment_deletes_their_authorizations()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var app = await fixture.CreateAppAsync("app_one");
        var kept = await fixture.CreateApiAsync("api_kept");
        var doomed = await fixture.CreateApiAsync("api_doomed");
        var env = (await fixture.Environments.CreateAsync(fixture.Scope, new EnvironmentRequest { Name = "TEST_env" }, CancellationToken.None)).Id;
        await fixture.AuthorizeAsync(Release, [app], [kept, doomed]);
        await fixture.AuthorizeAsync(env, [app], [kept]);

        await fixture.Apis.DeleteAsync(fixture.Scope, doomed, CancellationToken.None);
        Assert.Equal(2, await fixture.CountAuthorizationsAsync());
        await fixture.Environments.DeleteAsync(fixture.Scope, env, CancellationToken.None);
        Assert.Equal(1, await fixture.CountAuthorizationsAsync());

        var remaining = await fixture.Authorizations.ListAuthorizedApisAsync(fixture.Scope, new AuthorizedApiFilter { AppId = app }, CancellationToken.None);
        var only = Assert.Single(remaining.Auths);
        Assert.Equal((kept, Release), (only.ApiId, only.EnvId));
    }

    [Fact]
    public async Task A_failing_pair_of_a_call_writes_nothing()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var app = await fixture.CreateAppAsync("app_one");
        var api = await fixture.CreateApiAsync("api_one");
        var revision = fixture.Store.Revision;

        var error = await Assert.ThrowsAsync<ApiErrorException>(() => fixture.AuthorizeAsync(Release, [app], [api, "0123456789abcdef0123456789abcdef"]));
        Assert.Equal("APIG.3002", error.ErrorCode);
        Assert.Equal(revision, fixture.Store.Revision);
    }

    [Fact]
    public async Task Listing_validates_before_touching_the_store()
    {
        var fixture = await CredentialFixture.CreateAsync();
        var missing = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Authorizations.ListUnauthorizedApisAsync(fixture.Scope, new UnauthorizedApiFilter { AppId = "x", EnvId = null }, CancellationToken.None));
        Assert.Equal("APIG.2001", missing.ErrorCode);
        var malformed = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Authorizations.ListAuthorizedApisAsync(fixture.Scope, new AuthorizedApiFilter { AppId = "a b" }, CancellationToken.None));
        Assert.Equal("APIG.2012", malformed.ErrorCode);
        var unknownInstance = await Assert.ThrowsAsync<ApiErrorException>(() =>
            fixture.Authorizations.ListAuthorizedAppsAsync(new ApigScope("project", "nowhere"), new AuthorizedAppFilter(), CancellationToken.None));
        Assert.Equal("APIG.3030", unknownInstance.ErrorCode);
    }
}
