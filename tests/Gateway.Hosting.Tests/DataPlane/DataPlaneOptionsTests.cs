using Gateway.Hosting.DataPlane;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting.Tests.DataPlane;

/// <summary>The data plane's options as registered by <c>AddGatewayDataPlane</c>: a timeout that could never work is refused when read.</summary>
public sealed class DataPlaneOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(3_000_000_000)]
    public void A_backend_connect_timeout_that_is_not_positive_or_too_long_is_refused_with_its_name(long milliseconds)
    {
        using var provider = Provider(TimeSpan.FromMilliseconds(milliseconds));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GatewayDataPlaneOptions>>().Value);
        Assert.Contains("BackendConnectTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_positive_backend_connect_timeout_is_kept()
    {
        using var provider = Provider(TimeSpan.FromMilliseconds(750));

        Assert.Equal(TimeSpan.FromMilliseconds(750), provider.GetRequiredService<IOptions<GatewayDataPlaneOptions>>().Value.BackendConnectTimeout);
    }

    private static ServiceProvider Provider(TimeSpan connectTimeout) =>
        new ServiceCollection().AddGatewayDataPlane(o => o.BackendConnectTimeout = connectTimeout).BuildServiceProvider();
}
