using System.Text;
using Hyper.Core.Http.Huffman;

namespace Hyper.Core.Tests.Http.Huffman;

public sealed class HuffmanEncoderTests
{
    // RFC 7541 Appendix C.4 and C.6 give these strings with their Huffman encodings.
    [Theory]
    [Trait("rfc", "7541-C.4")]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("gzip", "9bd9ab")]
    [InlineData("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007")]
    public void Encode_RfcExample_MatchesAppendixC(string text, string hex)
    {
        var source = Encoding.ASCII.GetBytes(text);
        var destination = new byte[HuffmanEncoder.GetEncodedLength(source)];

        var written = HuffmanEncoder.Encode(source, destination);

        written.Should().Be(destination.Length);
        Convert.ToHexStringLower(destination).Should().Be(hex);
    }

    [Fact]
    [Trait("rfc", "7541-B")]
    public void Encode_EverySymbol_WritesItsCodeThenOnesPadding()
    {
        for (var symbol = 0; symbol < 256; symbol++)
        {
            var (code, length) = HuffmanCode.Table[symbol];
            var destination = new byte[4];

            var written = HuffmanEncoder.Encode([(byte)symbol], destination);

            written.Should().Be((length + 7) / 8, $"symbol {symbol}");
            var bits = 0UL;
            for (var i = 0; i < written; i++) bits = (bits << 8) | destination[i];
            var padding = written * 8 - length;
            (bits >> padding).Should().Be(code, $"symbol {symbol}");
            (bits & ((1UL << padding) - 1)).Should().Be((1UL << padding) - 1, "RFC 7541 §5.2 pads with the MSBs of EOS");
        }
    }

    [Fact]
    public void GetEncodedLength_Empty_IsZero()
    {
        HuffmanEncoder.GetEncodedLength([]).Should().Be(0);
        HuffmanEncoder.Encode([], []).Should().Be(0);
    }

    [Fact]
    public void Encode_DestinationTooSmall_ThrowsArgumentException()
    {
        var source = "www.example.com"u8.ToArray();
        var destination = new byte[HuffmanEncoder.GetEncodedLength(source) - 1];

        var act = () => HuffmanEncoder.Encode(source, destination);

        act.Should().Throw<ArgumentException>();
    }
}
