using System.Text.RegularExpressions;
using Gateway.Net.Balancing;

namespace Gateway.Net.DataPlane;

internal sealed partial class CompiledApi
{
    /// <summary>The VPC channel the backend goes through (<c>vpc_channel_status</c> 1), or null for a fixed address.</summary>
    public CompiledChannel? Channel { get; init; }

    /// <summary>
    /// The API's policy backends in evaluation order (list order; the first that matches wins), or null. Each carries
    /// its own plan: this API's frontend with the policy's backend.
    /// </summary>
    public CompiledPolicy[]? Policies { get; set; }
}

/// <summary>A backend's VPC channel: its balancer and the Host header members get.</summary>
internal sealed class CompiledChannel(string channelId, ChannelBalancer balancer, byte[]? proxyHost)
{
    public string ChannelId { get; } = channelId;

    public ChannelBalancer Balancer { get; } = balancer;

    /// <summary><c>vpc_channel_proxy_host</c>: the Host header sent to every member, or null for the member's address.</summary>
    public byte[]? ProxyHost { get; } = proxyHost;
}

/// <summary>One policy backend (<c>policy_https</c>, <c>policy_mocks</c>, <c>policy_functions</c>).</summary>
internal sealed class CompiledPolicy
{
    public required string Name { get; init; }

    /// <summary><c>effect_mode</c> ALL (every condition) rather than ANY (at least one).</summary>
    public required bool MatchAll { get; init; }

    public required CompiledCondition[] Conditions { get; init; }

    /// <summary>The plan a matching request is served with.</summary>
    public required CompiledApi Plan { get; init; }
}

/// <summary>What a policy condition tests.</summary>
internal enum ConditionSource : byte
{
    /// <summary>A declared request parameter (by index into <see cref="CompiledApi.RequestParameters"/>).</summary>
    Parameter,
    SourceIp,
    RequestPath,
    RequestMethod,
    Cookie,

    /// <summary>A frontend custom authorizer's output (<c>frontend_authorizer_param_name</c>) for this request.</summary>
    AuthorizerOutput,

    /// <summary>A condition that cannot match (its parameter is not declared).</summary>
    Never,
}

/// <summary>How a policy condition compares.</summary>
internal enum ConditionMatch : byte
{
    Exact,
    Enum,
    Pattern,

    /// <summary>Source addresses: the caller is inside one of the addresses or CIDR blocks.</summary>
    Networks,
}

/// <summary>One compiled policy condition: every value encoded and every pattern built at compile time.</summary>
internal sealed class CompiledCondition
{
    public required ConditionSource Source { get; init; }

    public required ConditionMatch Match { get; init; }

    public int ParameterIndex { get; init; } = -1;

    /// <summary>The cookie's name.</summary>
    public byte[] Name { get; init; } = [];

    /// <summary>exact: the value; enum: <see cref="Values"/>.</summary>
    public byte[] Value { get; init; } = [];

    public byte[][] Values { get; init; } = [];

    public Regex? Pattern { get; init; }

    public AddressBlock[] Networks { get; init; } = [];
}

/// <summary>An address or CIDR block as bytes (4 or 16) and a prefix length, matched without allocating.</summary>
internal readonly record struct AddressBlock(byte[] Prefix, int PrefixLength)
{
    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != Prefix.Length)
        {
            return false;
        }

        var whole = PrefixLength >> 3;
        if (!address[..whole].SequenceEqual(Prefix.AsSpan(0, whole)))
        {
            return false;
        }

        var bits = PrefixLength & 7;
        if (bits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - bits));
        return (address[whole] & mask) == (Prefix[whole] & mask);
    }
}
