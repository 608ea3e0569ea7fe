using Gateway.Apig.Common;
using Gateway.Apig.GatewayResponses;
using Gateway.Store;

namespace Gateway.Core.Tests.GatewayResponses;

public sealed class GatewayResponseCatalogTests
{
    private static GatewayResponseRecord Record(string id, string groupId, bool isDefault, Dictionary<string, ResponseCustomization> customized) => new()
    {
        Id = id,
        GroupId = groupId,
        Name = isDefault ? "default" : id,
        Default = isDefault,
        CreateTime = "2025-01-01T00:00:00.0000000Z",
        UpdateTime = "2025-01-01T00:00:00.0000000Z",
        Customized = customized,
    };

    [Theory]
    [InlineData("AUTHORIZER_IDENTITIES_FAILURE", "AUTHORIZER_IDENTITY_FAILURE")]
    [InlineData("THIRD_AUTH_IDENTITIES_FAILURE", "THIRD_AUTH_IDENTITY_FAILURE")]
    [InlineData("NOT_FOUND", "NOT_FOUND")]
    [InlineData("not_found", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_accepts_the_enum_and_the_plural_garble(string? input, string? expected) =>
        Assert.Equal(expected, GatewayResponseCatalog.Normalize(input));

    [Fact]
    public void A_customization_overrides_only_what_it_sets()
    {
        var response = Record("r1", "g1", false, new()
        {
            ["THROTTLED"] = new ResponseCustomization { Status = 503, Headers = [new ResponseHeader { Key = "Retry-After", Value = "1" }] },
            ["DEFAULT_5XX"] = new ResponseCustomization { Body = "five" },
        });
        var throttled = GatewayResponseCatalog.Effective(response, "THROTTLED", 429);
        Assert.Equal(503, throttled.Status);
        Assert.Equal(GatewayResponseCatalog.DefaultBody, throttled.BodyTemplate);
        Assert.Equal("Retry-After", Assert.Single(throttled.Headers).Key);

        var five = GatewayResponseCatalog.Effective(response, "DEFAULT_5XX", 507);
        Assert.Equal(507, five.Status);
        Assert.Equal("five", five.BodyTemplate);

        Assert.Equal(404, GatewayResponseCatalog.Effective(response, "NOT_FOUND", 404).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => GatewayResponseCatalog.Effective(response, "NOPE", 500));
    }

    [Fact]
    public void The_derived_default_is_stable_per_group()
    {
        var a = GatewayResponseCatalog.DerivedDefault("group-a", "t");
        Assert.Equal(a.Id, GatewayResponseCatalog.DerivedDefault("group-a", "t").Id);
        Assert.NotEqual(a.Id, GatewayResponseCatalog.DerivedDefault("group-b", "t").Id);
        Assert.Matches("^[0-9a-f]{32}$", a.Id);
        Assert.True(a.Default);
        Assert.Equal("default", a.Name);
    }

    [Fact]
    public async Task Resolve_uses_the_named_response_of_the_group_or_falls_back_to_its_default()
    {
        var store = new InMemoryResourceStore();
        var writer = new ResourceWriter(store);
        var transaction = new StoreTransaction();
        void Put(GatewayResponseRecord record) =>
            transaction.Put(GatewayResponseKeys.Response("i1", record.Id), ResourceWriter.Serialize(record, GatewayResponseJsonContext.Default.GatewayResponseRecord));
        Put(Record("custom", "g1", false, new() { ["NOT_FOUND"] = new ResponseCustomization { Status = 410 } }));
        Put(Record("default1", "g1", true, new() { ["NOT_FOUND"] = new ResponseCustomization { Status = 418 } }));
        Put(Record("foreign", "g2", false, new() { ["NOT_FOUND"] = new ResponseCustomization { Status = 451 } }));
        Assert.True((await store.CommitAsync(transaction)).Succeeded);

        Assert.Equal(410, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g1", "custom", "NOT_FOUND", 404, default)).Status);
        Assert.Equal(418, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g1", null, "NOT_FOUND", 404, default)).Status);
        Assert.Equal(418, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g1", "deleted", "NOT_FOUND", 404, default)).Status);

        // A response of another group is never used; that group's own default is derived (nothing stored).
        Assert.Equal(418, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g1", "foreign", "NOT_FOUND", 404, default)).Status);
        Assert.Equal(404, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g3", null, "NOT_FOUND", 404, default)).Status);
        Assert.Equal(401, (await GatewayResponseManager.ResolveAsync(writer, "i1", "g3", null, "AUTHORIZER_IDENTITIES_FAILURE", 401, default)).Status);
    }
}
