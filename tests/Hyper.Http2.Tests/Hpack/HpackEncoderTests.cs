using System.Buffers;
using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

public sealed class HpackEncoderTests
{
    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    private static string Block(HpackEncoder encoder, Action<HpackEncoder, IBufferWriter<byte>> fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        fields(encoder, output);
        return Convert.ToHexStringLower(output.WrittenSpan);
    }

    [Theory]
    [Trait("rfc", "7541-A")]
    [InlineData(200, "88")]
    [InlineData(204, "89")]
    [InlineData(206, "8a")]
    [InlineData(304, "8b")]
    [InlineData(400, "8c")]
    [InlineData(404, "8d")]
    [InlineData(500, "8e")]
    public void EncodeStatus_StaticStatus_IsOneOctet(int status, string hex)
    {
        Block(new HpackEncoder(), (e, o) => e.EncodeStatus(status, o)).Should().Be(hex);
    }

    [Fact]
    [Trait("rfc", "7541-C.6.1")]
    public void EncodeStatus_OtherStatus_IsIndexedLiteralThenReused()
    {
        var encoder = new HpackEncoder();

        Block(encoder, (e, o) => e.EncodeStatus(302, o)).Should().Be("48826402"); // C.6.1's first field: name index 8, Huffman "302"
        Block(encoder, (e, o) => e.EncodeStatus(302, o)).Should().Be("be");
    }

    [Fact]
    public void EncodeStatus_OutOfRange_Throws()
    {
        var act = () => new HpackEncoder().EncodeStatus(1000, new ArrayBufferWriter<byte>());

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    [Trait("rfc", "7541-6.1")]
    public void Encode_StaticFullMatch_IsIndexed()
    {
        Block(new HpackEncoder(), (e, o) => e.Encode(B("accept-encoding"), B("gzip, deflate"), false, o)).Should().Be("90");
    }

    [Fact]
    [Trait("rfc", "7541-C.4.3")]
    public void Encode_NewField_HuffmanLiteralWithIndexing_ThenIndexed()
    {
        var encoder = new HpackEncoder();

        Block(encoder, (e, o) => e.Encode(B("custom-key"), B("custom-value"), false, o))
            .Should().Be("408825a849e95ba97d7f8925a849e95bb8e8b4bf");
        Block(encoder, (e, o) => e.Encode(B("custom-key"), B("custom-value"), false, o)).Should().Be("be");
        encoder.DynamicTableSize.Should().Be(54);
    }

    [Fact]
    [Trait("rfc", "7541-6.2.1")]
    public void Encode_StaticNameNewValue_ReusesNameIndex()
    {
        Block(new HpackEncoder(), (e, o) => e.Encode(B("content-type"), B("text/html"), false, o))
            .Should().StartWith("5f"); // 01 + 6-bit name index 31
    }

    [Fact]
    [Trait("rfc", "7541-5.2")]
    public void Encode_StringWhereHuffmanIsLonger_IsRaw()
    {
        // '~' and '\' take 13 and 19 bits: Huffman is longer than the raw octets.
        var hex = Block(new HpackEncoder(), (e, o) => e.Encode(B("x-raw"), B("~~\\\\"), false, o));

        hex.Should().EndWith("04" + "7e7e5c5c");
    }

    [Theory]
    [Trait("rfc", "7541-7.1.3")]
    [InlineData("authorization", false)]
    [InlineData("proxy-authorization", false)]
    [InlineData("cookie", false)]
    [InlineData("set-cookie", false)]
    [InlineData("x-secret", true)]
    public void Encode_SensitiveField_IsNeverIndexedAndNotInserted(string name, bool sensitive)
    {
        var encoder = new HpackEncoder();

        var hex = Block(encoder, (e, o) => e.Encode(B(name), B("secret-value"), sensitive, o));

        (Convert.FromHexString(hex)[0] & 0xF0).Should().Be(0x10);
        encoder.DynamicTableCount.Should().Be(0);
        var sink = new RecordingHeaderSink();
        new HpackDecoder().Decode(Convert.FromHexString(hex), sink);
        sink.Fields.Should().Equal((name, "secret-value", true));
    }

    [Fact]
    public void Encode_LongValue_IsNotIndexed()
    {
        var encoder = new HpackEncoder();

        var hex = Block(encoder, (e, o) => e.Encode(B("x-long"), new byte[HpackEncoder.MaxIndexedValueLength + 1], false, o));

        (Convert.FromHexString(hex)[0] & 0xF0).Should().Be(0x00);
        encoder.DynamicTableCount.Should().Be(0);
    }

    [Theory]
    [InlineData("content-length", "1234")]
    [InlineData("etag", "\"abc\"")]
    public void Encode_VolatileField_IsNotIndexed(string name, string value)
    {
        var encoder = new HpackEncoder();

        Block(encoder, (e, o) => e.Encode(B(name), B(value), false, o));

        encoder.DynamicTableCount.Should().Be(0);
    }

    [Fact]
    [Trait("rfc", "7541-6.3")]
    public void SetPeerMaxTableSize_Lowered_EmitsSizeUpdateAtNextBlockAndEvicts()
    {
        var encoder = new HpackEncoder();
        Block(encoder, (e, o) => e.Encode(B("server"), B("hyper"), false, o));

        encoder.SetPeerMaxTableSize(0);

        Block(encoder, (e, o) => e.EncodeStatus(200, o)).Should().Be("20" + "88");
        encoder.DynamicTableCount.Should().Be(0);
        Block(encoder, (e, o) => e.EncodeStatus(200, o)).Should().Be("88", "the update is sent once");
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void SetPeerMaxTableSize_LoweredThenRaised_EmitsSmallestThenFinal()
    {
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(100);
        encoder.SetPeerMaxTableSize(4096);

        Block(encoder, (_, _) => { }).Should().Be("3f45" + "3fe11f");
    }

    [Fact]
    public void SetPeerMaxTableSize_AboveOurCap_IsCapped()
    {
        var encoder = new HpackEncoder(maxDynamicTableSize: 4096);
        encoder.SetPeerMaxTableSize(65536);

        Block(encoder, (_, _) => { }).Should().BeEmpty("min(65536, 4096) is the table the peer already has");
        encoder.DynamicTableMaxSize.Should().Be(4096);
    }

    [Fact]
    public void Constructor_CapBelowDefault_EmitsSizeUpdateInFirstBlock()
    {
        var encoder = new HpackEncoder(maxDynamicTableSize: 0);

        Block(encoder, (e, o) => e.Encode(B("server"), B("hyper"), false, o)).Should().StartWith("20");
        encoder.DynamicTableCount.Should().Be(0);
    }

    [Fact]
    public void Encode_HappyPath_AllocatesOnlyForTableInsertions()
    {
        var encoder = new HpackEncoder();
        var output = new ArrayBufferWriter<byte>(4096);
        void Response()
        {
            encoder.BeginBlock(output);
            encoder.EncodeStatus(200, output);
            encoder.Encode("content-type"u8, "text/plain"u8, false, output);
            encoder.Encode("server"u8, "hyper"u8, false, output);
            encoder.Encode("content-length"u8, "12"u8, false, output);
        }

        Response(); // inserts content-type and server once

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            output.ResetWrittenCount();
            Response();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
