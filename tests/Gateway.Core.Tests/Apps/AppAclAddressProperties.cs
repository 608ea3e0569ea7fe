using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Apps;

namespace Gateway.Core.Tests.Apps;

/// <summary>APP ACL values (3.28.14): single addresses, ranges and CIDR blocks as spans of addresses.</summary>
public sealed class AppAclAddressProperties
{
    private static string Dotted(uint address) => new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address))).ToString();

    private static Arbitrary<uint> Addresses() => ArbMap.Default.GeneratorFor<uint>().ToArbitrary();

    [Fact]
    public void A_cidr_block_spans_its_aligned_network_and_contains_its_address() =>
        Prop.ForAll(Addresses(), Gen.Choose(0, 32).ToArbitrary(), (address, prefix) =>
        {
            Assert.True(AppAclAddress.TryParse($"{Dotted(address)}/{prefix}", out var block));
            Assert.Equal(AddressFamily.InterNetwork, block.Family);
            var size = UInt128.One << (32 - prefix);
            Assert.Equal(size, block.Last - block.First + 1);
            Assert.Equal(UInt128.Zero, block.First % size);
            Assert.True(block.Contains(IPAddress.Parse(Dotted(address))));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_range_is_valid_exactly_when_it_is_ordered() =>
        Prop.ForAll(Addresses(), Addresses(), (a, b) =>
        {
            var valid = AppAclAddress.TryParse($"{Dotted(a)}-{Dotted(b)}", out var range);
            Assert.Equal(a <= b, valid);
            if (valid)
            {
                Assert.Equal((UInt128)a, range.First);
                Assert.Equal((UInt128)b, range.Last);
                Assert.True(range.Contains(IPAddress.Parse(Dotted(a))));
                Assert.True(range.Contains(IPAddress.Parse(Dotted(b))));
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_single_address_contains_itself_only() =>
        Prop.ForAll(Addresses(), Addresses(), (a, b) =>
        {
            Assert.True(AppAclAddress.TryParse(Dotted(a), out var single));
            Assert.True(single.Contains(IPAddress.Parse(Dotted(a))));
            Assert.Equal(a == b, single.Contains(IPAddress.Parse(Dotted(b))));
            Assert.True(single.Contains(IPAddress.Parse(Dotted(a)).MapToIPv6()));
            Assert.False(single.Contains(IPAddress.IPv6Loopback));
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("192.168.0.1", true)]
    [InlineData("192.168.0.5-192.168.0.10", true)]
    [InlineData("192.168.0.100/28", true)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("2001:db8::1-2001:db8::ff", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3.256", false)]
    [InlineData("0x1.2.3.4", false)]
    [InlineData("1.2.3.4/", false)]
    [InlineData("1.2.3.4/-1", false)]
    [InlineData("1.2.3.4/+8", false)]
    [InlineData("1.2.3.4/1/2", false)]
    [InlineData("1.2.3.4-", false)]
    [InlineData("-1.2.3.4", false)]
    [InlineData("1.2.3.4-1.2.3.3", false)]
    [InlineData("1.2.3.4-::1", false)]
    [InlineData("1.2.3.4/24-1.2.4.0", false)]
    [InlineData("::1/129", false)]
    [InlineData("fe80::1%1", false)]
    [InlineData("localhost", false)]
    public void Examples(string? value, bool valid) => Assert.Equal(valid, AppAclAddress.TryParse(value, out _));

    [Fact]
    public void The_documented_cidr_with_host_bits_covers_its_network()
    {
        Assert.True(AppAclAddress.TryParse("192.168.0.100/28", out var block));
        Assert.True(block.Contains(IPAddress.Parse("192.168.0.96")));
        Assert.True(block.Contains(IPAddress.Parse("192.168.0.111")));
        Assert.False(block.Contains(IPAddress.Parse("192.168.0.112")));
        Assert.False(block.Contains(IPAddress.Parse("192.168.0.95")));
    }
}
