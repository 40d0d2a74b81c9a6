using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

public sealed class HpackIntegerTests
{
    [Theory]
    [Trait("rfc", "7541-C.1")]
    [InlineData(10, 5, "0a")] // C.1.1
    [InlineData(1337, 5, "1f9a0a")] // C.1.2
    [InlineData(42, 8, "2a")] // C.1.3
    [InlineData(31, 5, "1f00")]
    [InlineData(127, 7, "7f00")]
    [InlineData(255, 8, "ff00")]
    [InlineData(int.MaxValue, 5, "1fe0ffffff07")]
    public void Encode_RfcExamplesAndBoundaries_MatchWire(int value, int prefixBits, string hex)
    {
        var destination = new byte[HpackInteger.MaxEncodedLength];

        var written = HpackInteger.Encode(value, prefixBits, 0, destination);

        Convert.ToHexStringLower(destination, 0, written).Should().Be(hex);
    }

    [Theory]
    [Trait("rfc", "7541-5.1")]
    [InlineData("0a", 5, 10)]
    [InlineData("1f9a0a", 5, 1337)]
    [InlineData("2a", 8, 42)]
    [InlineData("1fe0ffffff07", 5, int.MaxValue)]
    [InlineData("1f8000", 5, 31)] // a redundant zero continuation octet is allowed, within the octet limit
    public void Decode_ValidWire_YieldsValueAndConsumesAll(string hex, int prefixBits, int expected)
    {
        var source = Convert.FromHexString(hex);
        var position = 0;

        HpackInteger.Decode(source, ref position, prefixBits).Should().Be(expected);

        position.Should().Be(source.Length);
    }

    [Fact]
    public void Decode_IgnoresBitsAboveThePrefix()
    {
        var position = 0;

        HpackInteger.Decode([0xEA], ref position, 5).Should().Be(10); // 111 01010: flags 111, value 10
    }

    [Fact]
    public void RoundTrip_AllPrefixesAtBoundaries_PreservesValueAndFlags()
    {
        var destination = new byte[HpackInteger.MaxEncodedLength];
        for (var prefixBits = 1; prefixBits <= 8; prefixBits++)
        {
            var prefixMax = (1 << prefixBits) - 1;
            var flags = (byte)(0xFF << prefixBits);
            foreach (var value in new[] { 0, 1, prefixMax - 1, prefixMax, prefixMax + 1, prefixMax + 127, prefixMax + 128, 16383, 1 << 21, int.MaxValue - 1, int.MaxValue })
            {
                if (value < 0) continue;
                var written = HpackInteger.Encode(value, prefixBits, flags, destination);
                (destination[0] & flags).Should().Be(flags);
                var position = 0;

                HpackInteger.Decode(destination.AsSpan(0, written), ref position, prefixBits).Should().Be(value);
                position.Should().Be(written);
            }
        }
    }

    [Theory]
    [Trait("rfc", "7541-5.1")]
    [InlineData("1fe1ffffff07")] // int.MaxValue + 1
    [InlineData("1fffffffff0f")] // far past 2^31
    [InlineData("1f808080808000")] // six continuation octets of leading zeros
    [InlineData("1fffffffffffffffffff01")] // a long run of continuation octets
    public void Decode_Overflow_ThrowsIntegerOverflow(string hex)
    {
        var source = Convert.FromHexString(hex);

        var act = () =>
        {
            var position = 0;
            HpackInteger.Decode(source, ref position, 5);
        };

        act.Should().Throw<HpackDecodingException>().Which.Reason.Should().Be(HpackDecodingReason.IntegerOverflow);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1f")]
    [InlineData("1f9a")]
    [InlineData("1fffffff")]
    public void Decode_Truncated_ThrowsTruncated(string hex)
    {
        var source = Convert.FromHexString(hex);

        var act = () =>
        {
            var position = 0;
            HpackInteger.Decode(source, ref position, 5);
        };

        act.Should().Throw<HpackDecodingException>().Which.Reason.Should().Be(HpackDecodingReason.Truncated);
    }
}
