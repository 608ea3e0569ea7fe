using System.Net;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Acls;
using Gateway.Errors;

namespace Gateway.Core.Tests.Acls;

/// <summary>
/// The acl_value rules, checked on generated values: IPv4 addresses and CIDR blocks from both sides (built valid,
/// built broken, and random strings judged by an independent statement of the rule), the 100-address limit, and the
/// account-name rules of DOMAIN policies.
/// </summary>
public sealed partial class AclValueProperties
{
    // Strict dotted decimal (no leading zeros), an optional prefix 0–32 without leading zeros.
    [GeneratedRegex(@"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/(3[0-2]|[12]?[0-9]))?\z")]
    private static partial Regex IpRule();

    private static Gen<uint> Addresses => ArbMap.Default.GeneratorFor<uint>();

    private static string Dotted(uint address) => new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder((int)address))).ToString();

    private static uint HostMask(int prefix) => prefix == 0 ? uint.MaxValue : (1u << (32 - prefix)) - 1;

    /// <summary>The reference rule: the strict form, and for a block, no bits set after the prefix.</summary>
    private static bool ReferenceAccepts(string entry)
    {
        if (!IpRule().IsMatch(entry))
        {
            return false;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return true;
        }

        var bytes = IPAddress.Parse(entry[..slash]).GetAddressBytes();
        var address = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return (address & HostMask(int.Parse(entry[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture))) == 0;
    }

    private static ApiErrorException? Reject(string entityType, string value)
    {
        try
        {
            Assert.Equal(value, AclValueRules.Validate(entityType, value));
            return null;
        }
        catch (ApiErrorException error)
        {
            Assert.Equal(400, error.StatusCode);
            Assert.Contains("parameterName:acl_value", error.Message, StringComparison.Ordinal);
            return error;
        }
    }

    [Fact]
    public void Every_IPv4_address_in_dotted_decimal_is_accepted() =>
        Prop.ForAll(Addresses.ToArbitrary(), address =>
        {
            var text = Dotted(address);
            Assert.True(AclValueRules.IsIpOrCidr(text));
            Assert.True(AclValueRules.TryParseIpv4(text, out var parsed));
            Assert.Equal(address, parsed);
            Assert.Null(Reject(AclValueRules.Ip, text));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_CIDR_block_is_accepted_exactly_when_no_bit_is_set_after_the_prefix() =>
        Prop.ForAll(Addresses.ToArbitrary(), Gen.Choose(0, 32).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (address, prefix, aligned) =>
        {
            var network = aligned ? address & ~HostMask(prefix) : address;
            var text = $"{Dotted(network)}/{prefix}";
            var expected = (network & HostMask(prefix)) == 0;
            Assert.Equal(expected, AclValueRules.IsIpOrCidr(text));
            var error = Reject(AclValueRules.Ip, text);
            Assert.Equal(expected, error is null);
            if (error is not null)
            {
                Assert.Equal("APIG.2015", error.ErrorCode);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Octets_above_255_leading_zeros_and_prefixes_above_32_are_rejected() =>
        Prop.ForAll(Addresses.ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Choose(0, 2).ToArbitrary(), (address, position, defect) =>
        {
            var octets = Dotted(address).Split('.');
            var text = defect switch
            {
                0 => string.Join('.', octets.Select((octet, i) => i == position ? (256 + (address % 744)).ToString(System.Globalization.CultureInfo.InvariantCulture) : octet)),
                1 => string.Join('.', octets.Select((octet, i) => i == position ? "0" + octet : octet)),
                _ => $"{Dotted(address & 0xFFFFFF00)}/{33 + (address % 67)}",
            };
            Assert.False(AclValueRules.IsIpOrCidr(text));
            Assert.Equal("APIG.2015", Reject(AclValueRules.Ip, text)!.ErrorCode);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Random_strings_are_accepted_exactly_when_the_reference_rule_accepts_them()
    {
        string[] pieces = ["0", "1", "9", "10", "25", "255", "256", "300", "01", "00", ".", ".", ".", "/", "/32", "/33", "/0", "/08", "a", " ", "-", ":", "1.2.3.4", "0.0.0.0", ""];
        var strings = Gen.Choose(1, 9).SelectMany(count => Gen.ArrayOf(Gen.Elements(pieces), count)).Select(string.Concat);
        Prop.ForAll(strings.ToArbitrary(), text =>
        {
            var expected = ReferenceAccepts(text);
            Assert.Equal(expected, AclValueRules.IsIpOrCidr(text));
            var error = Reject(AclValueRules.Ip, text);
            Assert.Equal(expected, error is null);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Up_to_100_distinct_addresses_are_accepted_and_more_are_too_large() =>
        Prop.ForAll(Gen.Choose(1, 130).ToArbitrary(), Addresses.ToArbitrary(), (count, start) =>
        {
            var value = string.Join(',', Enumerable.Range(0, count).Select(i => Dotted(unchecked(start + (uint)i))));
            var error = Reject(AclValueRules.Ip, value);
            if (count <= AclValueRules.MaxIpEntries)
            {
                Assert.Null(error);
            }
            else
            {
                Assert.Equal("APIG.2003", error!.ErrorCode);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_repeated_address_is_rejected() =>
        Prop.ForAll(Addresses.ToArbitrary(), address =>
        {
            var text = Dotted(address);
            Assert.Equal("APIG.2011", Reject(AclValueRules.Ip, $"{text},{text}")!.ErrorCode);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Account_names_are_accepted_exactly_when_the_DOMAIN_rule_holds()
    {
        var alphabet = "aZ09_- .@#~\u00e9\u4e2d\t".ToCharArray();
        var names = Gen.Choose(0, 70).SelectMany(length => Gen.ArrayOf(Gen.Elements(alphabet), length)).Select(chars => new string(chars));
        Prop.ForAll(names.ToArbitrary(), name =>
        {
            var valid = name.Length is >= 1 and <= 64 &&
                name.All(c => c is >= ' ' and <= '~' && c != ',') &&
                !name.All(char.IsAsciiDigit);
            var error = Reject(AclValueRules.Domain, name);
            Assert.Equal(valid, error is null);
            if (error is not null)
            {
                Assert.Equal(name.Length == 0 ? "APIG.2001" : name.Length > 64 ? "APIG.2003" : "APIG.2011", error.ErrorCode);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("DOMAIN", "tenant_a,tenant b,x@y.z", null)]
    [InlineData("DOMAIN", "123456", "APIG.2011")]
    [InlineData("DOMAIN", "tenant,,other", "APIG.2011")]
    [InlineData("DOMAIN", "tenant,", "APIG.2011")]
    [InlineData("DOMAIN", "a,a", "APIG.2011")]
    [InlineData("DOMAIN_ID", "0123456789abcdef0123456789abcdef,a-b_c", null)]
    [InlineData("DOMAIN_ID", "id with space", "APIG.2011")]
    [InlineData("IP", "192.168.1.5,192.168.10.1", null)]
    [InlineData("IP", "10.0.0.0/8,0.0.0.0/0,1.2.3.4/32", null)]
    [InlineData("IP", "192.168.1.5, 192.168.10.1", "APIG.2015")]
    [InlineData("IP", "1.2.3", "APIG.2015")]
    [InlineData("IP", "1.2.3.4.5", "APIG.2015")]
    [InlineData("IP", "::1", "APIG.2015")]
    [InlineData("IP", "10.0.0.1/8", "APIG.2015")]
    [InlineData("IP", "1.2.3.4/", "APIG.2015")]
    [InlineData("IP", "", "APIG.2001")]
    public void Examples(string entityType, string value, string? code) =>
        Assert.Equal(code, Reject(entityType, value)?.ErrorCode);

    [Fact]
    public void Account_lists_longer_than_1024_characters_are_too_large()
    {
        var names = string.Join(',', Enumerable.Range(0, 100).Select(i => $"tenant_{i:D4}"));
        Assert.True(names.Length > 1024);
        Assert.Equal("APIG.2003", Reject(AclValueRules.Domain, names)!.ErrorCode);
        Assert.Equal("APIG.2003", Reject(AclValueRules.DomainId, names)!.ErrorCode);
        Assert.Null(Reject(AclValueRules.Domain, names[..1024].TrimEnd(',')));
    }
}
