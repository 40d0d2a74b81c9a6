using System.Buffers;
using System.Text;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

public sealed class QpackEncoderTests
{
    [Theory]
    [InlineData(":method", "GET", "d1")]          // §4.5.2 static index 17
    [InlineData(":status", "200", "d9")]          // static index 25
    [InlineData(":status", "418", "5f09 03343138")] // §4.5.4 static name :status (24), raw value: Huffman is not shorter
    [InlineData("content-type", "text/plain", "f5")] // static index 53 fits the 6-bit prefix: 0xC0 | 53
    public void FieldLines_UseTheShortestStaticForm(string name, string value, string hex)
    {
        var output = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteFieldLine(output, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));

        Hex.Format(output.WrittenSpan).Should().Be(hex.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void AStaticIndexPast62_UsesAContinuationOctet()
    {
        var output = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteFieldLine(output, "x-frame-options"u8, "sameorigin"u8); // index 98 = 63 + 35

        Hex.Format(output.WrittenSpan).Should().Be("ff23");
    }

    [Fact]
    public void AnUnknownName_IsALiteralWithHuffmanWhenShorter()
    {
        var output = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteFieldLine(output, "custom-key"u8, "custom-value"u8);

        // 0 0 1 N=0 H=1 length 8 (Huffman "custom-key" is 8 octets), then value H=1 length 9.
        output.WrittenSpan[0].Should().Be(0x2F);
        output.WrittenSpan[1].Should().Be(0x01);
        var decoder = new QpackDecoder(new QpackDecoderOptions());
        var section = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(section);
        section.Write(output.WrittenSpan);
        var sink = new RecordingSink();
        decoder.DecodeFieldSection(0, section.WrittenSpan, sink);
        sink.Lines.Should().Equal("custom-key=custom-value");
    }

    [Fact]
    public void EveryStatusCode_RoundTrips()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions());
        for (var status = 100; status <= 999; status++)
        {
            var output = new ArrayBufferWriter<byte>();
            QpackEncoder.WriteSectionPrefix(output);
            QpackEncoder.WriteStatus(output, status);
            var sink = new RecordingSink();
            decoder.DecodeFieldSection(0, output.WrittenSpan, sink);
            sink.Lines.Should().Equal($":status={status}");
        }
    }

    [Fact]
    public void RandomFields_RoundTripThroughTheDecoder_WithNoDecoderStreamTraffic()
    {
        var random = new Random(7);
        var decoder = new QpackDecoder(new QpackDecoderOptions());
        for (var round = 0; round < 200; round++)
        {
            var fields = Enumerable.Range(0, random.Next(1, 20)).Select(_ => RandomField(random)).ToList();
            var output = new ArrayBufferWriter<byte>();
            QpackEncoder.WriteSectionPrefix(output);
            foreach (var (name, value) in fields) QpackEncoder.WriteFieldLine(output, name, value);

            var sink = new RecordingSink();
            decoder.DecodeFieldSection(round * 4, output.WrittenSpan, sink).Should().Be(FieldSectionStatus.Decoded);
            sink.Fields.Select(f => Convert.ToHexString(f.Name) + ":" + Convert.ToHexString(f.Value))
                .Should().Equal(fields.Select(f => Convert.ToHexString(f.Name) + ":" + Convert.ToHexString(f.Value)));
        }

        DecoderStream.Flush(decoder).Should().BeEmpty();
    }

    private static (byte[] Name, byte[] Value) RandomField(Random random)
    {
        string[] names = [":status", "content-type", "x-custom", "cache-control", "server", "set-cookie", "vary"];
        string[] values = ["200", "text/plain", "no-cache", "hyper", "origin", "a=b; Path=/", ""];
        var name = Encoding.ASCII.GetBytes(names[random.Next(names.Length)]);
        var value = random.Next(3) == 0 ? RandomBytes(random) : Encoding.ASCII.GetBytes(values[random.Next(values.Length)]);
        return (name, value);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void DecoderStream_StreamCancellations_AreAccepted_SplitAnywhere()
    {
        var cancellations = Hex.Parse("48 7f8101 44"); // cancel 8, cancel 63 + 1 + 128 = 192 (three octets), cancel 4

        for (var split = 0; split <= cancellations.Length; split++)
        {
            var encoder = new QpackEncoder();
            encoder.ReceiveDecoderStream(cancellations.AsSpan(0, split));
            encoder.ReceiveDecoderStream(cancellations.AsSpan(split));
            encoder.StreamCancellationsReceived.Should().Be(3, $"split at {split}");
        }
    }

    [Theory]
    [InlineData("84", "Section Acknowledgment: no section of ours referenced the dynamic table (§4.4.1)")]
    [InlineData("01", "Insert Count Increment past our zero inserts (§4.4.3)")]
    [InlineData("00", "Insert Count Increment of zero (§4.4.3)")]
    [InlineData("7fffffffffffffffffffff01", "integer past 62 bits (§4.1.1)")]
    public void DecoderStream_InstructionsThatCannotApply_AreDecoderStreamError(string hex, string because)
    {
        var encoder = new QpackEncoder();

        var act = () => encoder.ReceiveDecoderStream(Hex.Parse(hex));

        act.Should().Throw<QpackException>(because).Which.ErrorCode.Should().Be(QpackErrorCode.DecoderStreamError);
    }

    [Fact]
    public void DecoderStream_ByteByByte_FindsTheErrorAtItsLastOctet()
    {
        var encoder = new QpackEncoder();
        var bytes = Hex.Parse("7f81 01 ff 01"); // cancel 192, then Section Acknowledgment for 127 + 1 = 128

        encoder.ReceiveDecoderStream(bytes.AsSpan(0, 1));
        encoder.ReceiveDecoderStream(bytes.AsSpan(1, 1));
        encoder.ReceiveDecoderStream(bytes.AsSpan(2, 1));
        encoder.StreamCancellationsReceived.Should().Be(1);
        encoder.ReceiveDecoderStream(bytes.AsSpan(3, 1));
        var act = () => encoder.ReceiveDecoderStream(bytes.AsSpan(4, 1));

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecoderStreamError);
    }
}
