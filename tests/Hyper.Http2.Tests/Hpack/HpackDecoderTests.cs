using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

public sealed class HpackDecoderTests
{
    internal static RecordingHeaderSink Decode(HpackDecoder decoder, string hex)
    {
        var sink = new RecordingHeaderSink();
        decoder.Decode(Convert.FromHexString(hex), sink);
        return sink;
    }

    internal static HpackDecodingException DecodeFails(HpackDecoder decoder, string hex)
    {
        var act = () => Decode(decoder, hex);
        return act.Should().Throw<HpackDecodingException>().Which;
    }

    [Fact]
    [Trait("rfc", "7541-C.2.1")]
    public void Decode_LiteralWithIndexing_ReportsAndInserts()
    {
        var decoder = new HpackDecoder();

        var sink = Decode(decoder, "400a637573746f6d2d6b65790d637573746f6d2d686561646572");

        sink.Fields.Should().Equal(("custom-key", "custom-header", false));
        decoder.DynamicTableSize.Should().Be(55);
        decoder.DynamicTableCount.Should().Be(1);
    }

    [Fact]
    [Trait("rfc", "7541-C.2.2")]
    public void Decode_LiteralWithoutIndexing_LeavesTableEmpty()
    {
        var decoder = new HpackDecoder();

        var sink = Decode(decoder, "040c2f73616d706c652f70617468");

        sink.Fields.Should().Equal((":path", "/sample/path", false));
        decoder.DynamicTableSize.Should().Be(0);
    }

    [Fact]
    [Trait("rfc", "7541-C.2.3")]
    public void Decode_NeverIndexedLiteral_ReportsNeverIndexed()
    {
        var decoder = new HpackDecoder();

        var sink = Decode(decoder, "100870617373776f726406736563726574");

        sink.Fields.Should().Equal(("password", "secret", true));
        decoder.DynamicTableSize.Should().Be(0);
    }

    [Fact]
    [Trait("rfc", "7541-6.2.3")]
    public void Decode_NeverIndexedWithIndexedName_ReportsNeverIndexed()
    {
        var sink = Decode(new HpackDecoder(), "1f0806736563726574"); // name index 23 (authorization) via 4-bit prefix 15 + 8

        sink.Fields.Should().Equal(("authorization", "secret", true));
    }

    [Fact]
    [Trait("rfc", "7541-C.2.4")]
    public void Decode_IndexedStatic_ReportsEntry()
    {
        Decode(new HpackDecoder(), "82").Fields.Should().Equal((":method", "GET", false));
    }

    [Fact]
    [Trait("rfc", "7541-2.3.3")]
    public void Decode_IndexedDynamic_ReportsNewestAt62()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, "400161017840016201794001630178"); // a: x, b: y, c: x, newest last

        Decode(decoder, "bebfc0").Pairs.Should().Equal(("c", "x"), ("b", "y"), ("a", "x"));
    }

    [Fact]
    [Trait("rfc", "7541-6.2.1")]
    public void Decode_LiteralWithDynamicName_UsesThatName()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, "400178017a"); // x: z

        Decode(decoder, "7e0177").Pairs.Should().Equal(("x", "w")); // 6-bit name index 62, value "w"
    }

    [Fact]
    public void Decode_EmptyBlock_ReportsNothing()
    {
        Decode(new HpackDecoder(), "").Fields.Should().BeEmpty();
    }

    [Fact]
    [Trait("rfc", "7541-6.1")]
    public void Decode_IndexZero_ThrowsInvalidIndex()
    {
        DecodeFails(new HpackDecoder(), "80").Reason.Should().Be(HpackDecodingReason.InvalidIndex);
    }

    [Theory]
    [Trait("rfc", "7541-2.3.3")]
    [InlineData("be")] // 62 with an empty dynamic table
    [InlineData("ff80ff01")] // far past both tables
    [InlineData("7e0178")] // literal whose name index 62 does not exist
    [InlineData("0f3001")] // 4-bit name index 63 with an empty dynamic table
    public void Decode_IndexPastBothTables_ThrowsInvalidIndex(string hex)
    {
        DecodeFails(new HpackDecoder(), hex).Reason.Should().Be(HpackDecodingReason.InvalidIndex);
    }

    [Theory]
    [InlineData("40")] // literal name length missing
    [InlineData("400a637573")] // name shorter than its length
    [InlineData("400161")] // value missing
    [InlineData("4001610a6162")] // value shorter than its length
    [InlineData("ff")] // index continuation missing
    [InlineData("417f")] // value length prefix saturated, continuation missing
    public void Decode_TruncatedBlock_ThrowsTruncated(string hex)
    {
        DecodeFails(new HpackDecoder(), hex).Reason.Should().Be(HpackDecodingReason.Truncated);
    }

    [Fact]
    public void Decode_IndexOverflowingInt32_ThrowsIntegerOverflow()
    {
        DecodeFails(new HpackDecoder(), "ffffffffff0f").Reason.Should().Be(HpackDecodingReason.IntegerOverflow);
    }

    [Fact]
    public void Decode_StringLengthOverflowingInt32_ThrowsIntegerOverflow()
    {
        DecodeFails(new HpackDecoder(), "40ffffffffff0f").Reason.Should().Be(HpackDecodingReason.IntegerOverflow);
    }

    [Theory]
    [Trait("rfc", "7541-5.2")]
    [InlineData("40" + "81ff" + "0178")] // Huffman name of 8 padding bits
    [InlineData("40" + "0161" + "8118")] // Huffman value: 'a' then 000 padding
    [InlineData("40" + "0161" + "84ffffffff")] // Huffman value holding EOS
    public void Decode_InvalidHuffmanString_ThrowsInvalidHuffman(string hex)
    {
        var error = DecodeFails(new HpackDecoder(), hex);

        error.Reason.Should().Be(HpackDecodingReason.InvalidHuffman);
        error.InnerException.Should().BeOfType<Hyper.Core.Http.Huffman.HuffmanDecodingException>();
    }

    [Fact]
    [Trait("rfc", "7541-5.2")]
    public void Decode_HuffmanNameAndValue_BothReported()
    {
        // C.4.1's authority plus C.4.3's custom-key: custom-value, names and values all Huffman-coded.
        var sink = Decode(new HpackDecoder(), "418cf1e3c2e5f23a6ba0ab90f4ff" + "408825a849e95ba97d7f8925a849e95bb8e8b4bf");

        sink.Pairs.Should().Equal((":authority", "www.example.com"), ("custom-key", "custom-value"));
    }

    [Fact]
    public void Decode_SameDecoderManyBlocks_ScratchReuseKeepsEarlierFieldsCorrect()
    {
        var decoder = new HpackDecoder();
        for (var i = 0; i < 3; i++)
        {
            Decode(decoder, "408825a849e95ba97d7f8925a849e95bb8e8b4bf" + "be")
                .Pairs.Should().Equal(("custom-key", "custom-value"), ("custom-key", "custom-value"));
        }
    }
}
