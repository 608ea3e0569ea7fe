using System.Net;
using System.Text.Json;
using Gateway.Hosting.Tests.Apig;

namespace Gateway.Hosting.Tests.Domains;

public sealed class DomainContractTests
{
    private static string Domains(ApigTestHost host, string groupId) => $"{host.Instance}/api-groups/{groupId}/domains";

    private static async Task<string> BindAsync(ApigTestHost host, string groupId, string domain)
    {
        using var reply = await host.PostAsync(Domains(host, groupId), $$"""{"url_domain":"{{domain}}"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> GroupAsync(ApigTestHost host, string groupId)
    {
        using var reply = await host.GetAsync($"{host.Instance}/api-groups/{groupId}");
        reply.ShouldBe(HttpStatusCode.OK);
        return reply.Json.Clone();
    }

    [Fact]
    public async Task Bind_returns_the_domain_object_and_the_group_lists_it()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        using var reply = await host.PostAsync(Domains(host, groupId), """{"url_domain":"www.company.com"}""");
        reply.ShouldBe(HttpStatusCode.Created);
        var json = reply.Json;
        var id = json.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("www.company.com", json.GetProperty("url_domain").GetString());
        Assert.Equal(3, json.GetProperty("status").GetInt32());
        Assert.Equal("TLSv1.1", json.GetProperty("min_ssl_version").GetString());
        Assert.False(json.GetProperty("is_http_redirect_to_https").GetBoolean());
        Assert.False(json.GetProperty("verified_client_certificate_enabled").GetBoolean());
        Assert.False(json.TryGetProperty("ssl_id", out _));

        var group = await GroupAsync(host, groupId);
        var mirror = group.GetProperty("url_domains")[0];
        Assert.Equal(id, mirror.GetProperty("id").GetString());
        Assert.Equal("www.company.com", mirror.GetProperty("domain").GetString());
        Assert.Equal(3, mirror.GetProperty("cname_status").GetInt32());
        Assert.Equal("TLSv1.1", mirror.GetProperty("min_ssl_version").GetString());
    }

    [Fact]
    public async Task Bind_takes_the_optional_settings_and_normalizes_the_name()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        using var reply = await host.PostAsync(Domains(host, groupId), """{"url_domain":"API.Example.COM.","min_ssl_version":"TLSv1.2","is_http_redirect_to_https":true}""");
        reply.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("api.example.com", reply.Json.GetProperty("url_domain").GetString());
        Assert.Equal("TLSv1.2", reply.Json.GetProperty("min_ssl_version").GetString());
        Assert.True(reply.Json.GetProperty("is_http_redirect_to_https").GetBoolean());

        using var wildcard = await host.PostAsync(Domains(host, groupId), """{"url_domain":"*.apps.example.com"}""");
        wildcard.ShouldBe(HttpStatusCode.Created);
        using var longest = await host.PostAsync(Domains(host, groupId), $$"""{"url_domain":"{{new string('a', 63)}}.{{new string('b', 63)}}.{{new string('c', 63)}}.{{new string('d', 61)}}"}""");
        longest.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{}""", "APIG.2001", "url_domain")]
    [InlineData("""{"url_domain":""}""", "APIG.2001", "url_domain")]
    [InlineData("""{"url_domain":"localhost"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"-a.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"a-.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"a..example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"a_b.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"exa mple.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"192.168.0.1"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"www.example.com:8443"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"http://www.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"*.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"a.*.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"f*.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"例子.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":"x.apig.localhost"}""", "APIG.2024", "url_domain")]
    [InlineData("""{"url_domain":7}""", "APIG.2012", "url_domain")]
    [InlineData("""{"url_domain":"www.example.com","min_ssl_version":"TLSv1.3"}""", "APIG.2011", "min_ssl_version")]
    [InlineData("""{"url_domain":"www.example.com","is_http_redirect_to_https":"yes"}""", "APIG.2012", "is_http_redirect_to_https")]
    public async Task Bind_rejects_bad_input(string body, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        using var reply = await host.PostAsync(Domains(host, groupId), body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Over_long_names_are_too_large()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var name = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".com";
        using var reply = await host.PostAsync(Domains(host, groupId), $$"""{"url_domain":"{{name}}"}""");
        reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2003", "url_domain");
    }

    [Fact]
    public async Task A_name_is_bound_once_anywhere()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var otherId = await host.CreateGroupAsync("other_group");
        await BindAsync(host, groupId, "www.example.com");

        using var same = await host.PostAsync(Domains(host, groupId), """{"url_domain":"www.example.com"}""");
        same.ShouldFail(HttpStatusCode.BadRequest, "APIG.3305");
        using var other = await host.PostAsync(Domains(host, otherId), """{"url_domain":"WWW.EXAMPLE.COM"}""");
        other.ShouldFail(HttpStatusCode.BadRequest, "APIG.3305");

        // Another instance of the same store can't take it either.
        using var instance = await host.PostAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances",
            """{"instance_name":"second_gw","spec_id":"BASIC","vpc_id":"v","subnet_id":"s","security_group_id":"g","available_zone_ids":["az1"]}""");
        instance.ShouldBe(HttpStatusCode.Accepted);
        var secondInstance = $"/v2/{ApigTestHost.ProjectId}/apigw/instances/{instance.Json.GetProperty("instance_id").GetString()}";
        using var groups = await host.GetAsync($"{secondInstance}/api-groups");
        var secondGroup = groups.Json.GetProperty("groups")[0].GetProperty("id").GetString();
        using var elsewhere = await host.PostAsync($"{secondInstance}/api-groups/{secondGroup}/domains", """{"url_domain":"www.example.com"}""");
        elsewhere.ShouldFail(HttpStatusCode.BadRequest, "APIG.3305");
        using var fine = await host.PostAsync($"{secondInstance}/api-groups/{secondGroup}/domains", """{"url_domain":"api.example.com"}""");
        fine.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task At_most_five_domains_per_group()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        for (var i = 0; i < 5; i++)
        {
            await BindAsync(host, groupId, $"d{i}.example.com");
        }

        using var sixth = await host.PostAsync(Domains(host, groupId), """{"url_domain":"d5.example.com"}""");
        sixth.ShouldFail(HttpStatusCode.Forbidden, "APIG.3108");
        Assert.Equal(5, (await GroupAsync(host, groupId)).GetProperty("url_domains").GetArrayLength());

        // Another group has its own five.
        var otherId = await host.CreateGroupAsync("other_group");
        await BindAsync(host, otherId, "d5.example.com");
    }

    [Fact]
    public async Task Update_changes_the_settings_with_status_201()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var id = await BindAsync(host, groupId, "www.example.com");
        using var updated = await host.PutAsync($"{Domains(host, groupId)}/{id}", """{"min_ssl_version":"TLSv1.2","is_http_redirect_to_https":true,"verified_client_certificate_enabled":true}""");
        updated.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(id, updated.Json.GetProperty("id").GetString());
        Assert.Equal("www.example.com", updated.Json.GetProperty("url_domain").GetString());
        Assert.Equal("TLSv1.2", updated.Json.GetProperty("min_ssl_version").GetString());
        Assert.True(updated.Json.GetProperty("is_http_redirect_to_https").GetBoolean());
        Assert.True(updated.Json.GetProperty("verified_client_certificate_enabled").GetBoolean());

        var mirror = (await GroupAsync(host, groupId)).GetProperty("url_domains")[0];
        Assert.Equal("TLSv1.2", mirror.GetProperty("min_ssl_version").GetString());
        Assert.True(mirror.GetProperty("verified_client_certificate_enabled").GetBoolean());

        // Flags left out keep their value.
        using var again = await host.PutAsync($"{Domains(host, groupId)}/{id}", """{"min_ssl_version":"TLSv1.1"}""");
        again.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("TLSv1.1", again.Json.GetProperty("min_ssl_version").GetString());
        Assert.True(again.Json.GetProperty("is_http_redirect_to_https").GetBoolean());
    }

    [Theory]
    [InlineData("""{}""", "APIG.2001", "min_ssl_version")]
    [InlineData("""{"min_ssl_version":"SSLv3"}""", "APIG.2011", "min_ssl_version")]
    [InlineData("""{"min_ssl_version":"TLSv1.2","verified_client_certificate_enabled":1}""", "APIG.2012", "verified_client_certificate_enabled")]
    public async Task Update_rejects_bad_input(string body, string code, string parameter)
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var id = await BindAsync(host, groupId, "www.example.com");
        using var reply = await host.PutAsync($"{Domains(host, groupId)}/{id}", body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code, parameter);
    }

    [Fact]
    public async Task Domain_operations_check_group_and_domain()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var otherId = await host.CreateGroupAsync("other_group");
        var id = await BindAsync(host, groupId, "www.example.com");
        const string missing = "0123456789abcdef0123456789abcdef";
        const string update = """{"min_ssl_version":"TLSv1.2"}""";

        using var wrongGroup = await host.PutAsync($"{Domains(host, otherId)}/{id}", update);
        wrongGroup.ShouldFail(HttpStatusCode.BadRequest, "APIG.3474");
        using var wrongGroupDelete = await host.DeleteAsync($"{Domains(host, otherId)}/{id}");
        wrongGroupDelete.ShouldFail(HttpStatusCode.BadRequest, "APIG.3474");
        using var unknownDomain = await host.PutAsync($"{Domains(host, groupId)}/{missing}", update);
        unknownDomain.ShouldFail(HttpStatusCode.NotFound, "APIG.3020");
        using var unknownDelete = await host.DeleteAsync($"{Domains(host, groupId)}/{missing}");
        unknownDelete.ShouldFail(HttpStatusCode.NotFound, "APIG.3020");
        using var unknownGroup = await host.PostAsync(Domains(host, missing), """{"url_domain":"a.example.com"}""");
        unknownGroup.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var unknownGroupUpdate = await host.PutAsync($"{Domains(host, missing)}/{id}", update);
        unknownGroupUpdate.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
        using var malformed = await host.DeleteAsync($"{Domains(host, groupId)}/bad$id");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "domain_id");
        using var instance = await host.PostAsync($"/v2/{ApigTestHost.ProjectId}/apigw/instances/ffffffffffffffffffffffffffffffff/api-groups/{groupId}/domains", """{"url_domain":"a.example.com"}""");
        instance.ShouldFail(HttpStatusCode.NotFound, "APIG.3030");
    }

    [Fact]
    public async Task Unbind_removes_the_domain_and_frees_the_name()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var otherId = await host.CreateGroupAsync("other_group");
        var id = await BindAsync(host, groupId, "www.example.com");
        await BindAsync(host, groupId, "api.example.com");

        using var unbound = await host.DeleteAsync($"{Domains(host, groupId)}/{id}");
        unbound.ShouldBe(HttpStatusCode.NoContent);
        var domains = (await GroupAsync(host, groupId)).GetProperty("url_domains");
        Assert.Equal(1, domains.GetArrayLength());
        Assert.Equal("api.example.com", domains[0].GetProperty("domain").GetString());
        using var again = await host.DeleteAsync($"{Domains(host, groupId)}/{id}");
        again.ShouldFail(HttpStatusCode.NotFound, "APIG.3020");

        await BindAsync(host, otherId, "www.example.com");
    }

    [Fact]
    public async Task Deleting_the_group_frees_its_names()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var id = await BindAsync(host, groupId, "www.example.com");
        using var deleted = await host.DeleteAsync($"{host.Instance}/api-groups/{groupId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);

        var store = (Gateway.Store.IResourceStore)host.Services.GetService(typeof(Gateway.Store.IResourceStore))!;
        Assert.Null(await store.GetAsync(Gateway.Apig.Domains.DomainKeys.Domain(host.InstanceId, id)));

        var otherId = await host.CreateGroupAsync("other_group");
        await BindAsync(host, otherId, "www.example.com");
    }

    [Fact]
    public async Task The_debug_domain_switch_sets_the_group_flag()
    {
        await using var host = await ApigTestHost.StartAsync();
        var groupId = await host.CreateGroupAsync("domain_group");
        var path = $"{host.Instance}/api-groups/{groupId}/sl-domain-access-settings";
        using var off = await host.PutAsync(path, """{"sl_domain_access_enabled":false}""");
        off.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal("", off.Body);
        Assert.False((await GroupAsync(host, groupId)).GetProperty("sl_domain_access_enabled").GetBoolean());
        using var on = await host.PutAsync(path, """{"sl_domain_access_enabled":true}""");
        on.ShouldBe(HttpStatusCode.NoContent);
        Assert.True((await GroupAsync(host, groupId)).GetProperty("sl_domain_access_enabled").GetBoolean());

        using var missing = await host.PutAsync(path, """{}""");
        missing.ShouldFail(HttpStatusCode.BadRequest, "APIG.2001", "sl_domain_access_enabled");
        using var wrongType = await host.PutAsync(path, """{"sl_domain_access_enabled":"no"}""");
        wrongType.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "sl_domain_access_enabled");
        using var unknownGroup = await host.PutAsync($"{host.Instance}/api-groups/0123456789abcdef0123456789abcdef/sl-domain-access-settings", """{"sl_domain_access_enabled":true}""");
        unknownGroup.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
    }
}
