using Hyper.Quic.Connection;
using Hyper.Quic.Frames;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Connection;

/// <summary>Peer errors close the connection with the RFC 9000 §20.1 code and the offending frame type.</summary>
public sealed class QuicConnectionErrorTests
{
    private static QuicTestNetwork Established(QuicConnectionOptions? options = null)
    {
        var network = new QuicTestNetwork(options);
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        return network;
    }

    [Theory]
    // Unknown frame type (RFC 9000 §12.4).
    [InlineData("1f", QuicTransportErrorCode.FrameEncodingError, 0x1fUL)]
    // A frame type in two bytes where one would do (§12.4); the client's zero padding follows the 0x40 byte.
    [InlineData("40", QuicTransportErrorCode.ProtocolViolation, 0UL)]
    // STREAM on the server's unidirectional stream 3 (§19.8).
    [InlineData("0b0300", QuicTransportErrorCode.StreamStateError, 0x0bUL)]
    // STREAM on server-initiated bidirectional stream 1, not opened yet (§19.8).
    [InlineData("0b0100", QuicTransportErrorCode.StreamStateError, 0x0bUL)]
    // STREAM on client bidirectional stream 400 (index 100, beyond the limit of 100) (§4.6).
    [InlineData("0b41900000", QuicTransportErrorCode.StreamLimitError, 0x0bUL)]
    // ACK of packet 1000, never sent (§13.1).
    [InlineData("0243e8000000", QuicTransportErrorCode.ProtocolViolation, 0x02UL)]
    // HANDSHAKE_DONE from a client (§19.20).
    [InlineData("1e", QuicTransportErrorCode.ProtocolViolation, 0x1eUL)]
    // RETIRE_CONNECTION_ID for sequence 100, never issued (§19.16).
    [InlineData("1940640000", QuicTransportErrorCode.ProtocolViolation, 0x19UL)]
    // STREAM with the FIN at 3, then data to 6 in the same packet (§4.5).
    [InlineData("0b0003616263" + "0e00030361626300", QuicTransportErrorCode.FinalSizeError, 0x0eUL)]
    // MAX_STREAM_DATA for the client's own unidirectional stream 2, on which the server cannot send (§19.10).
    [InlineData("11020a", QuicTransportErrorCode.StreamStateError, 0x11UL)]
    // A STREAM frame whose length runs past the packet (§12.4).
    [InlineData("0a007fff", QuicTransportErrorCode.FrameEncodingError, 0x0aUL)]
    // CRYPTO data from the client at 1-RTT: TLS unexpected_message as CRYPTO_ERROR (RFC 9001 §4.8, §6).
    [InlineData("0600016f", (QuicTransportErrorCode)0x10a, 0x06UL)]
    public void MalformedOrIllegalFrame_ClosesWithTheRightCode(string frameHex, QuicTransportErrorCode code, ulong frameType)
    {
        using var network = Established();

        network.Client.SendRawFrames(EncryptionLevel.OneRtt, Convert.FromHexString(frameHex));
        network.FlushClient();

        network.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();
        network.Client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)code);
        network.Client.CloseReceived.Value.FrameType.Should().Be(frameType);
        network.RunUntil(() => network.Server!.IsClosed).Should().BeTrue();
        network.ServerEvents.OfType<ConnectionTerminated>().Single().ErrorCode.Should().Be((ulong)code);
    }

    [Fact]
    public void TooManyConnectionIdsFromThePeer_IsConnectionIdLimitError()
    {
        using var network = Established(QuicTestNetwork.DefaultOptions(o => o.ActiveConnectionIdLimit = 2));
        for (ulong sequence = 1; sequence <= 2; sequence++)
        {
            var id = Enumerable.Repeat((byte)sequence, 8).ToArray();
            network.Client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWriteNewConnectionId(sequence, 0, id, new byte[16]));
        }
        network.FlushClient();

        network.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();
        network.Client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.ConnectionIdLimitError);
    }

    [Fact]
    public void ApplicationClose_ReachesTheClient_AndTheServerTerminatesAfterClosing()
    {
        using var network = Established();

        network.Server!.Close(0x101, "bye", network.Now);
        network.DrainServer();

        network.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();
        network.Client.CloseReceived!.Value.Should().Be((0x101UL, 0UL, true, "bye"));
        network.RunUntil(() => network.Server.IsClosed).Should().BeTrue();
        var terminated = network.ServerEvents.OfType<ConnectionTerminated>().Single();
        terminated.ClosedByPeer.Should().BeFalse();
        terminated.IsApplicationError.Should().BeTrue();
    }

    [Fact]
    public void PeerClose_ServerDrainsSilently_ThenTerminates()
    {
        using var network = Established();
        var sentBefore = network.Server!.DatagramsSent;

        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWriteApplicationClose(7, "done"u8));
        network.FlushClient();

        network.RunUntil(() => network.Server.IsClosed).Should().BeTrue();
        var terminated = network.ServerEvents.OfType<ConnectionTerminated>().Single();
        terminated.ClosedByPeer.Should().BeTrue();
        terminated.ErrorCode.Should().Be(7UL);
        terminated.Reason.Should().Be("done");
        // RFC 9000 §10.2.2: nothing is sent in the draining state (an ACK of the close's packet neither).
        network.Server.DatagramsSent.Should().Be(sentBefore);
    }

    [Fact]
    public void GarbageDatagrams_AreDroppedWithoutClosing()
    {
        using var network = Established();
        var random = new Random(5);
        for (var i = 0; i < 50; i++)
        {
            var datagram = new byte[random.Next(1, 1300)];
            random.NextBytes(datagram);
            network.InjectToServer(datagram);
        }
        // A valid short header packet whose payload was tampered with fails authentication and is dropped.
        var packet = network.Client.BuildRawOneRtt([0x01, 0, 0, 0]);
        packet[^1] ^= 0xff;
        network.InjectToServer(packet);

        network.Settle(100_000);
        network.Server!.IsClosed.Should().BeFalse();
        network.Client.CloseReceived.Should().BeNull();
    }
}
