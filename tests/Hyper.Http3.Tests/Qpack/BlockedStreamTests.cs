using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>RFC 9204 §2.1.2: a section that needs inserts not yet received waits, up to SETTINGS_QPACK_BLOCKED_STREAMS.</summary>
public sealed class BlockedStreamTests
{
    // Capacity 220, then :authority=www.example.com and :path=/sample/path (RFC 9204 B.2).
    private const string TwoInserts = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468";
    private const string CapacityOnly = "3fbd01";
    private const string FirstInsert = "c00f 7777 772e 6578 616d 706c 652e 636f 6d";
    private const string SecondInsert = "c10c 2f73 616d 706c 652f 7061 7468";

    private static QpackDecoder NewDecoder(int blocked) => new(new QpackDecoderOptions { MaxTableCapacity = 220, MaxBlockedStreams = blocked });

    [Fact]
    public void SectionBeforeItsInserts_Blocks_ThenDecodesWhenTheyArrive()
    {
        var decoder = NewDecoder(blocked: 1);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));

        decoder.DecodeFieldSection(4, Hex.Parse("0381 10 11"), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);
        decoder.TryTakeUnblockedStream(out _).Should().BeFalse();

        decoder.ReceiveEncoderStream(Hex.Parse(FirstInsert));
        decoder.TryTakeUnblockedStream(out _).Should().BeFalse("Required Insert Count 2 needs both inserts");

        decoder.ReceiveEncoderStream(Hex.Parse(SecondInsert));
        decoder.TryTakeUnblockedStream(out var streamId).Should().BeTrue();
        streamId.Should().Be(4);

        var sink = new RecordingSink();
        decoder.DecodeUnblocked(4, sink);
        sink.Lines.Should().Equal(":authority=www.example.com", ":path=/sample/path");
        decoder.BlockedStreamCount.Should().Be(0);
        DecoderStream.Flush(decoder).Should().Be("84");
    }

    [Fact]
    public void InsertsArrivingByteByByte_UnblockExactlyWhenTheLastOneCompletes()
    {
        var decoder = NewDecoder(blocked: 1);
        decoder.DecodeFieldSection(4, Hex.Parse("0381 10 11"), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);
        var stream = Hex.Parse(TwoInserts);

        for (var i = 0; i < stream.Length; i++)
        {
            decoder.ReceiveEncoderStream(stream.AsSpan(i, 1));
            decoder.TryTakeUnblockedStream(out _).Should().Be(i == stream.Length - 1, $"after octet {i}");
        }
    }

    [Fact]
    public void StreamsUnblock_InTheOrderTheyBlocked()
    {
        var decoder = NewDecoder(blocked: 2);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(8, Hex.Parse("0381 10 11"), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);
        decoder.DecodeFieldSection(4, Hex.Parse("0381 10 11"), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked);

        // Both need both inserts, which arrive in one piece: the stream that blocked first comes out first.
        decoder.ReceiveEncoderStream(Hex.Parse(TwoInserts[CapacityOnly.Length..]));

        decoder.TryTakeUnblockedStream(out var first).Should().BeTrue();
        decoder.TryTakeUnblockedStream(out var second).Should().BeTrue();
        (first, second).Should().Be((8L, 4L));
        decoder.TryTakeUnblockedStream(out _).Should().BeFalse();
    }

    [Fact]
    public void MoreBlockedStreamsThanAdvertised_IsDecompressionFailed()
    {
        var decoder = NewDecoder(blocked: 2);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(0, Hex.Parse("0280 10"), new RecordingSink());
        decoder.DecodeFieldSection(4, Hex.Parse("0280 10"), new RecordingSink());

        var act = () => decoder.DecodeFieldSection(8, Hex.Parse("0280 10"), new RecordingSink());

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void NoBlockedStreamsAdvertised_AnySectionThatWouldBlock_IsDecompressionFailed()
    {
        var decoder = NewDecoder(blocked: 0);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));

        var act = () => decoder.DecodeFieldSection(0, Hex.Parse("0280 10"), new RecordingSink());

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void UnblockedButNotYetTakenSections_StillCountAsBlocked()
    {
        var decoder = NewDecoder(blocked: 1);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(0, Hex.Parse("0280 10"), new RecordingSink());
        decoder.ReceiveEncoderStream(Hex.Parse(FirstInsert));

        var act = () => decoder.DecodeFieldSection(4, Hex.Parse("0381 10 11"), new RecordingSink());

        act.Should().Throw<QpackException>().Which.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void CancellingABlockedStream_FreesItsSlot_AndTellsTheEncoder()
    {
        var decoder = NewDecoder(blocked: 1);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(4, Hex.Parse("0280 10"), new RecordingSink());

        decoder.CancelStream(4);

        DecoderStream.Flush(decoder).Should().Be("44", "Stream Cancellation (stream=4)");
        decoder.ReceiveEncoderStream(Hex.Parse(FirstInsert));
        decoder.TryTakeUnblockedStream(out _).Should().BeFalse("the cancelled stream is gone");
        decoder.DecodeFieldSection(8, Hex.Parse("0381 10 11"), new RecordingSink()).Should().Be(FieldSectionStatus.Blocked, "its slot is free");
    }

    [Fact]
    public void CancellingAStreamThatWasAlreadyReleased_DropsIt()
    {
        var decoder = NewDecoder(blocked: 1);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(4, Hex.Parse("0280 10"), new RecordingSink());
        decoder.ReceiveEncoderStream(Hex.Parse(FirstInsert));

        decoder.CancelStream(4);

        decoder.TryTakeUnblockedStream(out _).Should().BeFalse();
        decoder.BlockedStreamCount.Should().Be(0);
    }

    [Fact]
    public void WithTheTableDisabled_CancellationIsNotSent()
    {
        var decoder = new QpackDecoder(new QpackDecoderOptions());

        decoder.CancelStream(4);

        DecoderStream.Flush(decoder).Should().BeEmpty("RFC 9204 §4.4.2 lets a decoder without a dynamic table omit it");
    }

    [Fact]
    public void ASecondSectionForABlockedStream_IsACallerBug()
    {
        var decoder = NewDecoder(blocked: 2);
        decoder.ReceiveEncoderStream(Hex.Parse(CapacityOnly));
        decoder.DecodeFieldSection(4, Hex.Parse("0280 10"), new RecordingSink());

        var act = () => decoder.DecodeFieldSection(4, Hex.Parse("0000 d1"), new RecordingSink());

        act.Should().Throw<InvalidOperationException>();
    }
}
