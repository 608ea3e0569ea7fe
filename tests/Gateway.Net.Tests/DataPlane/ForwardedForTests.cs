using System.Text;
using Gateway.Net.DataPlane;

namespace Gateway.Net.Tests.DataPlane;

public sealed class ForwardedForTests
{
    [Theory]
    [InlineData("IP1, IP2, IP3", 0, "IP1")]
    [InlineData("IP1, IP2, IP3", 1, "IP2")]
    [InlineData("IP1, IP2, IP3", -1, "IP3")]
    [InlineData("IP1, IP2, IP3", -3, "IP1")]
    [InlineData("IP1, IP2, IP3", 3, "")]
    [InlineData("IP1, IP2, IP3", -4, "")]
    [InlineData(" 10.0.0.1 ", -1, "10.0.0.1")]
    [InlineData("10.0.0.1,,10.0.0.3", 1, "")]
    public void The_configured_entry_is_chosen_as_apig_documents(string header, int index, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(GatewayConnection.SelectForwardedEntry(Encoding.ASCII.GetBytes(header), index)));
}
