using System.Text;
using Hyper.Core.Http.Huffman;

namespace Hyper.Core.Tests.Http.Huffman;

public sealed class HuffmanDecoderTests
{
    [Theory]
    [Trait("rfc", "7541-C.4")]
    [InlineData("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com")]
    [InlineData("a8eb10649cbf", "no-cache")]
    [InlineData("25a849e95ba97d7f", "custom-key")]
    [InlineData("25a849e95bb8e8b4bf", "custom-value")]
    [InlineData("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT")]
    [InlineData("9d29ad171863c78f0b97c8e9ae82ae43d3", "https://www.example.com")]
    [InlineData("", "")]
    public void Decode_RfcExample_YieldsText(string hex, string text)
    {
        var destination = new byte[64];

        var written = HuffmanDecoder.Decode(Convert.FromHexString(hex), destination);

        Encoding.ASCII.GetString(destination, 0, written).Should().Be(text);
    }

    [Fact]
    [Trait("rfc", "7541-B")]
    public void Decode_EverySymbolAlone_RoundTrips()
    {
        for (var symbol = 0; symbol < 256; symbol++)
        {
            var encoded = new byte[4];
            var length = HuffmanEncoder.Encode([(byte)symbol], encoded);
            var decoded = new byte[1];

            HuffmanDecoder.Decode(encoded.AsSpan(0, length), decoded).Should().Be(1, $"symbol {symbol}");
            decoded[0].Should().Be((byte)symbol);
        }
    }

    [Fact]
    public void Decode_EveryPairOfSymbols_RoundTrips()
    {
        // Pairs put every code at every bit offset the first code leaves, exercising all nibble-boundary transitions.
        var encoded = new byte[8];
        var decoded = new byte[2];
        for (var first = 0; first < 256; first++)
        {
            for (var second = 0; second < 256; second++)
            {
                var length = HuffmanEncoder.Encode([(byte)first, (byte)second], encoded);
                HuffmanDecoder.Decode(encoded.AsSpan(0, length), decoded).Should().Be(2);
                if (decoded[0] != first || decoded[1] != second)
                {
                    Assert.Fail($"pair ({first}, {second}) decoded as ({decoded[0]}, {decoded[1]})");
                }
            }
        }
    }

    [Fact]
    public void Decode_RandomStrings_RoundTrip()
    {
        var random = new Random(7541);
        for (var i = 0; i < 500; i++)
        {
            var source = new byte[random.Next(0, 300)];
            random.NextBytes(source);
            var encoded = new byte[HuffmanEncoder.GetEncodedLength(source)];
            HuffmanEncoder.Encode(source, encoded);
            var decoded = new byte[HuffmanDecoder.GetMaxDecodedLength(encoded.Length)];

            var written = HuffmanDecoder.Decode(encoded, decoded);

            decoded.AsSpan(0, written).SequenceEqual(source).Should().BeTrue();
        }
    }

    [Fact]
    [Trait("rfc", "7541-5.2")]
    public void Decode_EosSymbol_Throws()
    {
        // 30 ones are EOS; the two left over are valid padding, so only the EOS rule can reject this.
        var act = () => HuffmanDecoder.Decode([0xFF, 0xFF, 0xFF, 0xFF], new byte[8]);

        act.Should().Throw<HuffmanDecodingException>().Which.Reason.Should().Be(HuffmanDecodingReason.EndOfStringSymbol);
    }

    [Fact]
    [Trait("rfc", "7541-5.2")]
    public void Decode_EosAfterSymbols_Throws()
    {
        // 'a' (00011), then EOS (30 ones), then one padding bit: 36 bits in 5 octets.
        var act = () => HuffmanDecoder.Decode([0x1F, 0xFF, 0xFF, 0xFF, 0xFF], new byte[8]);

        act.Should().Throw<HuffmanDecodingException>().Which.Reason.Should().Be(HuffmanDecodingReason.EndOfStringSymbol);
    }

    [Theory]
    [Trait("rfc", "7541-5.2")]
    [InlineData("ff")] // 8 bits of padding and no symbol
    [InlineData("1fff")] // 'a' then 11 bits of ones
    [InlineData("f1e3c2e5f23a6ba0ab90f4ffff")] // www.example.com plus one more octet of ones
    public void Decode_PaddingLongerThanSevenBits_Throws(string hex)
    {
        var act = () => HuffmanDecoder.Decode(Convert.FromHexString(hex), new byte[64]);

        act.Should().Throw<HuffmanDecodingException>().Which.Reason.Should().Be(HuffmanDecodingReason.PaddingTooLong);
    }

    [Theory]
    [Trait("rfc", "7541-5.2")]
    [InlineData("18")] // 'a' then 000
    [InlineData("1e")] // 'a' then 110
    [InlineData("f1e3c2e5f23a6ba0ab90f4fe")] // www.example.com with the last padding bit cleared
    public void Decode_PaddingNotAllOnes_Throws(string hex)
    {
        var act = () => HuffmanDecoder.Decode(Convert.FromHexString(hex), new byte[64]);

        act.Should().Throw<HuffmanDecodingException>().Which.Reason.Should().Be(HuffmanDecodingReason.PaddingNotOnes);
    }

    [Fact]
    public void Decode_DestinationTooSmall_ThrowsWithFlag()
    {
        var act = () => HuffmanDecoder.Decode(Convert.FromHexString("f1e3c2e5f23a6ba0ab90f4ff"), new byte[14]);

        var error = act.Should().Throw<HuffmanDecodingException>().Which;
        error.IsDestinationTooSmall.Should().BeTrue();
        error.Reason.Should().Be(HuffmanDecodingReason.DestinationTooSmall);
    }

    [Fact]
    public void Decode_DestinationExactlyLargeEnough_Succeeds()
    {
        HuffmanDecoder.Decode(Convert.FromHexString("f1e3c2e5f23a6ba0ab90f4ff"), new byte[15]).Should().Be(15);
    }

    [Fact]
    public void GetMaxDecodedLength_OfShortestCodes_IsTight()
    {
        // Eight '0' (5 bits each) fill exactly 5 octets.
        var encoded = new byte[5];
        HuffmanEncoder.Encode("00000000"u8, encoded).Should().Be(5);

        HuffmanDecoder.GetMaxDecodedLength(5).Should().Be(8);
        HuffmanDecoder.Decode(encoded, new byte[8]).Should().Be(8);
    }
}
