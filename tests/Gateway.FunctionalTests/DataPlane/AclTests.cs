using System.Net;
using System.Text.Json;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>ACL policies bound to published APIs (3.13/3.14), evaluated by the data plane over real sockets.</summary>
public sealed class AclTests
{
    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient client, string path, string address, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", address);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertDeniedAsync(HttpResponseMessage response, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_deny_ip_acl_refuses_listed_addresses_and_a_permit_acl_admits_only_listed_ones()
    {
        await using var host = await DataPlaneTestHost.StartAsync(options => options.TrustForwardedFor = true);
        var denyApi = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"deny_ip","req_method":"GET","req_uri":"/deny","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var permitApi = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"permit_ip","req_method":"GET","req_uri":"/permit","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var denyPublish = await host.PublishAsync(denyApi);
        var permitPublish = await host.PublishAsync(permitApi);
        await host.BindAclAsync(denyPublish!, "deny_list", "DENY", "IP", "10.9.0.0/16,172.16.0.1");
        await host.BindAclAsync(permitPublish!, "permit_list", "PERMIT", "IP", "10.7.0.5,10.8.0.0/24");
        using var client = host.DataPlaneClient();

        await AssertDeniedAsync(await GetFromAsync(client, "/deny", "10.9.200.1"), "APIG.0402");
        await AssertDeniedAsync(await GetFromAsync(client, "/deny", "172.16.0.1"), "APIG.0402");
        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "/deny", "10.10.0.1")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "/permit", "10.7.0.5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "/permit", "10.8.0.255")).StatusCode);
        await AssertDeniedAsync(await GetFromAsync(client, "/permit", "10.7.0.6"), "APIG.0402");
        await AssertDeniedAsync(await GetFromAsync(client, "/permit", "10.8.1.0"), "APIG.0402");
    }

    [Fact]
    public async Task An_ip_permit_and_an_account_deny_bound_together_both_apply()
    {
        // One ACL per entity type per API and environment: a PERMIT over IPs and a DENY over account names.
        await using var host = await DataPlaneTestHost.StartAsync(options =>
        {
            options.TrustForwardedFor = true;
            options.IamAccountName = "tenant_beta";
        });
        var apiId = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"both_kinds","req_method":"GET","req_uri":"/both","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var publishId = await host.PublishAsync(apiId);
        await host.BindAclAsync(publishId!, "permit_net", "PERMIT", "IP", "10.0.0.0/8");
        using var client = host.DataPlaneClient();

        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "/both", "10.1.1.2", DataPlaneTestHost.ManagementToken)).StatusCode);
        await AssertDeniedAsync(await GetFromAsync(client, "/both", "11.0.0.1", DataPlaneTestHost.ManagementToken), "APIG.0402");

        await host.BindAclAsync(publishId!, "deny_tenant", "DENY", "DOMAIN", "tenant_beta");
        await AssertDeniedAsync(await GetFromAsync(client, "/both", "10.1.1.2", DataPlaneTestHost.ManagementToken), "APIG.0306");
        await AssertDeniedAsync(await GetFromAsync(client, "/both", "11.0.0.1", DataPlaneTestHost.ManagementToken), "APIG.0402");
    }

    [Fact]
    public async Task Account_acls_apply_to_iam_callers_by_account_name_and_id()
    {
        await using var host = await DataPlaneTestHost.StartAsync(options =>
        {
            options.IamAccountName = "tenant_alpha";
            options.IamAccountId = "acc0001";
        });
        var permitApi = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"permit_account","req_method":"GET","req_uri":"/account/permit","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var denyApi = await host.CreateApiWithAuthAsync(host.DefaultGroupId, "IAM", """
            "name":"deny_account","req_method":"GET","req_uri":"/account/deny","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        var openApi = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"anonymous_permit","req_method":"GET","req_uri":"/account/anonymous","backend_type":"MOCK","mock_info":{"result_content":"ok"}
            """);
        await host.BindAclAsync((await host.PublishAsync(permitApi))!, "permit_id", "PERMIT", "DOMAIN_ID", "acc0001,acc0002");
        await host.BindAclAsync((await host.PublishAsync(denyApi))!, "deny_name", "DENY", "DOMAIN", "tenant_alpha");
        await host.BindAclAsync((await host.PublishAsync(openApi))!, "permit_name", "PERMIT", "DOMAIN", "tenant_alpha");
        using var client = host.DataPlaneClient();

        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "/account/permit", "1.1.1.1", DataPlaneTestHost.ManagementToken)).StatusCode);
        await AssertDeniedAsync(await GetFromAsync(client, "/account/deny", "1.1.1.1", DataPlaneTestHost.ManagementToken), "APIG.0306");

        // Without authentication there is no account: a PERMIT account list admits nobody.
        await AssertDeniedAsync(await GetFromAsync(client, "/account/anonymous", "1.1.1.1"), "APIG.0306");
    }
}
