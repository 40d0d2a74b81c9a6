using Hyper.Quic.Frames;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Frames;

/// <summary>Malformed frames and frames in the wrong packet type, with the transport error each must raise.</summary>
public sealed class MalformedFrameTests
{
    private static QuicTransportException ReadAll(string hex, PacketType packetType = PacketType.OneRtt, bool receiverIsServer = false)
    {
        var payload = Convert.FromHexString(hex);
        try
        {
            var reader = new QuicFrameReader(payload, packetType, receiverIsServer);
            while (reader.TryRead(out _))
            {
            }
        }
        catch (QuicTransportException exception)
        {
            return exception;
        }
        throw new InvalidOperationException("No error was raised.");
    }

    [Theory]
    [InlineData("0204", 0x02)]                    // ACK cut after Largest Acknowledged
    [InlineData("020500000601", 0x02)]            // first range (6) reaches below 0 from largest 5
    [InlineData("02050001010304", 0x02)]          // second range: 5-1=4, gap 3 → largest -1
    [InlineData("02050005000101", 0x02)]          // range count 5 with two bytes left
    [InlineData("030500000001", 0x03)]            // ACK_ECN missing its counters
    [InlineData("0404410c", 0x04)]                // RESET_STREAM without final size
    [InlineData("0508", 0x05)]                    // STOP_SENDING without error code
    [InlineData("060005aabb", 0x06)]              // CRYPTO length past the end
    [InlineData("06ffffffffffffffff01aa", 0x06)]  // CRYPTO ends past 2^62 - 1
    [InlineData("0700", 0x07)]                    // NEW_TOKEN with an empty token
    [InlineData("0705aa", 0x07)]                  // NEW_TOKEN length past the end
    [InlineData("0a0405aabb", 0x0a)]              // STREAM length past the end
    [InlineData("0e04ffffffffffffffff01aa", 0x0e)]// STREAM ends past 2^62 - 1
    [InlineData("0c04", 0x0c)]                    // STREAM with OFF set but no offset
    [InlineData("12800000", 0x12)]                // MAX_STREAMS truncated varint
    [InlineData("12d000000000000001", 0x12)]      // MAX_STREAMS above 2^60
    [InlineData("17d000000000000001", 0x17)]      // STREAMS_BLOCKED above 2^60
    [InlineData("180100000102030405060708090a0b0c0d0e0f10", 0x18)] // NEW_CONNECTION_ID length 0
    [InlineData("1801001501", 0x18)]              // NEW_CONNECTION_ID length 21
    [InlineData("18010204aabbccdd000102030405060708090a0b0c0d0e0f", 0x18)] // Retire Prior To > Sequence
    [InlineData("18010004aabbccdd0001", 0x18)]    // NEW_CONNECTION_ID token cut short
    [InlineData("1a01020304", 0x1a)]              // PATH_CHALLENGE with 4 bytes
    [InlineData("1c0706056162", 0x1c)]            // CONNECTION_CLOSE reason past the end
    [InlineData("1f", 0x1f)]                      // unknown frame type
    [InlineData("7fff", 0x3fff)]                  // unknown two-byte frame type
    [InlineData("4021", 0x21)]                    // unknown type, overlong too: unknown wins
    public void Malformed_IsFrameEncodingError(string hex, ulong frameType)
    {
        var error = ReadAll(hex);

        error.ErrorCode.Should().Be(QuicTransportErrorCode.FrameEncodingError);
        error.FrameType.Should().Be(frameType);
    }

    [Fact]
    public void FrameTypeNotMinimallyEncoded_IsProtocolViolation()
    {
        var error = ReadAll("4001");

        error.ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
        error.FrameType.Should().Be(0x01);
    }

    [Fact]
    public void EmptyPayload_IsProtocolViolation()
    {
        ReadAll("").ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
    }

    [Theory]
    [InlineData("0a0401aa", PacketType.Initial)]        // STREAM in Initial
    [InlineData("1000", PacketType.Handshake)]          // MAX_DATA in Handshake
    [InlineData("1d0000", PacketType.Initial)]          // application CONNECTION_CLOSE in Initial
    [InlineData("1a0102030405060708", PacketType.Handshake)] // PATH_CHALLENGE in Handshake
    [InlineData("0200000000", PacketType.ZeroRtt)]      // ACK in 0-RTT
    [InlineData("060001aa", PacketType.ZeroRtt)]        // CRYPTO in 0-RTT
    [InlineData("1b0102030405060708", PacketType.ZeroRtt)] // PATH_RESPONSE in 0-RTT
    [InlineData("1e", PacketType.ZeroRtt)]              // HANDSHAKE_DONE in 0-RTT
    [InlineData("070101", PacketType.Initial)]          // NEW_TOKEN in Initial
    public void FrameNotAllowedInPacketType_IsProtocolViolation(string hex, PacketType packetType)
    {
        var error = ReadAll(hex, packetType);

        error.ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
        error.FrameType.Should().Be(Convert.FromHexString(hex)[0]);
    }

    [Theory]
    [InlineData("070101")]
    [InlineData("1e")]
    public void ServerOnlyFrameReceivedByServer_IsProtocolViolation(string hex)
    {
        ReadAll(hex, PacketType.OneRtt, receiverIsServer: true).ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
    }

    [Fact]
    public void ErrorAfterValidFrames_StillRaised()
    {
        // PING, then a truncated CRYPTO frame.
        ReadAll("01" + "060003aa", PacketType.Initial).ErrorCode.Should().Be(QuicTransportErrorCode.FrameEncodingError);
    }

    [Fact]
    public void PermissionTable_MatchesRfc9000Table3()
    {
        // Rows of Table 3 (§12.4): I = Initial, H = Handshake, 0 = 0-RTT, 1 = 1-RTT.
        var table = new Dictionary<FrameType, string>
        {
            [FrameType.Padding] = "IH01", [FrameType.Ping] = "IH01", [FrameType.Ack] = "IH_1", [FrameType.AckEcn] = "IH_1",
            [FrameType.ResetStream] = "__01", [FrameType.StopSending] = "__01", [FrameType.Crypto] = "IH_1",
            [FrameType.NewToken] = "___1", [FrameType.Stream] = "__01", [FrameType.MaxData] = "__01",
            [FrameType.MaxStreamData] = "__01", [FrameType.MaxStreamsBidirectional] = "__01",
            [FrameType.MaxStreamsUnidirectional] = "__01", [FrameType.DataBlocked] = "__01",
            [FrameType.StreamDataBlocked] = "__01", [FrameType.StreamsBlockedBidirectional] = "__01",
            [FrameType.StreamsBlockedUnidirectional] = "__01", [FrameType.NewConnectionId] = "__01",
            [FrameType.RetireConnectionId] = "__01", [FrameType.PathChallenge] = "__01", [FrameType.PathResponse] = "___1",
            [FrameType.ConnectionClose] = "IH01", [FrameType.ApplicationClose] = "__01", [FrameType.HandshakeDone] = "___1",
        };
        PacketType[] columns = [PacketType.Initial, PacketType.Handshake, PacketType.ZeroRtt, PacketType.OneRtt];

        foreach (var (type, row) in table)
            for (var i = 0; i < 4; i++)
                FramePermissions.IsAllowed(type, columns[i]).Should().Be(row[i] != '_', $"{type} in {columns[i]}");
        FramePermissions.IsAllowed(FrameType.Ping, PacketType.Retry).Should().BeFalse();
    }
}
