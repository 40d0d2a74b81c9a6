using System.Buffers;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>Every malformed input gives its RFC 9204 §6 error code.</summary>
public sealed class QpackDecoderErrorTests
{
    private static QpackDecoder NewDecoder(long capacity = 220, int blocked = 2) =>
        new(new QpackDecoderOptions { MaxTableCapacity = capacity, MaxBlockedStreams = blocked });

    [Theory]
    [InlineData("3fbe01", "capacity 221 above our 220 (§4.3.1)")]
    [InlineData("3fbd01 ff24 0161", "static name index 99 (§3.1)")]
    [InlineData("3fbd01 80 0161", "dynamic name reference into an empty table (§4.3.2)")]
    [InlineData("3fbd01 00", "Duplicate of a missing entry (§4.3.4)")]
    [InlineData("3fbd01 4161 0162 01", "Duplicate of relative index 1 with one entry (§4.3.4)")]
    [InlineData("4161 0162", "insert before any capacity was set: the table's capacity is 0 (§3.2.2)")]
    [InlineData("3f01 4161 0162", "entry of 34 octets into a 32-octet table (§3.2.2)")]
    [InlineData("3f45 6100", "Huffman name with zero padding bits (RFC 7541 §5.2)")]
    [InlineData("3f45 61ff ffff ff", "Huffman name holding EOS (RFC 7541 §5.2)")]
    [InlineData("3fffffffffffffffffffff01", "integer past 62 bits (§4.1.1)")]
    public void MalformedEncoderStream_IsEncoderStreamError(string hex, string because)
    {
        var decoder = NewDecoder();

        var act = () => decoder.ReceiveEncoderStream(Hex.Parse(hex));

        act.Should().Throw<QpackException>(because).Which.ErrorCode.Should().Be(QpackErrorCode.EncoderStreamError);
    }

    [Theory]
    [InlineData("", "empty section: no prefix")]
    [InlineData("00", "prefix cut after the Required Insert Count")]
    [InlineData("0e00", "encoded Required Insert Count 14 past the full range 12 (§4.5.1.1)")]
    [InlineData("0281", "Base = 1 - 1 - 1 is negative (§4.5.1.2)")]
    [InlineData("0000 ff24", "static index 99 (§3.1)")]
    [InlineData("0000 5f54 00", "static name index 15 + 84 = 99 past the table (§3.1)")]
    [InlineData("0200 81", "relative index 1 below Base 1 is absolute -1 (§3.2.5)")]
    [InlineData("0200 80 11", "post-base index 1 at Base 1 is absolute 2, past Required Insert Count 1 (§2.2.3)")]
    [InlineData("0381 10 12", "post-base index 2 is absolute 2 with Required Insert Count 2 (§2.2.3)")]
    [InlineData("0300 81", "Required Insert Count 2 where the largest reference is absolute 0 (§4.5.1.1)")]
    [InlineData("0000 510b 2f", "value shorter than its length (§4.1.2)")]
    [InlineData("0000 2361 62", "literal name shorter than its length (§4.1.2)")]
    [InlineData("0000 5181 00", "Huffman value with zero padding (RFC 7541 §5.2)")]
    [InlineData("0000 51", "line cut before its value")]
    [InlineData("0000 3f", "line cut inside its name length")]
    [InlineData("00ff ffffffffffffffffff01", "Delta Base past 62 bits (§4.1.1)")]
    public void MalformedFieldSection_IsDecompressionFailed(string hex, string because)
    {
        var decoder = NewDecoder();
        decoder.ReceiveEncoderStream(Hex.Parse("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468"));

        var act = () => decoder.DecodeFieldSection(4, Hex.Parse(hex), new RecordingSink());

        act.Should().Throw<QpackException>(because).Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void DynamicReference_WithTheTableDisabled_IsDecompressionFailed()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions());

        var act = () => decoder.DecodeFieldSection(0, Hex.Parse("0200 80"), new RecordingSink());

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void SetCapacity_WithTheTableDisabled_IsEncoderStreamError()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions());

        decoder.ReceiveEncoderStream(Hex.Parse("20")); // capacity 0 is allowed
        var act = () => decoder.ReceiveEncoderStream(Hex.Parse("21"));

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.EncoderStreamError);
    }

    [Fact]
    public void EveryTruncationOfAValidSection_DecodesAPrefixOfItsLinesOrFailsAsDecompressionFailed()
    {
        // B.1's literal, then an indexed line, static name references and a Huffman literal name: a section cut
        // anywhere is either a shorter valid section (cut at a line boundary) or QPACK_DECOMPRESSION_FAILED.
        var output = new ArrayBufferWriter<byte>();
        output.Write(Hex.Parse("0000 510b 2f69 6e64 6578 2e68 746d 6c"));
        QpackEncoder.WriteFieldLine(output, ":method"u8, "GET"u8);
        QpackEncoder.WriteStatus(output, 418);
        QpackEncoder.WriteFieldLine(output, "x-custom-header"u8, "some value here"u8);
        var full = output.WrittenSpan.ToArray();
        var expected = new RecordingSink();
        NewDecoder().DecodeFieldSection(0, full, expected);
        expected.Lines.Should().HaveCount(4);

        for (var cut = 0; cut < full.Length; cut++)
        {
            var sink = new RecordingSink();
            try
            {
                NewDecoder().DecodeFieldSection(0, full.AsSpan(0, cut), sink);
                sink.Lines.Should().Equal(expected.Lines.Take(sink.Lines.Count), $"cut at {cut}");
            }
            catch (QpackException e)
            {
                e.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed, $"cut at {cut}");
            }
        }
    }
}
