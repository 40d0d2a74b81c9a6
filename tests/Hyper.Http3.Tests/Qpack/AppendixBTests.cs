using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>RFC 9204 Appendix B, byte for byte, on the decoder side (our encoder is static-only: it inserts nothing).</summary>
public sealed class AppendixBTests
{
    private const string B1Section = "0000 510b 2f69 6e64 6578 2e68 746d 6c";
    private const string B2Encoder = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468";
    private const string B2Section = "0381 10 11";
    private const string B3Encoder = "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565";
    private const string B4Encoder = "02";
    private const string B4Section = "0500 80 c1 81";
    private const string B5Encoder = "810d 6375 7374 6f6d 2d76 616c 7565 32";

    private static QpackDecoder NewDecoder() => new(new QpackDecoderOptions { MaxTableCapacity = 220, MaxBlockedStreams = 1 });

    [Fact]
    public void B1_LiteralWithStaticNameReference_DecodesWithoutTouchingTheTable()
    {
        var decoder = NewDecoder();
        var sink = new RecordingSink();

        decoder.DecodeFieldSection(0, Hex.Parse(B1Section), sink).Should().Be(FieldSectionStatus.Decoded);

        sink.Lines.Should().Equal(":path=/index.html");
        decoder.DynamicTableSize.Should().Be(0);
        DecoderStream.Flush(decoder).Should().BeEmpty("a section with Required Insert Count 0 is not acknowledged");
    }

    [Fact]
    public void B2_DynamicTable_InsertsThenPostBaseReferences_AcknowledgedWith84()
    {
        var decoder = NewDecoder();
        decoder.ReceiveEncoderStream(Hex.Parse(B2Encoder));

        decoder.DynamicTableCapacity.Should().Be(220);
        decoder.DynamicTableSize.Should().Be(106);
        decoder.InsertCount.Should().Be(2);

        var sink = new RecordingSink();
        decoder.DecodeFieldSection(4, Hex.Parse(B2Section), sink).Should().Be(FieldSectionStatus.Decoded);

        sink.Lines.Should().Equal(":authority=www.example.com", ":path=/sample/path");
        DecoderStream.Flush(decoder).Should().Be("84", "Section Acknowledgment (stream=4); it covers both inserts, so no increment");
        decoder.KnownReceivedCount.Should().Be(2);
    }

    [Fact]
    public void B3_SpeculativeInsert_AnsweredWithInsertCountIncrement01()
    {
        var decoder = NewDecoder();
        Through_B2(decoder);

        decoder.ReceiveEncoderStream(Hex.Parse(B3Encoder));

        decoder.DynamicTableSize.Should().Be(160);
        decoder.GetDynamicEntry(2).Should().BeEquivalentTo(("custom-key"u8.ToArray(), "custom-value"u8.ToArray()));
        DecoderStream.Flush(decoder).Should().Be("01");
        DecoderStream.Flush(decoder).Should().BeEmpty("the increment is sent once");
    }

    [Fact]
    public void B4_DuplicateAndRelativeReferences_DecodeAndAcknowledge()
    {
        var decoder = NewDecoder();
        Through_B3(decoder);

        decoder.ReceiveEncoderStream(Hex.Parse(B4Encoder));
        decoder.DynamicTableSize.Should().Be(217);
        decoder.GetDynamicEntry(3).Should().BeEquivalentTo((":authority"u8.ToArray(), "www.example.com"u8.ToArray()));

        var sink = new RecordingSink();
        decoder.DecodeFieldSection(8, Hex.Parse(B4Section), sink).Should().Be(FieldSectionStatus.Decoded);

        sink.Lines.Should().Equal(":authority=www.example.com", ":path=/", "custom-key=custom-value");
        DecoderStream.Flush(decoder).Should().Be("88", "Section Acknowledgment (stream=8) covers the duplicate too");
    }

    [Fact]
    public void B4_StreamCancellation_Is48()
    {
        // In the appendix the stream is reset before its section is acknowledged. Here the section arrives before
        // the Duplicate it needs, blocks, and the stream is then reset: the decoder stream carries exactly "48".
        var decoder = NewDecoder();
        Through_B3(decoder);

        decoder.DecodeFieldSection(8, Hex.Parse(B4Section), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);
        decoder.BlockedStreamCount.Should().Be(1);
        decoder.CancelStream(8);

        DecoderStream.Flush(decoder).Should().Be("48");
        decoder.BlockedStreamCount.Should().Be(0);
        decoder.KnownReceivedCount.Should().Be(3, "the appendix's table is acknowledged up to entry 2");
    }

    [Fact]
    public void B5_InsertWithDynamicNameReference_EvictsTheOldestEntry()
    {
        var decoder = NewDecoder();
        Through_B3(decoder);
        decoder.ReceiveEncoderStream(Hex.Parse(B4Encoder));

        decoder.ReceiveEncoderStream(Hex.Parse(B5Encoder));

        decoder.DynamicTableSize.Should().Be(215);
        decoder.DynamicTableCount.Should().Be(4);
        decoder.InsertCount.Should().Be(5);
        decoder.GetDynamicEntry(1).Should().BeEquivalentTo((":path"u8.ToArray(), "/sample/path"u8.ToArray()));
        decoder.GetDynamicEntry(4).Should().BeEquivalentTo(("custom-key"u8.ToArray(), "custom-value2"u8.ToArray()));
        var evicted = new RecordingSink();
        var act = () => decoder.DecodeFieldSection(12, Hex.Parse("0200 80"), evicted); // RIC 1 → absolute 0, evicted
        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void EncoderStream_SplitAtEveryPosition_BuildsTheSameTable()
    {
        var stream = Hex.Parse(B2Encoder + B3Encoder + B4Encoder + B5Encoder);

        for (var split = 0; split <= stream.Length; split++)
        {
            var decoder = NewDecoder();
            decoder.ReceiveEncoderStream(stream.AsSpan(0, split));
            decoder.ReceiveEncoderStream(stream.AsSpan(split));
            AssertB5Table(decoder, $"split at {split}");
        }
    }

    [Fact]
    public void EncoderStream_ByteByByte_BuildsTheSameTable()
    {
        var stream = Hex.Parse(B2Encoder + B3Encoder + B4Encoder + B5Encoder);
        var decoder = NewDecoder();

        foreach (var octet in stream) decoder.ReceiveEncoderStream([octet]);

        AssertB5Table(decoder, "byte by byte");
        decoder.EncoderTailLength.Should().Be(0);
    }

    [Fact]
    public void EncoderStream_SplitInThreeAtEveryPair_BuildsTheSameTable()
    {
        var stream = Hex.Parse(B2Encoder + B3Encoder);
        for (var first = 0; first <= stream.Length; first++)
        {
            for (var second = first; second <= stream.Length; second++)
            {
                var decoder = NewDecoder();
                decoder.ReceiveEncoderStream(stream.AsSpan(0, first));
                decoder.ReceiveEncoderStream(stream.AsSpan(first, second - first));
                decoder.ReceiveEncoderStream(stream.AsSpan(second));
                decoder.DynamicTableSize.Should().Be(160);
                decoder.InsertCount.Should().Be(3);
            }
        }
    }

    private static void AssertB5Table(QpackDecoder decoder, string because)
    {
        decoder.DynamicTableSize.Should().Be(215, because);
        decoder.InsertCount.Should().Be(5, because);
        decoder.GetDynamicEntry(2).Should().BeEquivalentTo(("custom-key"u8.ToArray(), "custom-value"u8.ToArray()), because);
        decoder.GetDynamicEntry(3).Should().BeEquivalentTo((":authority"u8.ToArray(), "www.example.com"u8.ToArray()), because);
        decoder.GetDynamicEntry(4).Should().BeEquivalentTo(("custom-key"u8.ToArray(), "custom-value2"u8.ToArray()), because);
    }

    private static void Through_B2(QpackDecoder decoder)
    {
        decoder.ReceiveEncoderStream(Hex.Parse(B2Encoder));
        decoder.DecodeFieldSection(4, Hex.Parse(B2Section), new RecordingSink());
        DecoderStream.Flush(decoder);
    }

    private static void Through_B3(QpackDecoder decoder)
    {
        Through_B2(decoder);
        decoder.ReceiveEncoderStream(Hex.Parse(B3Encoder));
        DecoderStream.Flush(decoder);
    }
}
