using System.Net;
using Gateway.Hosting.Tests.Apig;
using Gateway.Hosting.Tests.Apis;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting.Tests.Domains;

/// <summary>3.12.2, 3.12.6, 3.12.7: certificates of custom domains, checked against a manual clock (2025-03-01).</summary>
public sealed class DomainCertificateContractTests
{
    private static Task<ApigTestHost> StartAsync() =>
        ApigTestHost.StartAsync(services => services.AddSingleton<TimeProvider>(new ManualTimeProvider()));

    private static async Task<(string GroupId, string DomainId, string Path)> DomainAsync(ApigTestHost host, string domain = "www.example.com")
    {
        var groupId = await host.CreateGroupAsync("cert_group");
        using var bound = await host.PostAsync($"{host.Instance}/api-groups/{groupId}/domains", $$"""{"url_domain":"{{domain}}"}""");
        bound.ShouldBe(HttpStatusCode.Created);
        var domainId = bound.Json.GetProperty("id").GetString()!;
        return (groupId, domainId, $"{host.Instance}/api-groups/{groupId}/domains/{domainId}/certificate");
    }

    [Fact]
    public async Task Bind_show_and_delete_a_certificate()
    {
        await using var host = await StartAsync();
        var (groupId, domainId, path) = await DomainAsync(host);
        var (certificate, key) = TestCertificates.SelfSignedRsa();

        using var bound = await host.PostAsync(path, TestCertificates.Body("cert_demo", certificate, key));
        bound.ShouldBe(HttpStatusCode.Created);
        var sslId = bound.Json.GetProperty("ssl_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", sslId);
        Assert.Equal("cert_demo", bound.Json.GetProperty("ssl_name").GetString());
        Assert.Equal(domainId, bound.Json.GetProperty("id").GetString());
        Assert.Equal("www.example.com", bound.Json.GetProperty("url_domain").GetString());
        Assert.Equal(3, bound.Json.GetProperty("status").GetInt32());
        Assert.DoesNotContain("PRIVATE KEY", bound.Body, StringComparison.Ordinal);

        using var group = await host.GetAsync($"{host.Instance}/api-groups/{groupId}");
        var mirror = group.Json.GetProperty("url_domains")[0];
        Assert.Equal(sslId, mirror.GetProperty("ssl_id").GetString());
        Assert.Equal("cert_demo", mirror.GetProperty("ssl_name").GetString());
        Assert.False(mirror.GetProperty("is_has_trusted_root_ca").GetBoolean());

        using var shown = await host.GetAsync($"{path}/{sslId}");
        shown.ShouldBe(HttpStatusCode.OK);
        var json = shown.Json;
        Assert.Equal(sslId, json.GetProperty("id").GetString());
        Assert.Equal("cert_demo", json.GetProperty("name").GetString());
        Assert.Equal("instance", json.GetProperty("type").GetString());
        Assert.Equal(host.InstanceId, json.GetProperty("instance_id").GetString());
        Assert.Equal(ApigTestHost.ProjectId, json.GetProperty("project_id").GetString());
        Assert.Equal("www.example.com", json.GetProperty("common_name").GetString());
        Assert.Equal("www.example.com", json.GetProperty("san")[0].GetString());
        Assert.Equal(3, json.GetProperty("version").GetInt32());
        Assert.Equal("Example Org", json.GetProperty("organization")[0].GetString());
        Assert.Equal("Web", json.GetProperty("organizational_unit")[0].GetString());
        Assert.Equal("Shenzhen", json.GetProperty("locality")[0].GetString());
        Assert.Equal("Guangdong", json.GetProperty("state")[0].GetString());
        Assert.Equal("CN", json.GetProperty("country")[0].GetString());
        Assert.Equal("2025-01-01T00:00:00Z", json.GetProperty("not_before").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", json.GetProperty("not_after").GetString());
        Assert.Matches("^[0-9]+$", json.GetProperty("serial_number").GetString());
        Assert.Equal("Example Org", json.GetProperty("issuer")[0].GetString());
        Assert.Equal("SHA256-RSA", json.GetProperty("signature_algorithm").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("create_time").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("update_time").GetString()));
        Assert.DoesNotContain("PRIVATE KEY", shown.Body, StringComparison.Ordinal);

        using var deleted = await host.DeleteAsync($"{path}/{sslId}");
        deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await host.GetAsync($"{path}/{sslId}");
        gone.ShouldFail(HttpStatusCode.NotFound, "APIG.3021");
        using var deletedAgain = await host.DeleteAsync($"{path}/{sslId}");
        deletedAgain.ShouldFail(HttpStatusCode.NotFound, "APIG.3021");
        using var after = await host.GetAsync($"{host.Instance}/api-groups/{groupId}");
        Assert.False(after.Json.GetProperty("url_domains")[0].TryGetProperty("ssl_id", out _));
    }

    [Fact]
    public async Task Binding_another_certificate_replaces_the_first()
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        var (first, firstKey) = TestCertificates.SelfSigned();
        var (second, secondKey) = TestCertificates.SelfSigned();
        using var one = await host.PostAsync(path, TestCertificates.Body("cert_one", first, firstKey));
        one.ShouldBe(HttpStatusCode.Created);
        using var two = await host.PostAsync(path, TestCertificates.Body("cert_two", second, secondKey));
        two.ShouldBe(HttpStatusCode.Created);
        var firstId = one.Json.GetProperty("ssl_id").GetString();
        var secondId = two.Json.GetProperty("ssl_id").GetString();
        Assert.NotEqual(firstId, secondId);
        using var old = await host.GetAsync($"{path}/{firstId}");
        old.ShouldFail(HttpStatusCode.NotFound, "APIG.3021");
        using var current = await host.GetAsync($"{path}/{secondId}");
        Assert.Equal("cert_two", current.Json.GetProperty("name").GetString());
        Assert.Equal("ECDSA-SHA256", current.Json.GetProperty("signature_algorithm").GetString());
    }

    [Fact]
    public async Task A_sec1_key_after_ec_parameters_is_accepted()
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        var (certificate, key) = TestCertificates.SelfSignedSec1();
        Assert.StartsWith("-----BEGIN EC PARAMETERS-----", key, StringComparison.Ordinal);
        using var reply = await host.PostAsync(path, TestCertificates.Body("sec1_key", certificate, key));
        reply.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_chain_in_the_documented_order_is_accepted()
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        var (chain, caFirst, key) = TestCertificates.Chain();
        using var accepted = await host.PostAsync(path, TestCertificates.Body("chained", chain, key));
        accepted.ShouldBe(HttpStatusCode.Created);
        using var shown = await host.GetAsync($"{path}/{accepted.Json.GetProperty("ssl_id").GetString()}");
        Assert.Equal("Test CA Org", shown.Json.GetProperty("issuer")[0].GetString());
        Assert.Equal("72623859790382856", shown.Json.GetProperty("serial_number").GetString());

        using var reversed = await host.PostAsync(path, TestCertificates.Body("reversed", caFirst, key));
        reversed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2104");
    }

    [Theory]
    [InlineData("www.example.com", "*.example.com", true)]
    [InlineData("a.b.example.com", "*.example.com", false)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("*.example.com", "*.example.com", true)]
    [InlineData("*.example.com", "www.example.com", false)]
    [InlineData("api.example.com", "www.example.com", false)]
    [InlineData("api.example.com", "API.EXAMPLE.COM", true)]
    public async Task The_certificate_must_cover_the_domain(string domain, string san, bool covered)
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host, domain);
        var (certificate, key) = TestCertificates.SelfSigned([san]);
        using var reply = await host.PostAsync(path, TestCertificates.Body("covering", certificate, key));
        if (covered)
        {
            reply.ShouldBe(HttpStatusCode.Created);
        }
        else
        {
            reply.ShouldFail(HttpStatusCode.BadRequest, "APIG.2103");
        }
    }

    public static TheoryData<string, string> Failures()
    {
        var (good, goodKey) = TestCertificates.SelfSigned();
        var (expired, expiredKey) = TestCertificates.SelfSigned(notBefore: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter: new DateTimeOffset(2025, 2, 28, 0, 0, 0, TimeSpan.Zero));
        var (late, lateKey) = TestCertificates.SelfSigned(notAfter: new DateTimeOffset(2038, 1, 19, 3, 14, 8, TimeSpan.Zero));
        var (noSan, noSanKey) = TestCertificates.SelfSigned(san: false);
        return new TheoryData<string, string>
        {
            { TestCertificates.Body("mismatch", good, TestCertificates.OtherKey()), "APIG.2101" },
            { TestCertificates.Body("expired", expired, expiredKey), "APIG.2102" },
            { TestCertificates.Body("encrypted", good, TestCertificates.EncryptedKey()), "APIG.2105" },
            { TestCertificates.Body("garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", goodKey), "APIG.2106" },
            { TestCertificates.Body("not_pem", "THIS IS YOUR CERT CONTENT", goodKey), "APIG.2106" },
            { TestCertificates.Body("bad_key", good, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "APIG.2106" },
            { TestCertificates.Body("key_label", good, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), "APIG.2106" },
            { TestCertificates.Body("no_san", noSan, noSanKey), "APIG.2109" },
            { TestCertificates.Body("too_late", late, lateKey), "APIG.3148" },
        };
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Bad_certificates_get_their_documented_code(string body, string code)
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        using var reply = await host.PostAsync(path, body);
        reply.ShouldFail(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_certificate_ending_at_the_limit_is_accepted()
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        var (certificate, key) = TestCertificates.SelfSigned(notAfter: new DateTimeOffset(2038, 1, 19, 3, 14, 7, TimeSpan.Zero));
        using var reply = await host.PostAsync(path, TestCertificates.Body("at_limit", certificate, key));
        reply.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("name", null, "APIG.2001")]
    [InlineData("name", "abc", "APIG.2011")]
    [InlineData("name", "1abc", "APIG.2011")]
    [InlineData("name", "cert-demo", "APIG.2011")]
    [InlineData("name", "c23456789012345678901234567890123456789012345678901", "APIG.2003")]
    [InlineData("cert_content", null, "APIG.2001")]
    [InlineData("cert_content", "", "APIG.2001")]
    [InlineData("private_key", null, "APIG.2001")]
    public async Task Bind_certificate_checks_its_fields(string field, string? value, string code)
    {
        await using var host = await StartAsync();
        var (_, _, path) = await DomainAsync(host);
        var (certificate, key) = TestCertificates.SelfSigned();
        var body = System.Text.Json.Nodes.JsonNode.Parse(TestCertificates.Body("证书_demo", certificate, key))!.AsObject();
        body[field] = value;
        using var reply = await host.PostAsync(path, body.ToJsonString());
        reply.ShouldFail(HttpStatusCode.BadRequest, code, field);
    }

    [Fact]
    public async Task Certificate_operations_check_group_domain_and_certificate()
    {
        await using var host = await StartAsync();
        var (groupId, domainId, path) = await DomainAsync(host);
        var otherGroup = await host.CreateGroupAsync("other_group");
        var (certificate, key) = TestCertificates.SelfSigned();
        using var bound = await host.PostAsync(path, TestCertificates.Body("cert_demo", certificate, key));
        var sslId = bound.Json.GetProperty("ssl_id").GetString();
        const string missing = "0123456789abcdef0123456789abcdef";

        using var wrongGroup = await host.GetAsync($"{host.Instance}/api-groups/{otherGroup}/domains/{domainId}/certificate/{sslId}");
        wrongGroup.ShouldFail(HttpStatusCode.BadRequest, "APIG.3474");
        using var wrongGroupBind = await host.PostAsync($"{host.Instance}/api-groups/{otherGroup}/domains/{domainId}/certificate", TestCertificates.Body("cert_demo", certificate, key));
        wrongGroupBind.ShouldFail(HttpStatusCode.BadRequest, "APIG.3474");
        using var unknownDomain = await host.GetAsync($"{host.Instance}/api-groups/{groupId}/domains/{missing}/certificate/{sslId}");
        unknownDomain.ShouldFail(HttpStatusCode.NotFound, "APIG.3020");
        using var unknownDomainBind = await host.PostAsync($"{host.Instance}/api-groups/{groupId}/domains/{missing}/certificate", TestCertificates.Body("cert_demo", certificate, key));
        unknownDomainBind.ShouldFail(HttpStatusCode.NotFound, "APIG.3020");
        using var unknownCertificate = await host.GetAsync($"{path}/{missing}");
        unknownCertificate.ShouldFail(HttpStatusCode.NotFound, "APIG.3021");
        using var unknownCertificateDelete = await host.DeleteAsync($"{path}/{missing}");
        unknownCertificateDelete.ShouldFail(HttpStatusCode.NotFound, "APIG.3021");
        using var malformed = await host.DeleteAsync($"{host.Instance}/api-groups/{groupId}/domains/bad$id/certificate/{sslId}");
        malformed.ShouldFail(HttpStatusCode.BadRequest, "APIG.2012", "domain_id");
        using var unknownGroup = await host.GetAsync($"{host.Instance}/api-groups/{missing}/domains/{domainId}/certificate/{sslId}");
        unknownGroup.ShouldFail(HttpStatusCode.NotFound, "APIG.3001");
    }
}
