using System.Buffers;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>Security catalogue Q-11: every size is bounded, and lengths are refused before anything is allocated.</summary>
public sealed class QpackLimitTests
{
    [Fact]
    public void OversizedInsert_IsRefusedFromItsLengthPrefix_BeforeItsOctetsArrive()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 4096 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fe11f")); // capacity 4096

        // Insert With Literal Name, raw name of 1,000,000 octets: only the header is sent.
        var header = new byte[QpackInteger.MaxEncodedLength];
        var length = QpackInteger.Write(1_000_000, 5, 0x40, header);
        var act = () => decoder.ReceiveEncoderStream(header.AsSpan(0, length));

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.EncoderStreamError);
    }

    [Fact]
    public void OversizedHuffmanValue_IsRefusedFromItsLengthPrefix()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 4096 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fe11f"));

        // Static name :path, Huffman value of 20,000 encoded octets: at least 5,333 decoded, past the capacity.
        var header = new byte[2 * QpackInteger.MaxEncodedLength];
        var length = QpackInteger.Write(1, 6, 0xC0, header);
        length += QpackInteger.Write(20_000, 7, 0x80, header.AsSpan(length));
        var act = () => decoder.ReceiveEncoderStream(header.AsSpan(0, length));

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.EncoderStreamError);
    }

    [Fact]
    public void AnIncompleteInstruction_HeldAcrossCalls_StaysWithinItsBound()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 4096 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fe11f"));
        var header = new byte[QpackInteger.MaxEncodedLength];
        var length = QpackInteger.Write(4000, 5, 0x40, header); // a name of 4000 octets fits (4000 + 32 <= 4096)
        decoder.ReceiveEncoderStream(header.AsSpan(0, length));

        for (var i = 0; i < 3999; i++) decoder.ReceiveEncoderStream("a"u8);

        decoder.EncoderTailLength.Should().Be(length + 3999);
        decoder.InsertCount.Should().Be(0);
        decoder.ReceiveEncoderStream("a"u8);
        decoder.ReceiveEncoderStream([0x00]); // empty value
        decoder.InsertCount.Should().Be(1);
        decoder.EncoderTailLength.Should().Be(0);
    }

    [Fact]
    public void ManyTinyInserts_KeepTheEntryRingWithinCapacityOver32()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 320 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fa102")); // capacity 320
        var insertEmpty = Hex.Parse("4000"); // Insert With Literal Name: empty name, empty value (32 octets)

        for (var i = 0; i < 10_000; i++) decoder.ReceiveEncoderStream(insertEmpty);

        decoder.InsertCount.Should().Be(10_000);
        decoder.DynamicTableCount.Should().Be(10);
        decoder.DynamicTableRingLength.Should().BeLessThanOrEqualTo(11);
    }

    [Fact]
    public void IndexedReferenceBomb_IsRefusedWhileDecoding_AndCancelsTheStream()
    {
        // One 1000-octet entry referenced 60 times: a 63-octet section that would decode to ~62 KB. The limit is 8 KB.
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 4096, MaxFieldSectionSize = 8192 });
        var stream = new ArrayBufferWriter<byte>();
        var span = stream.GetSpan(2000);
        var n = QpackInteger.Write(4096, 5, 0x20, span);
        n += QpackInteger.Write(1, 5, 0x40, span[n..]);
        span[n++] = (byte)'x';
        n += QpackInteger.Write(1000, 7, 0x00, span[n..]);
        span.Slice(n, 1000).Fill((byte)'v');
        stream.Advance(n + 1000);
        decoder.ReceiveEncoderStream(stream.WrittenSpan);
        DecoderStream.Flush(decoder);

        var section = new byte[2 + 60];
        section[0] = 0x02; // Required Insert Count 1
        section[1] = 0x00; // Base 1
        section.AsSpan(2).Fill(0x80); // relative index 0, sixty times
        var sink = new RecordingSink();

        var act = () => decoder.DecodeFieldSection(4, section, sink);

        act.Should().Throw<FieldSectionTooLargeException>().Which.StreamId.Should().Be(4);
        sink.Lines.Count.Should().BeLessThanOrEqualTo(8, "decoding stops at the limit, not after the whole list");
        DecoderStream.Flush(decoder).Should().Be("44", "Stream Cancellation, so the encoder can release the entry");
    }

    [Fact]
    public void TooManyFieldLines_IsRefused()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxFieldCount = 10 });
        var section = new byte[2 + 11];
        section.AsSpan(2).Fill(0xD1); // :method GET, eleven times

        var act = () => decoder.DecodeFieldSection(0, section, new RecordingSink());

        act.Should().Throw<FieldSectionTooLargeException>();
        DecoderStream.Flush(decoder).Should().BeEmpty("a static-only section pins nothing");
    }

    [Fact]
    public void ALongLiteral_IsRefusedBeforeItIsCopiedOrDecoded_AndTheScratchStaysWithinTheLimit()
    {
        const int limit = 4096;
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxFieldSectionSize = limit });
        var output = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(output);
        QpackEncoder.WriteFieldLine(output, "x-big"u8, new string('a', 6000).Select(c => (byte)c).ToArray());

        var act = () => decoder.DecodeFieldSection(0, output.WrittenSpan, new RecordingSink());

        act.Should().Throw<FieldSectionTooLargeException>();
        decoder.ScratchCapacity.Should().BeLessThanOrEqualTo(limit);
    }

    [Fact]
    public void AnEncodedSectionLongerThanTheLimit_IsRefusedWithoutBeingKept()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 220, MaxBlockedStreams = 10, MaxFieldSectionSize = 100 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fbd01"));
        var section = new byte[200];
        section[0] = 0x02; // Required Insert Count 1: would block
        section[1] = 0x00;

        var act = () => decoder.DecodeFieldSection(4, section, new RecordingSink());

        act.Should().Throw<FieldSectionTooLargeException>();
        decoder.BlockedStreamCount.Should().Be(0);
    }

    [Fact]
    public void MaxBlockedSections_CostAtMostTheirLimit()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 220, MaxBlockedStreams = 3, MaxFieldSectionSize = 1000 });
        decoder.ReceiveEncoderStream(Hex.Parse("3fbd01"));
        var section = new byte[1000];
        section[0] = 0x02;

        for (var stream = 0; stream < 3; stream++) decoder.DecodeFieldSection(stream * 4, section, new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);
        var fourth = () => decoder.DecodeFieldSection(12, section, new RecordingSink());

        fourth.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }
}
