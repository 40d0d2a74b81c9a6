using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>Header list size and field count enforced while decoding (docs/security.md B1.6, B1.9, B1.10; RFC 9113 §6.5.2).</summary>
public sealed class HpackDecoderLimitsTests
{
    private static byte[] LiteralWithIndexing(string name, int valueLength)
    {
        // 01000000, raw name, raw value of 'v' octets; lengths below 127 fit the 7-bit prefix, longer ones continue.
        var block = new List<byte> { 0x40, (byte)name.Length };
        block.AddRange(System.Text.Encoding.ASCII.GetBytes(name));
        var length = new byte[HpackInteger.MaxEncodedLength];
        var written = HpackInteger.Encode(valueLength, 7, 0, length);
        block.AddRange(length.AsSpan(0, written).ToArray());
        block.AddRange(Enumerable.Repeat((byte)'v', valueLength));
        return [.. block];
    }

    private static byte[] Repeat(byte[] unit, int times) => Enumerable.Repeat(unit, times).SelectMany(b => b).ToArray();

    [Fact]
    [Trait("security", "B1.9")]
    public void Decode_HpackBomb_ThrowsBeforeTheLimitIsPassedByMoreThanOneField()
    {
        var decoder = new HpackDecoder(maxFieldCount: 100_000);
        decoder.Decode(LiteralWithIndexing("a", 4000), new CountingHeaderSink());
        var sink = new CountingHeaderSink();

        var act = () => decoder.Decode(Repeat([0xBE], 1000), sink);

        var error = act.Should().Throw<HeaderListTooLargeException>().Which;
        error.Reason.Should().Be(HpackDecodingReason.HeaderListTooLarge);
        sink.Octets.Should().BeLessThanOrEqualTo(64 * 1024, "nothing past the limit reaches the sink");
        error.FieldCount.Should().Be(sink.Count + 1);
        error.Size.Should().BeGreaterThan(64 * 1024).And.BeLessThanOrEqualTo(64 * 1024 + 4001 + 32);
        sink.Count.Should().Be(16, "16 × 4033 fits 65,536 and the 17th does not");
    }

    [Fact]
    [Trait("security", "B1.9")]
    public void Decode_ThousandBombBlocks_EachFailsAtTheSameField()
    {
        for (var i = 0; i < 1000; i++)
        {
            var decoder = new HpackDecoder();
            decoder.Decode(LiteralWithIndexing("a", 4000), new CountingHeaderSink());
            var act = () => decoder.Decode(Repeat([0xBE], 1000), new CountingHeaderSink());
            act.Should().Throw<HeaderListTooLargeException>().Which.FieldCount.Should().Be(17);
        }
    }

    [Fact]
    [Trait("security", "B1.6")]
    public void Decode_TenThousandEmptyLiterals_ThrowsAtField101()
    {
        var decoder = new HpackDecoder();
        var sink = new CountingHeaderSink();

        var act = () => decoder.Decode(Repeat([0x00, 0x00, 0x00], 10_000), sink);

        var error = act.Should().Throw<HeaderListTooLargeException>().Which;
        error.Reason.Should().Be(HpackDecodingReason.TooManyFields);
        error.FieldCount.Should().Be(101);
        sink.Count.Should().Be(100);
    }

    [Fact]
    [Trait("security", "B1.10")]
    public void Decode_TinyIndexedReferences_ThrowAtField101()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(LiteralWithIndexing("a", 0), new CountingHeaderSink());
        var sink = new CountingHeaderSink();

        var act = () => decoder.Decode(Repeat([0xBE], 5000), sink);

        act.Should().Throw<HeaderListTooLargeException>().Which.FieldCount.Should().Be(101);
        sink.Count.Should().Be(100);
    }

    [Fact]
    [Trait("rfc", "9113-6.5.2")]
    public void Decode_EmptyFields_Count32OctetsEach()
    {
        var decoder = new HpackDecoder(maxHeaderListSize: 320, maxFieldCount: 1000);
        var sink = new CountingHeaderSink();

        var act = () => decoder.Decode(Repeat([0x00, 0x00, 0x00], 11), sink);

        act.Should().Throw<HeaderListTooLargeException>().Which.Reason.Should().Be(HpackDecodingReason.HeaderListTooLarge);
        sink.Count.Should().Be(10);
    }

    [Fact]
    [Trait("rfc", "9113-6.5.2")]
    public void Decode_ListExactlyAtTheLimit_Succeeds()
    {
        var decoder = new HpackDecoder(maxHeaderListSize: 34 * 2);
        var sink = new CountingHeaderSink();

        decoder.Decode(Convert.FromHexString("0001610162" + "0001610162"), sink);

        sink.Octets.Should().Be(68);
    }

    [Theory]
    [InlineData("0003616263" + "00")] // raw name "abc": 32 + 3 > 34
    [InlineData("000161" + "03787878")] // raw name "a", raw value "xxx": 32 + 1 + 3 > 34
    [InlineData("0082" + "1c64" + "00")] // Huffman name "abc" (exactly 16 bits) does not fit the 2 octets left
    [InlineData("000161" + "821c64")] // Huffman value "abc" does not fit the 1 octet left
    public void Decode_StringPastTheBudget_ThrowsHeaderListTooLarge(string hex)
    {
        var decoder = new HpackDecoder(maxHeaderListSize: 34);
        var block = Convert.FromHexString(hex);

        var act = () => decoder.Decode(block, new CountingHeaderSink());

        act.Should().Throw<HeaderListTooLargeException>().Which.Reason.Should().Be(HpackDecodingReason.HeaderListTooLarge);
    }

    [Fact]
    [Trait("security", "B1.9")]
    public void Decode_HuffmanValuePastTheBudget_ThrowsWithoutGrowingScratchPastTheLimit()
    {
        // 400 Huffman octets of '0' (5 bits each) decode to 640 octets; the limit is 200.
        var value = new byte[400];
        Hyper.Core.Http.Huffman.HuffmanEncoder.Encode(Enumerable.Repeat((byte)'0', 640).ToArray(), value);
        var length = new byte[HpackInteger.MaxEncodedLength];
        var lengthSize = HpackInteger.Encode(value.Length, 7, 0x80, length);
        var block = new List<byte> { 0x00, 0x01, (byte)'a' };
        block.AddRange(length.AsSpan(0, lengthSize).ToArray());
        block.AddRange(value);
        var decoder = new HpackDecoder(maxHeaderListSize: 200);

        var act = () => decoder.Decode(block.ToArray(), new CountingHeaderSink());

        act.Should().Throw<HeaderListTooLargeException>().Which.Reason.Should().Be(HpackDecodingReason.HeaderListTooLarge);
        decoder.ScratchCapacity.Should().BeLessThanOrEqualTo(200);
    }

    [Fact]
    public void Decode_HappyPath_AllocatesNothingPerField()
    {
        var decoder = new HpackDecoder();
        var sink = new CountingHeaderSink();
        decoder.Decode(LiteralWithIndexing("server", 20), sink);
        // Indexed static and dynamic fields, a raw literal, and Huffman literals without indexing (C.4.3's strings).
        var block = Convert.FromHexString("8287" + "be" + "0001610162" + "008825a849e95ba97d7f8925a849e95bb8e8b4bf");
        decoder.Decode(block, sink); // warm up: grows the scratch buffer once

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) decoder.Decode(block, sink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }
}
