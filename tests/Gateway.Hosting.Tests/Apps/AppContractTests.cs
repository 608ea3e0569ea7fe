using System.Net;
using System.Text.Json;

namespace Gateway.Hosting.Tests.Apps;

/// <summary>The REST contract of 3.28.1–3.28.7: APPs.</summary>
public sealed class AppContractTests
{
    private static readonly string[] AppObjectKeys =
        ["app_key", "app_secret", "app_type", "creator", "id", "name", "register_time", "remark", "status", "update_time"];

    [Fact]
    public async Task Create_answers_201_with_the_app_object_and_generated_credentials()
    {
        await using var host = await CredentialHost.StartAsync();
        using var created = await host.PostAsync("/apps", """{"name":"app_demo","remark":"Demo app"}""");

        created.ShouldBe(HttpStatusCode.Created);
        var app = created.Json;
        Assert.Equal(AppObjectKeys, CredentialHost.Keys(app));
        Assert.Matches("^[0-9a-f]{32}$", app.GetProperty("id").GetString());
        Assert.Equal("app_demo", app.GetProperty("name").GetString());
        Assert.Equal("Demo app", app.GetProperty("remark").GetString());
        Assert.Equal("USER", app.GetProperty("creator").GetString());
        Assert.Equal(1, app.GetProperty("status").GetInt32());
        Assert.Equal("apig", app.GetProperty("app_type").GetString());
        Assert.Matches("^[0-9a-f]{32}$", app.GetProperty("app_key").GetString());
        Assert.Matches("^[0-9a-f]{32}$", app.GetProperty("app_secret").GetString());
        Assert.NotEqual(app.GetProperty("app_key").GetString(), app.GetProperty("app_secret").GetString());
        Assert.Equal("2025-03-01T08:30:00.0000000Z", app.GetProperty("register_time").GetString());
        Assert.Equal(app.GetProperty("register_time").GetString(), app.GetProperty("update_time").GetString());

        using var shown = await host.GetAsync($"/apps/{app.GetProperty("id").GetString()}");
        shown.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(created.Body, shown.Body);
    }

    [Fact]
    public async Task Custom_key_and_secret_are_kept_and_empty_ones_are_generated()
    {
        await using var host = await CredentialHost.StartAsync();
        using var custom = await host.PostAsync("/apps", """{"name":"custom_app","app_key":"my-Key_0001","app_secret":"S3cret!@#$%_-x"}""");
        custom.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("my-Key_0001", custom.Json.GetProperty("app_key").GetString());
        Assert.Equal("S3cret!@#$%_-x", custom.Json.GetProperty("app_secret").GetString());

        using var empty = await host.PostAsync("/apps", """{"name":"empty_app","app_key":"","app_secret":""}""");
        empty.ShouldBe(HttpStatusCode.Created);
        Assert.Matches("^[0-9a-f]{32}$", empty.Json.GetProperty("app_key").GetString());
        Assert.Matches("^[0-9a-f]{32}$", empty.Json.GetProperty("app_secret").GetString());
    }

    [Fact]
    public async Task Generated_credentials_differ_between_apps()
    {
        await using var host = await CredentialHost.StartAsync();
        var keys = new HashSet<string>();
        var secrets = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var created = await host.PostAsync("/apps", $$"""{"name":"app_{{i}}"}""");
            Assert.True(keys.Add(created.Json.GetProperty("app_key").GetString()!));
            Assert.True(secrets.Add(created.Json.GetProperty("app_secret").GetString()!));
        }
    }

    [Theory]
    [InlineData("{}", "APIG.2001", "name")]
    [InlineData("""{"name":""}""", "APIG.2001", "name")]
    [InlineData("""{"name":"ab"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"1abc"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"_abc"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"ab-c"}""", "APIG.2011", "name")]
    [InlineData("""{"name":"a@65"}""", "APIG.2003", "name")]
    [InlineData("""{"name":"abc","remark":"r@256"}""", "APIG.2003", "remark")]
    [InlineData("""{"name":"abc","remark":7}""", "APIG.2012", "remark")]
    [InlineData("""{"name":"abc","app_key":"short"}""", "APIG.2011", "app_key")]
    [InlineData("""{"name":"abc","app_key":"_startsbad"}""", "APIG.2011", "app_key")]
    [InlineData("""{"name":"abc","app_key":"-startsbad"}""", "APIG.2011", "app_key")]
    [InlineData("""{"name":"abc","app_key":"has!bang1"}""", "APIG.2011", "app_key")]
    [InlineData("""{"name":"abc","app_key":"k@201"}""", "APIG.2003", "app_key")]
    [InlineData("""{"name":"abc","app_secret":"1234567"}""", "APIG.2011", "app_secret")]
    [InlineData("""{"name":"abc","app_secret":"!startsbad"}""", "APIG.2011", "app_secret")]
    [InlineData("""{"name":"abc","app_secret":"has^caret"}""", "APIG.2011", "app_secret")]
    [InlineData("""{"name":"abc","app_secret":"has space"}""", "APIG.2011", "app_secret")]
    [InlineData("""{"name":"abc","app_secret":"s@129"}""", "APIG.2003", "app_secret")]
    public async Task Create_and_update_reject_bad_input(string body, string code, string parameter)
    {
        await using var host = await CredentialHost.StartAsync();
        var expanded = Expand(body);
        using var created = await host.PostAsync("/apps", expanded);
        created.ShouldFail(HttpStatusCode.BadRequest, code, parameter);

        var appId = await host.CreateAppAsync("existing_app");
        using var updated = await host.PutAsync($"/apps/{appId}", expanded);
        updated.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Longest_values_are_accepted()
    {
        await using var host = await CredentialHost.StartAsync();
        var body = $$"""{"name":"a{{new string('b', 63)}}","remark":"{{new string('r', 255)}}","app_key":"k{{new string('-', 199)}}","app_secret":"s{{new string('%', 127)}}"}""";
        using var created = await host.PostAsync("/apps", body);
        created.ShouldBe(HttpStatusCode.Created);
        using var chinese = await host.PostAsync("/apps", """{"name":"应用_一"}""");
        chinese.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Malformed_bodies_are_parameter_errors()
    {
        await using var host = await CredentialHost.StartAsync();
        using var broken = await host.PostAsync("/apps", """{"name":""");
        broken.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
        using var empty = await host.PostAsync("/apps", "");
        empty.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
        using var array = await host.PostAsync("/apps", "[]");
        array.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
    }

    [Fact]
    public async Task Names_and_app_keys_are_unique_in_the_instance()
    {
        await using var host = await CredentialHost.StartAsync();
        var first = await host.CreateAppAsync("first_app", ""","app_key":"shared-key-1" """);
        var second = await host.CreateAppAsync("second_app");

        using var sameName = await host.PostAsync("/apps", """{"name":"first_app"}""");
        sameName.ShouldFail(HttpStatusCode.BadRequest, "APIG.3203");
        using var sameKey = await host.PostAsync("/apps", """{"name":"third_app","app_key":"shared-key-1"}""");
        sameKey.ShouldFail(HttpStatusCode.BadRequest, "APIG.3310", "app_key");
        using var renameClash = await host.PutAsync($"/apps/{second}", """{"name":"first_app"}""");
        renameClash.ShouldFail(HttpStatusCode.BadRequest, "APIG.3203");
        using var rekeyClash = await host.PutAsync($"/apps/{second}", """{"name":"second_app","app_key":"shared-key-1"}""");
        rekeyClash.ShouldFail(HttpStatusCode.BadRequest, "APIG.3310", "app_key");
        using var keepOwn = await host.PutAsync($"/apps/{first}", """{"name":"first_app","app_key":"shared-key-1"}""");
        keepOwn.ShouldBe(HttpStatusCode.Created);

        // Names compare exactly: a different case is another name.
        using var otherCase = await host.PostAsync("/apps", """{"name":"FIRST_app"}""");
        otherCase.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_answers_201_replaces_name_and_remark_and_keeps_credentials_unless_given()
    {
        await using var host = await CredentialHost.StartAsync();
        using var created = await host.PostAsync("/apps", """{"name":"app_demo","remark":"Demo app"}""");
        var app = created.Json;
        var appId = app.GetProperty("id").GetString()!;
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        using var renamed = await host.PutAsync($"/apps/{appId}", """{"name":"app_renamed"}""");
        renamed.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(AppObjectKeys.Where(key => key != "remark"), CredentialHost.Keys(renamed.Json));
        Assert.Equal("app_renamed", renamed.Json.GetProperty("name").GetString());
        Assert.Equal(app.GetProperty("app_key").GetString(), renamed.Json.GetProperty("app_key").GetString());
        Assert.Equal(app.GetProperty("app_secret").GetString(), renamed.Json.GetProperty("app_secret").GetString());
        Assert.Equal(app.GetProperty("register_time").GetString(), renamed.Json.GetProperty("register_time").GetString());
        Assert.Equal("2025-03-01T08:31:00.0000000Z", renamed.Json.GetProperty("update_time").GetString());

        using var rekeyed = await host.PutAsync($"/apps/{appId}", """{"name":"app_renamed","remark":"new","app_key":"new-key-123","app_secret":"new-secret-123"}""");
        rekeyed.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("new-key-123", rekeyed.Json.GetProperty("app_key").GetString());
        Assert.Equal("new-secret-123", rekeyed.Json.GetProperty("app_secret").GetString());
        Assert.Equal("new", rekeyed.Json.GetProperty("remark").GetString());

        using var shown = await host.GetAsync($"/apps/{appId}");
        Assert.Equal(rekeyed.Body, shown.Body);
    }

    [Fact]
    public async Task Reset_secret_generates_or_takes_a_secret_and_answers_200()
    {
        await using var host = await CredentialHost.StartAsync();
        using var created = await host.PostAsync("/apps", """{"name":"app_demo"}""");
        var appId = created.Json.GetProperty("id").GetString()!;
        var secret = created.Json.GetProperty("app_secret").GetString();
        host.Clock.Advance(TimeSpan.FromSeconds(5));

        using var noBody = await host.PutAsync($"/apps/secret/{appId}", null);
        noBody.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(AppObjectKeys.Where(key => key != "remark"), CredentialHost.Keys(noBody.Json));
        var generated = noBody.Json.GetProperty("app_secret").GetString();
        Assert.Matches("^[0-9a-f]{32}$", generated);
        Assert.NotEqual(secret, generated);
        Assert.Equal(created.Json.GetProperty("app_key").GetString(), noBody.Json.GetProperty("app_key").GetString());
        Assert.Equal("2025-03-01T08:30:05.0000000Z", noBody.Json.GetProperty("update_time").GetString());

        using var emptyObject = await host.PutAsync($"/apps/secret/{appId}", "{}");
        emptyObject.ShouldBe(HttpStatusCode.OK);
        Assert.NotEqual(generated, emptyObject.Json.GetProperty("app_secret").GetString());

        using var custom = await host.PutAsync($"/apps/secret/{appId}", """{"app_secret":"Chosen_secret-1"}""");
        custom.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Chosen_secret-1", custom.Json.GetProperty("app_secret").GetString());
        using var shown = await host.GetAsync($"/apps/{appId}");
        Assert.Equal("Chosen_secret-1", shown.Json.GetProperty("app_secret").GetString());

        using var invalid = await host.PutAsync($"/apps/secret/{appId}", """{"app_secret":"bad secret"}""");
        invalid.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "app_secret");
        using var broken = await host.PutAsync($"/apps/secret/{appId}", """{"app_secret":""");
        broken.ShouldFail(HttpStatusCode.BadRequest, "APIG.2000");
    }

    [Fact]
    public async Task Validation_shows_only_id_name_and_remark()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("app_demo", ""","remark":"Demo app" """);
        using var check = await host.GetAsync($"/apps/validation/{appId}");
        check.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["id", "name", "remark"], CredentialHost.Keys(check.Json));
        Assert.Equal(appId, check.Json.GetProperty("id").GetString());
        Assert.Equal("app_demo", check.Json.GetProperty("name").GetString());
        Assert.Equal("Demo app", check.Json.GetProperty("remark").GetString());
    }

    [Theory]
    [InlineData("PUT", "/apps/{0}", """{"name":"abc"}""")]
    [InlineData("DELETE", "/apps/{0}", null)]
    [InlineData("GET", "/apps/{0}", null)]
    [InlineData("PUT", "/apps/secret/{0}", null)]
    [InlineData("GET", "/apps/validation/{0}", null)]
    [InlineData("POST", "/apps/{0}/app-codes", """{"app_code":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}""")]
    [InlineData("PUT", "/apps/{0}/app-codes", null)]
    [InlineData("GET", "/apps/{0}/app-codes", null)]
    [InlineData("GET", "/apps/{0}/app-codes/0123456789abcdef0123456789abcdef", null)]
    [InlineData("DELETE", "/apps/{0}/app-codes/0123456789abcdef0123456789abcdef", null)]
    [InlineData("GET", "/apps/{0}/bound-quota", null)]
    [InlineData("PUT", "/apps/{0}/app-acl", """{"app_acl_type":"PERMIT","app_acl_values":["10.0.0.1"]}""")]
    [InlineData("GET", "/apps/{0}/app-acl", null)]
    [InlineData("DELETE", "/apps/{0}/app-acl", null)]
    public async Task An_unknown_app_is_APIG_3004_and_a_malformed_id_APIG_2012(string method, string path, string? body)
    {
        await using var host = await CredentialHost.StartAsync();
        const string missing = "356de8eb7a8742168586e5daf5339965";
        using var notFound = await host.Host.SendAsync(new HttpMethod(method), host.Host.Instance + string.Format(path, missing), body);
        notFound.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
        Assert.Contains(missing, notFound.Json.GetProperty("error_msg").GetString(), StringComparison.Ordinal);

        using var malformed = await host.Host.SendAsync(new HttpMethod(method), host.Host.Instance + string.Format(path, "bad%20id"), body);
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "app_id");
    }

    [Fact]
    public async Task An_unknown_instance_is_APIG_3030()
    {
        await using var host = await CredentialHost.StartAsync();
        var instance = $"/v2/{Apig.ApigTestHost.ProjectId}/apigw/instances/0123456789abcdef0123456789abcdef";
        using var create = await host.Host.PostAsync($"{instance}/apps", """{"name":"abc"}""");
        create.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
        using var list = await host.Host.GetAsync($"{instance}/apps");
        list.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task List_is_newest_first_with_bind_num_filters_and_pagination()
    {
        await using var host = await CredentialHost.StartAsync();
        var alpha = await host.CreateAppAsync("alpha_app", ""","app_key":"alpha-key-1" """);
        var beta = await host.CreateAppAsync("beta_app");
        var alphabet = await host.CreateAppAsync("alpha_app_two");
        var apiId = await host.CreateApiAsync("Api_one");
        var otherApi = await host.CreateApiAsync("Api_two");
        await host.AuthorizeAsync(CredentialHost.Release, [alpha], [apiId, otherApi]);

        using var all = await host.GetAsync("/apps");
        all.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["apps", "size", "total"], CredentialHost.Keys(all.Json));
        Assert.Equal(3, all.Json.GetProperty("total").GetInt64());
        Assert.Equal(3, all.Json.GetProperty("size").GetInt32());
        var apps = all.Json.GetProperty("apps");
        Assert.Equal([alphabet, beta, alpha], CredentialHost.Strings(apps, "id"));
        Assert.Equal(AppObjectKeys.Where(key => key != "remark").Append("bind_num").Order(StringComparer.Ordinal), CredentialHost.Keys(apps[2]));
        Assert.Equal([0, 0, 2], apps.EnumerateArray().Select(app => app.GetProperty("bind_num").GetInt32()));

        await AssertIds(host, "/apps?name=alpha", alphabet, alpha);
        await AssertIds(host, "/apps?name=ALPHA", alphabet, alpha);
        await AssertIds(host, "/apps?name=alpha_app&precise_search=name", alpha);
        await AssertIds(host, $"/apps?id={beta}", beta);
        await AssertIds(host, "/apps?app_key=alpha-key-1", alpha);
        await AssertIds(host, "/apps?app_key=alpha-key", []);
        await AssertIds(host, "/apps?creator=USER", alphabet, beta, alpha);
        await AssertIds(host, "/apps?creator=MARKET", []);
        await AssertIds(host, "/apps?creator=&name=&id=&app_key=&status=", alphabet, beta, alpha);
        await AssertIds(host, "/apps?status=1", alphabet, beta, alpha);
        await AssertIds(host, "/apps?status=2", []);
        await AssertPageAsync(host, "/apps?offset=1&limit=1", beta);
        await AssertPageAsync(host, "/apps?offset=-4&limit=0", alphabet, beta, alpha);
        await AssertPageAsync(host, "/apps?offset=5");

        using var paged = await host.GetAsync("/apps?offset=2&limit=600");
        Assert.Equal(3, paged.Json.GetProperty("total").GetInt64());
        Assert.Equal(1, paged.Json.GetProperty("size").GetInt32());

        using var badCreator = await host.GetAsync("/apps?creator=ROBOT");
        badCreator.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "creator");
        using var badStatus = await host.GetAsync("/apps?status=one");
        badStatus.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "status");
        using var badOffset = await host.GetAsync("/apps?offset=x");
        badOffset.ShouldFail(HttpStatusCode.BadRequest, "APIG.2011", "offset");
    }

    [Fact]
    public async Task Delete_answers_204_and_takes_codes_acl_authorizations_and_quota_binding_along()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("doomed_app");
        var keptId = await host.CreateAppAsync("kept_app");
        var apiId = await host.CreateApiAsync("Api_one");
        await host.AuthorizeAsync(CredentialHost.Release, [appId, keptId], [apiId]);
        using (var code = await host.PutAsync($"/apps/{appId}/app-codes", null))
        {
            code.ShouldBe(HttpStatusCode.Created);
        }

        using (var acl = await host.PutAsync($"/apps/{appId}/app-acl", """{"app_acl_type":"DENY","app_acl_values":["10.0.0.1"]}"""))
        {
            acl.ShouldBe(HttpStatusCode.Created);
        }

        using var quota = await host.PostAsync("/app-quotas", """{"name":"quota_one","call_limits":10,"time_unit":"MINUTE","time_interval":1}""");
        var quotaId = quota.Json.GetProperty("app_quota_id").GetString()!;
        using (var bound = await host.PostAsync($"/app-quotas/{quotaId}/binding-apps", $$"""{"app_ids":["{{appId}}"]}"""))
        {
            bound.ShouldBe(HttpStatusCode.Created);
        }

        using var deleted = await host.DeleteAsync($"/apps/{appId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal("", deleted.Body);
        using var again = await host.DeleteAsync($"/apps/{appId}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");
        using var shown = await host.GetAsync($"/apps/{appId}");
        shown.ShouldFail(HttpStatusCode.NotFound, "APIG.3004");

        using var authorized = await host.GetAsync($"/app-auths/binded-apps?api_id={apiId}");
        Assert.Equal([keptId], CredentialHost.Strings(authorized.Json.GetProperty("auths"), "app_id"));
        using var quotaAfter = await host.GetAsync($"/app-quotas/{quotaId}");
        Assert.Equal(0, quotaAfter.Json.GetProperty("bound_app_num").GetInt32());

        // Nothing of the APP is left in the store.
        var store = (Gateway.Store.IResourceStore)host.Host.Services.GetService(typeof(Gateway.Store.IResourceStore))!;
        foreach (var collection in new[] { "app-codes/", "app-acls/", "app-quota-bindings/", "app-auths/" })
        {
            var entries = await store.ListAsync($"apig/inst/{host.Host.InstanceId}/{collection}", CancellationToken.None);
            Assert.DoesNotContain(entries, entry => entry.Key.Contains(appId, StringComparison.Ordinal) || entry.Value.Span.IndexOf(System.Text.Encoding.UTF8.GetBytes(appId)) >= 0);
        }
    }

    [Fact]
    public async Task The_stored_record_has_the_documented_top_level_fields()
    {
        await using var host = await CredentialHost.StartAsync();
        var appId = await host.CreateAppAsync("stored_app", ""","app_key":"stored-key-1","app_secret":"stored-secret-1" """);
        var store = (Gateway.Store.IResourceStore)host.Host.Services.GetService(typeof(Gateway.Store.IResourceStore))!;
        var entry = await store.GetAsync($"apig/inst/{host.Host.InstanceId}/apps/{appId}", CancellationToken.None);
        Assert.NotNull(entry);
        using var stored = JsonDocument.Parse(entry.Value);
        Assert.Equal(appId, stored.RootElement.GetProperty("id").GetString());
        Assert.Equal("stored_app", stored.RootElement.GetProperty("name").GetString());
        Assert.Equal("stored-key-1", stored.RootElement.GetProperty("app_key").GetString());
        Assert.Equal("stored-secret-1", stored.RootElement.GetProperty("app_secret").GetString());
    }

    /// <summary>A filter: the matching APPs, all on the first page.</summary>
    private static async Task AssertIds(CredentialHost host, string path, params string[] expected)
    {
        using var list = await host.GetAsync(path);
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, CredentialHost.Strings(list.Json.GetProperty("apps"), "id"));
        Assert.Equal(expected.Length, list.Json.GetProperty("total").GetInt64());
    }

    /// <summary>A page of all three APPs.</summary>
    private static async Task AssertPageAsync(CredentialHost host, string path, params string[] expected)
    {
        using var list = await host.GetAsync(path);
        list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, CredentialHost.Strings(list.Json.GetProperty("apps"), "id"));
        Assert.Equal(expected.Length, list.Json.GetProperty("size").GetInt32());
        Assert.Equal(3, list.Json.GetProperty("total").GetInt64());
    }

    /// <summary>Expands <c>c@N</c> inside a JSON string into the character c repeated N times.</summary>
    private static string Expand(string body) =>
        System.Text.RegularExpressions.Regex.Replace(body, @"(.)@(\d+)", match =>
            new string(match.Groups[1].Value[0], int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
}
