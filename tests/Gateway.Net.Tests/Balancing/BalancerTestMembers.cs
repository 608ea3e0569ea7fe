using Gateway.Net.Balancing;
using Gateway.Net.Health;
using Gateway.Net.Upstream;

namespace Gateway.Net.Tests.Balancing;

/// <summary>Members for balancer tests: distinct loopback-looking addresses, fresh health and load.</summary>
internal static class BalancerTestMembers
{
    public static BalancerMember[] Create(IReadOnlyList<int> weights, IReadOnlyList<bool>? backups = null, string prefix = "m")
    {
        var members = new BalancerMember[weights.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = Member($"{prefix}{i}", $"10.{i / 62500}.{i / 250 % 250}.{(i % 250) + 1}", weights[i], backups?[i] ?? false);
        }

        return members;
    }

    public static BalancerMember Member(string id, string host, int weight, bool backup = false) =>
        new(id, host, 8080, weight, backup, new UpstreamEndpoint(host, 8080, false, 1), new MemberHealth("channel", id, host, 8080));

    /// <summary>Picks with a key made from <paramref name="key"/> (used both as source address and path).</summary>
    public static int Pick(ChannelBalancer balancer, int key)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, key);
        return balancer.Pick(bytes, bytes);
    }

    /// <summary>The longest run of the same member in <paramref name="picks"/>, per member.</summary>
    public static int[] LongestRuns(IReadOnlyList<int> picks, int memberCount)
    {
        var longest = new int[memberCount];
        var run = 0;
        for (var i = 0; i < picks.Count; i++)
        {
            run = i > 0 && picks[i] == picks[i - 1] ? run + 1 : 1;
            longest[picks[i]] = Math.Max(longest[picks[i]], run);
        }

        return longest;
    }
}
