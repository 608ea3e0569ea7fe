using System.Text;
using Gateway.Apig.Apis;
using Gateway.Apig.Runtime;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;
using Gateway.Net.Health;

namespace Gateway.Net.DataPlane;

/// <summary>VPC channels: one balancer per channel (and backend scheme) per snapshot, built from the channel's members.</summary>
internal sealed partial class DataPlaneCompiler
{
    private readonly Dictionary<string, VpcChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<VpcMember>> _channelMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VpcMemberGroup> _memberGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Channel, bool Https), ChannelBalancer> _balancers = new();
    private MemberHealthRegistry? _ownHealth;

    /// <summary>Where member health (and with it the in-flight counts) lives: the data plane's, or one for this compiler.</summary>
    private MemberHealthRegistry Health => memberHealth ?? (_ownHealth ??= new MemberHealthRegistry());

    /// <summary>Indexes the model's channels, members and member groups, and forgets the health of members that are gone.</summary>
    private void PrepareChannels(ApigRuntimeModel model)
    {
        _channels.Clear();
        _channelMembers.Clear();
        _memberGroups.Clear();
        _balancers.Clear();
        foreach (var channel in model.VpcChannels)
        {
            _channels[channel.Id] = channel;
        }

        foreach (var group in model.VpcMemberGroups)
        {
            _memberGroups[group.MemberGroupId] = group;
        }

        var live = new HashSet<(string Channel, string Member, string Host, int Port)>();
        foreach (var member in model.VpcMembers)
        {
            if (!_channelMembers.TryGetValue(member.VpcChannelId, out var members))
            {
                members = [];
                _channelMembers[member.VpcChannelId] = members;
            }

            members.Add(member);
            if (_channels.TryGetValue(member.VpcChannelId, out var channel) && !string.IsNullOrEmpty(member.Host))
            {
                live.Add((channel.Id, member.Id, member.Host, MemberPort(member, channel)));
            }
        }

        memberHealth?.Retain(live);
    }

    /// <summary>
    /// The channel a web backend names. A channel that does not exist (or has no usable member) compiles to an empty
    /// balancer: requests are answered with "no backend available" rather than a configuration error.
    /// </summary>
    private CompiledChannel CompileChannel(VpcInfo? info, bool https)
    {
        var channelId = info?.VpcChannelId ?? string.Empty;
        if (!_balancers.TryGetValue((channelId, https), out var balancer))
        {
            balancer = BuildBalancer(channelId, https);
            _balancers[(channelId, https)] = balancer;
        }

        var proxyHost = info?.VpcChannelProxyHost;
        return new CompiledChannel(channelId, balancer, string.IsNullOrEmpty(proxyHost) ? null : Encoding.ASCII.GetBytes(proxyHost));
    }

    private ChannelBalancer BuildBalancer(string channelId, bool https)
    {
        if (!_channels.TryGetValue(channelId, out var channel))
        {
            return ChannelBalancer.Create(1, []);
        }

        var usable = new List<BalancerMember>();
        if (_channelMembers.TryGetValue(channelId, out var members))
        {
            foreach (var member in members)
            {
                var weight = EffectiveWeight(member);

                // Disabled (batch disable, status 2), weightless and addressless members never take traffic.
                if (member.Status != 1 || weight <= 0 || string.IsNullOrEmpty(member.Host))
                {
                    continue;
                }

                var port = MemberPort(member, channel);
                usable.Add(new BalancerMember(member.Id, member.Host, port, weight, member.IsBackup,
                    upstreams.Get(member.Host, port, https), Health.Get(channel.Id, member.Id, member.Host, port)));
            }
        }

        return ChannelBalancer.Create(channel.BalanceStrategy, [.. usable]);
    }

    /// <summary>A group's <c>member_group_weight</c>, when set, is its members' weight.</summary>
    private int EffectiveWeight(VpcMember member)
    {
        if (!string.IsNullOrEmpty(member.MemberGroupId) && _memberGroups.TryGetValue(member.MemberGroupId, out var group) &&
            group.MemberGroupWeight is { } groupWeight)
        {
            return groupWeight;
        }

        return member.Weight;
    }

    /// <summary>The member's port, else the channel's.</summary>
    // One rule with the health checker's registry keys (VpcChannelManager.EffectivePort), so both find the same
    // MemberHealth object and a reload does not drop what the checker observed.
    private static int MemberPort(VpcMember member, VpcChannel channel) => Gateway.Apig.VpcChannels.VpcChannelManager.EffectivePort(member, channel);
}
