using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Crypto;

namespace Hyper.Quic.Tests.Packets;

/// <summary>The layers together: a client Initial built from frames, protected, coalesced, received and read.</summary>
public sealed class InitialPacketTests
{
    [Fact]
    public void A2ClientInitial_ParsedUnprotectedAndRead_YieldsTheClientHelloCryptoFrameAndPadding()
    {
        var datagram = (byte[])Rfc9001Vectors.ClientInitialProtected.Clone();
        var enumerator = new CoalescedPacketEnumerator(datagram, 8);
        enumerator.MoveNext().Should().BeTrue();
        var header = enumerator.Current;
        var pnOffset = header.PacketNumberOffset;
        var packetLength = header.Packet.Length;
        var (clientSecret, _) = InitialSecrets.Derive(header.DestinationConnectionId);
        using var protection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, clientSecret));

        protection.TryUnprotect(datagram.AsSpan(0, packetLength), pnOffset, -1, out _, out var offset, out var length).Should().BeTrue();

        var reader = new QuicFrameReader(datagram.AsSpan(offset, length), PacketType.Initial, receiverIsServer: true);
        reader.TryRead(out var crypto).Should().BeTrue();
        crypto.Type.Should().Be(FrameType.Crypto);
        crypto.Crypto.Offset.Should().Be(0);
        crypto.Crypto.Data.Length.Should().Be(241);
        crypto.Crypto.Data[0].Should().Be(0x01, "a ClientHello handshake message");
        reader.TryRead(out var padding).Should().BeTrue();
        padding.PaddingLength.Should().Be(917);
        reader.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public void ServerFlight_InitialAndHandshakeCoalesced_RoundTripsThroughEveryLayer()
    {
        var clientDcid = new byte[] { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };
        var serverCid = new byte[] { 0xf0, 0x67, 0xa5, 0x50 };
        var (_, serverSecret) = InitialSecrets.Derive(clientDcid);
        using var initial = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, serverSecret));
        using var handshake = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, new byte[32]));
        var datagram = new byte[1200];

        var first = BuildPacket(datagram, PacketType.Initial, clientDcid, serverCid, initial, 0, (ref QuicFrameWriter w) =>
        {
            w.TryWriteAck([new PacketNumberRange(0, 0)], 0).Should().BeTrue();
            w.TryWriteCrypto(0, new byte[90]).Should().BeTrue();
        });
        var second = BuildPacket(datagram.AsSpan(first), PacketType.Handshake, clientDcid, serverCid, handshake, 0, (ref QuicFrameWriter w) =>
            w.TryWriteCrypto(0, new byte[300]).Should().BeTrue());

        var seen = new List<(PacketType, FrameType, int)>();
        var enumerator = new CoalescedPacketEnumerator(datagram.AsSpan(0, first + second), 0);
        var start = 0;
        while (enumerator.MoveNext())
        {
            var header = enumerator.Current;
            var type = header.Type;
            var pnOffset = header.PacketNumberOffset;
            var span = datagram.AsSpan(start, header.Packet.Length);
            start += header.Packet.Length;
            var keys = type == PacketType.Initial ? initial : handshake;
            keys.TryUnprotect(span, pnOffset, -1, out var pn, out var offset, out var length).Should().BeTrue();
            pn.Should().Be(0);
            var reader = new QuicFrameReader(span.Slice(offset, length), type, receiverIsServer: false);
            while (reader.TryRead(out var frame))
                seen.Add((type, frame.Type, frame.Type == FrameType.Crypto ? frame.Crypto.Data.Length : 0));
        }

        seen.Should().Equal((PacketType.Initial, FrameType.Ack, 0), (PacketType.Initial, FrameType.Crypto, 90), (PacketType.Handshake, FrameType.Crypto, 300));
    }

    private delegate void WriteFrames(ref QuicFrameWriter writer);

    private static int BuildPacket(Span<byte> destination, PacketType type, byte[] dcid, byte[] scid, PacketProtection protection, long pn, WriteFrames write)
    {
        Span<byte> payload = stackalloc byte[600];
        var writer = new QuicFrameWriter(payload);
        write(ref writer);
        var payloadLength = writer.BytesWritten;
        var headerLength = PacketHeaderWriter.WriteLongHeader(destination, type, QuicVersion.Version1, dcid, scid, [], pn, 1,
            payloadLength + PacketAead.TagLength, out var pnOffset);
        payload[..payloadLength].CopyTo(destination[headerLength..]);
        var total = headerLength + payloadLength + PacketAead.TagLength;
        protection.Protect(destination[..total], pnOffset, pn);
        return total;
    }
}
