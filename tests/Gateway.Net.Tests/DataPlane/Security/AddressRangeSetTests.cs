using System.Net;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Net.Security;

namespace Gateway.Net.Tests.DataPlane.Security;

public sealed class AddressRangeSetTests
{
    private static readonly Config PropertyConfig = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>An address as a non-negative integer of 32 or 128 bits.</summary>
    private static BigInteger Number(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress Address(BigInteger number, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        var raw = number.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, bytes.Length - raw.Length);
        return new IPAddress(bytes);
    }

    internal sealed record Block(bool V6, BigInteger Network, int Prefix)
    {
        public int Bits => V6 ? 128 : 32;

        public string Text => $"{Address(Network, V6)}/{Prefix}";

        /// <summary>The reference: same leading <see cref="Prefix"/> bits.</summary>
        public bool Covers(IPAddress address) =>
            address.AddressFamily == (V6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork) &&
            (Number(address) >> (Bits - Prefix)) == (Network >> (Bits - Prefix));

        public override string ToString() => Text;
    }

    private static Gen<BigInteger> Numbers(bool v6) =>
        Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), v6 ? 16 : 4).Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true));

    private static readonly Gen<Block> Blocks =
        from v6 in Gen.Elements(false, true)
        from network in Numbers(v6)
        from prefix in Gen.Choose(0, v6 ? 128 : 32)
        select new Block(v6, network, prefix);

    /// <summary>Addresses near a block's edges as well as random ones, so membership is tested on both sides.</summary>
    private static Gen<IPAddress> AddressesAround(Block block) =>
        from random in Numbers(block.V6)
        from kind in Gen.Choose(0, 4)
        from delta in Gen.Choose(-2, 2)
        let first = block.Network >> (block.Bits - block.Prefix) << (block.Bits - block.Prefix)
        let last = first + (BigInteger.One << (block.Bits - block.Prefix)) - 1
        let max = (BigInteger.One << block.Bits) - 1
        let candidate = kind switch { 0 => first + delta, 1 => last + delta, 2 => block.Network, _ => random }
        select Address(BigInteger.Clamp(candidate, 0, max), block.V6);

    [Fact]
    public void Cidr_membership_matches_a_big_integer_reference()
    {
        var cases =
            from blocks in Gen.ListOf(Blocks).Select(b => b.Take(4).ToList()).Where(b => b.Count > 0)
            from which in Gen.Choose(0, 3)
            from address in AddressesAround(blocks[which % blocks.Count])
            select (blocks, address);
        Prop.ForAll(cases.ToArbitrary(), testCase =>
        {
            var (blocks, address) = testCase;
            var set = AddressRangeSet.Parse(blocks.Select(b => b.Text), out var skipped);
            return skipped == 0 && set.Contains(address) == blocks.Any(b => b.Covers(address));
        }).Check(PropertyConfig);
    }

    [Fact]
    public void Range_membership_matches_a_big_integer_reference()
    {
        var cases =
            from v6 in Gen.Elements(false, true)
            from a in Numbers(v6)
            from b in Numbers(v6)
            from offset in Gen.Choose(-2, 2)
            from useEdge in Gen.Elements(true, false)
            from random in Numbers(v6)
            let low = BigInteger.Min(a, b)
            let high = BigInteger.Max(a, b)
            let probe = useEdge ? BigInteger.Clamp((offset < 0 ? low : high) + offset, 0, (BigInteger.One << (v6 ? 128 : 32)) - 1) : random
            select (v6, low, high, probe);
        Prop.ForAll(cases.ToArbitrary(), testCase =>
        {
            var (v6, low, high, probe) = testCase;
            var set = AddressRangeSet.Parse([$"{Address(low, v6)}-{Address(high, v6)}"], out var skipped);
            return skipped == 0 && set.Contains(Address(probe, v6)) == (probe >= low && probe <= high);
        }).Check(PropertyConfig);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_peers_match_their_ipv4_entries_and_families_do_not_mix()
    {
        var set = AddressRangeSet.Parse(["192.168.0.100/28", "10.0.0.1", "2001:db8::/32"], out var skipped);

        Assert.Equal(0, skipped);
        Assert.True(set.Contains(IPAddress.Parse("192.168.0.97")));
        Assert.True(set.Contains(IPAddress.Parse("::ffff:192.168.0.111")));
        Assert.False(set.Contains(IPAddress.Parse("192.168.0.112")));
        Assert.True(set.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.False(set.Contains(IPAddress.Parse("::a00:1"))); // 10.0.0.1's bits, but IPv6
        Assert.True(set.Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.False(set.Contains(IPAddress.Parse("2001:db9::1")));
        Assert.False(set.Contains(null));
    }

    [Fact]
    public void Unparsable_entries_are_skipped_and_counted()
    {
        var set = AddressRangeSet.Parse(["1.2.3", "1.2.3.4/33", "9.9.9.9-1.1.1.1", " 8.8.8.8 "], out var skipped);

        Assert.Equal(3, skipped);
        Assert.True(set.Contains(IPAddress.Parse("8.8.8.8")));
        Assert.Equal(1, set.SpanCount);
    }
}
