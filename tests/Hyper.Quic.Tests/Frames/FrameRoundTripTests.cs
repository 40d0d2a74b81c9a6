using Hyper.Quic.Frames;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Frames;

/// <summary>Every RFC 9000 §19 frame: written byte for byte as the RFC lays it out, and read back.</summary>
public sealed class FrameRoundTripTests
{
    private delegate bool WriteFrame(ref QuicFrameWriter writer);

    private static byte[] Write(WriteFrame write, int capacity = 256)
    {
        var buffer = new byte[capacity];
        var writer = new QuicFrameWriter(buffer);
        write(ref writer).Should().BeTrue();
        return buffer.AsSpan(0, writer.BytesWritten).ToArray();
    }

    private static QuicFrame ReadSingle(byte[] payload, PacketType packetType = PacketType.OneRtt, bool receiverIsServer = false)
    {
        var reader = new QuicFrameReader(payload, packetType, receiverIsServer);
        reader.TryRead(out var frame).Should().BeTrue();
        var end = reader;
        end.TryRead(out _).Should().BeFalse("the payload holds exactly one frame");
        return frame;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [Fact]
    public void Padding_RunIsOneFrameWithItsLength()
    {
        var bytes = Write((ref QuicFrameWriter w) => w.TryWritePadding(5));

        Hex(bytes).Should().Be("0000000000");
        var frame = ReadSingle(bytes, PacketType.Initial);
        frame.Type.Should().Be(FrameType.Padding);
        frame.PaddingLength.Should().Be(5);
        frame.IsAckEliciting.Should().BeFalse();
    }

    [Fact]
    public void PingAndHandshakeDone()
    {
        Hex(Write((ref QuicFrameWriter w) => w.TryWritePing())).Should().Be("01");
        Hex(Write((ref QuicFrameWriter w) => w.TryWriteHandshakeDone())).Should().Be("1e");
        ReadSingle([0x01], PacketType.Handshake).IsAckEliciting.Should().BeTrue();
        ReadSingle([0x1e]).Type.Should().Be(FrameType.HandshakeDone);
    }

    [Fact]
    public void Ack_WithRanges_EncodesGapsAndLengths()
    {
        // Acknowledges 98..100, 90..94 and 10: gaps are (98 - 94 - 2) = 2 and (90 - 10 - 2) = 78.
        PacketNumberRange[] ranges = [new(98, 100), new(90, 94), new(10, 10)];
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteAck(ranges, ackDelay: 0x1234));

        Hex(bytes).Should().Be("02" + "4064" + "5234" + "02" + "02" + "02" + "04" + "404e" + "00");
        var frame = ReadSingle(bytes, PacketType.Initial);
        frame.Type.Should().Be(FrameType.Ack);
        frame.Ack.LargestAcknowledged.Should().Be(100);
        frame.Ack.AckDelay.Should().Be(0x1234);
        frame.Ack.Ecn.Should().BeNull();
        var read = new List<PacketNumberRange>();
        foreach (var range in frame.Ack.GetRanges()) read.Add(range);
        read.Should().Equal(ranges);
        frame.IsAckEliciting.Should().BeFalse();
    }

    [Fact]
    public void AckEcn_CarriesTheThreeCounters()
    {
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteAck([new(0, 5)], 0, new EcnCounts(1, 2, 300)));

        Hex(bytes).Should().Be("03" + "05" + "00" + "00" + "05" + "01" + "02" + "412c");
        var frame = ReadSingle(bytes, PacketType.Handshake);
        frame.Type.Should().Be(FrameType.AckEcn);
        frame.Ack.Ecn.Should().Be(new EcnCounts(1, 2, 300));
    }

    [Fact]
    public void ResetStreamAndStopSending()
    {
        var reset = Write((ref QuicFrameWriter w) => w.TryWriteResetStream(4, 0x10c, 1000));
        var stop = Write((ref QuicFrameWriter w) => w.TryWriteStopSending(8, 0x10b));

        Hex(reset).Should().Be("04" + "04" + "410c" + "43e8");
        Hex(stop).Should().Be("05" + "08" + "410b");
        ReadSingle(reset).ResetStream.Should().Be(new ResetStreamFrame(4, 0x10c, 1000));
        ReadSingle(stop).StopSending.Should().Be(new StopSendingFrame(8, 0x10b));
    }

    [Fact]
    public void Crypto()
    {
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteCrypto(70, [0xaa, 0xbb, 0xcc]));

        Hex(bytes).Should().Be("06" + "4046" + "03" + "aabbcc");
        var frame = ReadSingle(bytes, PacketType.Initial);
        frame.Crypto.Offset.Should().Be(70);
        frame.Crypto.Data.ToArray().Should().Equal(0xaa, 0xbb, 0xcc);
    }

    [Fact]
    public void NewToken()
    {
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteNewToken([1, 2]));

        Hex(bytes).Should().Be("07020102");
        ReadSingle(bytes).Token.ToArray().Should().Equal(1, 2);
    }

    [Theory]
    [InlineData(0UL, false, false, "0a" + "04" + "03" + "616263")]          // LEN only
    [InlineData(0UL, true, false, "0b" + "04" + "03" + "616263")]           // LEN + FIN
    [InlineData(100UL, false, false, "0e" + "04" + "4064" + "03" + "616263")] // OFF + LEN
    [InlineData(100UL, true, true, "0d" + "04" + "4064" + "616263")]        // OFF + FIN, data to the end
    [InlineData(0UL, false, true, "08" + "04" + "616263")]                 // no flags
    public void Stream_FlagsFollowOffsetLengthAndFin(ulong offset, bool fin, bool lastInPacket, string expected)
    {
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteStream(4, offset, "abc"u8, fin, lastInPacket));

        Hex(bytes).Should().Be(expected);
        var frame = ReadSingle(bytes, PacketType.ZeroRtt);
        frame.Type.Should().Be(FrameType.Stream);
        frame.RawType.Should().Be(bytes[0]);
        frame.Stream.StreamId.Should().Be(4);
        frame.Stream.Offset.Should().Be(offset);
        frame.Stream.Fin.Should().Be(fin);
        frame.Stream.Data.ToArray().Should().Equal("abc"u8.ToArray());
    }

    [Fact]
    public void FlowControlFrames()
    {
        var frames = new (byte[] Bytes, string Hex, FrameType Type, FlowControlFrame Value)[]
        {
            (Write((ref QuicFrameWriter w) => w.TryWriteMaxData(1 << 20)), "10" + "80100000", FrameType.MaxData, new(0, 1 << 20)),
            (Write((ref QuicFrameWriter w) => w.TryWriteMaxStreamData(2, 65536)), "11" + "02" + "80010000", FrameType.MaxStreamData, new(2, 65536)),
            (Write((ref QuicFrameWriter w) => w.TryWriteMaxStreams(true, 100)), "12" + "4064", FrameType.MaxStreamsBidirectional, new(0, 100)),
            (Write((ref QuicFrameWriter w) => w.TryWriteMaxStreams(false, 3)), "13" + "03", FrameType.MaxStreamsUnidirectional, new(0, 3)),
            (Write((ref QuicFrameWriter w) => w.TryWriteDataBlocked(7)), "14" + "07", FrameType.DataBlocked, new(0, 7)),
            (Write((ref QuicFrameWriter w) => w.TryWriteStreamDataBlocked(6, 9)), "15" + "06" + "09", FrameType.StreamDataBlocked, new(6, 9)),
            (Write((ref QuicFrameWriter w) => w.TryWriteStreamsBlocked(true, 1)), "16" + "01", FrameType.StreamsBlockedBidirectional, new(0, 1)),
            (Write((ref QuicFrameWriter w) => w.TryWriteStreamsBlocked(false, 2)), "17" + "02", FrameType.StreamsBlockedUnidirectional, new(0, 2)),
        };

        foreach (var (bytes, hex, type, value) in frames)
        {
            Hex(bytes).Should().Be(hex);
            var frame = ReadSingle(bytes);
            frame.Type.Should().Be(type);
            frame.FlowControl.Should().Be(value);
        }
    }

    [Fact]
    public void NewConnectionIdAndRetire()
    {
        var token = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var bytes = Write((ref QuicFrameWriter w) => w.TryWriteNewConnectionId(5, 2, [0xde, 0xad, 0xbe, 0xef], token));
        var retire = Write((ref QuicFrameWriter w) => w.TryWriteRetireConnectionId(3));

        Hex(bytes).Should().Be("18" + "05" + "02" + "04" + "deadbeef" + Hex(token));
        Hex(retire).Should().Be("1903");
        var frame = ReadSingle(bytes);
        frame.NewConnectionId.SequenceNumber.Should().Be(5);
        frame.NewConnectionId.RetirePriorTo.Should().Be(2);
        frame.NewConnectionId.ConnectionId.ToArray().Should().Equal(0xde, 0xad, 0xbe, 0xef);
        frame.NewConnectionId.StatelessResetToken.ToArray().Should().Equal(token);
        ReadSingle(retire).RetireSequenceNumber.Should().Be(3);
    }

    [Fact]
    public void PathChallengeAndResponse()
    {
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];
        var challenge = Write((ref QuicFrameWriter w) => w.TryWritePathChallenge(data));
        var response = Write((ref QuicFrameWriter w) => w.TryWritePathResponse(data));

        Hex(challenge).Should().Be("1a0102030405060708");
        Hex(response).Should().Be("1b0102030405060708");
        ReadSingle(challenge).PathData.ToArray().Should().Equal(data);
        ReadSingle(response).Type.Should().Be(FrameType.PathResponse);
    }

    [Fact]
    public void ConnectionClose_TransportAndApplication()
    {
        var transport = Write((ref QuicFrameWriter w) => w.TryWriteConnectionClose(QuicTransportErrorCode.FrameEncodingError, 0x06, "bad"u8));
        var application = Write((ref QuicFrameWriter w) => w.TryWriteApplicationClose(0x100, []));

        Hex(transport).Should().Be("1c" + "07" + "06" + "03" + "626164");
        Hex(application).Should().Be("1d" + "4100" + "00");
        var close = ReadSingle(transport, PacketType.Initial).ConnectionClose;
        (close.IsApplicationClose, close.ErrorCode, close.TriggeringFrameType).Should().Be((false, 7UL, 6UL));
        close.ReasonPhrase.ToArray().Should().Equal("bad"u8.ToArray());
        var app = ReadSingle(application).ConnectionClose;
        (app.IsApplicationClose, app.ErrorCode).Should().Be((true, 0x100UL));
        ReadSingle(transport).IsAckEliciting.Should().BeFalse();
    }

    [Fact]
    public void SeveralFramesInOnePacket_AreReadInOrder()
    {
        var buffer = new byte[100];
        var writer = new QuicFrameWriter(buffer);
        writer.TryWriteAck([new(0, 0)], 0).Should().BeTrue();
        writer.TryWriteCrypto(0, [1, 2, 3]).Should().BeTrue();
        writer.TryWritePadding(10).Should().BeTrue();
        var payload = buffer.AsSpan(0, writer.BytesWritten).ToArray();

        var types = new List<FrameType>();
        var reader = new QuicFrameReader(payload, PacketType.Initial, receiverIsServer: true);
        while (reader.TryRead(out var frame)) types.Add(frame.Type);

        types.Should().Equal(FrameType.Ack, FrameType.Crypto, FrameType.Padding);
    }

    [Fact]
    public void Writer_FrameThatDoesNotFit_WritesNothing()
    {
        var buffer = new byte[6];
        var writer = new QuicFrameWriter(buffer);
        writer.TryWritePing().Should().BeTrue();

        writer.TryWriteCrypto(0, [1, 2, 3, 4]).Should().BeFalse();
        writer.TryWritePathChallenge(new byte[8]).Should().BeFalse();

        writer.BytesWritten.Should().Be(1);
        buffer.AsSpan(1).ToArray().Should().OnlyContain(b => b == 0);
        writer.TryWriteMaxData(5).Should().BeTrue();
        writer.BytesWritten.Should().Be(3);
    }

    [Fact]
    public void Writer_InvalidArguments_Throw()
    {
        var buffer = new byte[64];
        Action unsorted = () => { var w = new QuicFrameWriter(buffer); w.TryWriteAck([new(1, 2), new(3, 4)], 0); };
        Action adjacent = () => { var w = new QuicFrameWriter(buffer); w.TryWriteAck([new(5, 6), new(2, 4)], 0); };
        Action emptyToken = () => { var w = new QuicFrameWriter(buffer); w.TryWriteNewToken([]); };
        Action badCid = () => { var w = new QuicFrameWriter(buffer); w.TryWriteNewConnectionId(1, 0, [], new byte[16]); };
        Action tooManyStreams = () => { var w = new QuicFrameWriter(buffer); w.TryWriteMaxStreams(true, (1UL << 60) + 1); };
        Action shortPathData = () => { var w = new QuicFrameWriter(buffer); w.TryWritePathResponse(new byte[7]); };

        unsorted.Should().Throw<ArgumentException>();
        adjacent.Should().Throw<ArgumentException>();
        emptyToken.Should().Throw<ArgumentException>();
        badCid.Should().Throw<ArgumentException>();
        tooManyStreams.Should().Throw<ArgumentOutOfRangeException>();
        shortPathData.Should().Throw<ArgumentException>();
    }
}
