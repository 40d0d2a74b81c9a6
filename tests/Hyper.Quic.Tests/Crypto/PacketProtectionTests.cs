using System.Security.Cryptography;
using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Crypto;

/// <summary>RFC 9001 Appendix A.2, A.3 and A.5, byte for byte, both ways; and the failure cases.</summary>
public sealed class PacketProtectionTests
{
    private static PacketProtection InitialProtection(bool client)
    {
        var (clientSecret, serverSecret) = InitialSecrets.Derive(Rfc9001Vectors.ClientDestinationConnectionId);
        return PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, client ? clientSecret : serverSecret));
    }

    private static byte[] Assemble(byte[] header, byte[] payload)
    {
        var packet = new byte[header.Length + payload.Length + PacketAead.TagLength];
        header.CopyTo(packet, 0);
        payload.CopyTo(packet, header.Length);
        return packet;
    }

    [Fact]
    public void ClientInitial_Protect_ProducesA2PacketExactly()
    {
        using var protection = InitialProtection(client: true);
        var packet = Assemble(Rfc9001Vectors.ClientInitialHeader, Rfc9001Vectors.ClientInitialPayload);

        protection.Protect(packet, packetNumberOffset: 18, packetNumber: 2);

        packet.Should().HaveCount(1200).And.Equal(Rfc9001Vectors.ClientInitialProtected);
    }

    [Fact]
    public void ClientInitial_Unprotect_RecoversA2HeaderAndPayload()
    {
        using var protection = InitialProtection(client: true);
        var packet = (byte[])Rfc9001Vectors.ClientInitialProtected.Clone();
        PacketHeaderParser.TryParse(packet, 0, out var header).Should().BeTrue();
        var pnOffset = header.PacketNumberOffset;

        protection.TryUnprotect(packet, pnOffset, -1, out var pn, out var payloadOffset, out var payloadLength).Should().BeTrue();

        pn.Should().Be(2);
        packet.AsSpan(0, payloadOffset).ToArray().Should().Equal(Rfc9001Vectors.ClientInitialHeader);
        packet.AsSpan(payloadOffset, payloadLength).ToArray().Should().Equal(Rfc9001Vectors.ClientInitialPayload);
    }

    [Fact]
    public void ServerInitial_Protect_ProducesA3PacketExactly()
    {
        using var protection = InitialProtection(client: false);
        var packet = Assemble(Rfc9001Vectors.ServerInitialHeader, Rfc9001Vectors.ServerInitialPayload);

        protection.Protect(packet, packetNumberOffset: 18, packetNumber: 1);

        packet.Should().Equal(Rfc9001Vectors.ServerInitialProtected);
    }

    [Fact]
    public void ServerInitial_Unprotect_RecoversA3HeaderAndPayload()
    {
        using var protection = InitialProtection(client: false);
        var packet = (byte[])Rfc9001Vectors.ServerInitialProtected.Clone();

        protection.TryUnprotect(packet, 18, -1, out var pn, out var payloadOffset, out var payloadLength).Should().BeTrue();

        pn.Should().Be(1);
        packet.AsSpan(0, payloadOffset).ToArray().Should().Equal(Rfc9001Vectors.ServerInitialHeader);
        packet.AsSpan(payloadOffset, payloadLength).ToArray().Should().Equal(Rfc9001Vectors.ServerInitialPayload);
    }

    [Fact]
    public void ChaChaShortHeader_Protect_ProducesA5PacketExactly()
    {
        using var protection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, Rfc9001Vectors.ChaChaSecret));
        var packet = Assemble(Rfc9001Vectors.ChaChaHeader, [0x01]);

        protection.Protect(packet, packetNumberOffset: 1, Rfc9001Vectors.ChaChaPacketNumber);

        packet.Should().Equal(Rfc9001Vectors.ChaChaProtected);
    }

    [Fact]
    public void ChaChaShortHeader_Unprotect_RecoversA5PacketNumberAndPing()
    {
        using var protection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, Rfc9001Vectors.ChaChaSecret));
        var packet = (byte[])Rfc9001Vectors.ChaChaProtected.Clone();
        PacketHeaderParser.TryParse(packet, 0, out var header).Should().BeTrue();
        header.Type.Should().Be(PacketType.OneRtt);

        // Any largest received close to the vector's packet number recovers it from the 3 truncated bytes.
        protection.TryUnprotect(packet, header.PacketNumberOffset, Rfc9001Vectors.ChaChaPacketNumber - 1, out var pn, out var payloadOffset, out var payloadLength)
            .Should().BeTrue();

        pn.Should().Be(Rfc9001Vectors.ChaChaPacketNumber);
        packet.AsSpan(0, payloadOffset).ToArray().Should().Equal(Rfc9001Vectors.ChaChaHeader);
        packet.AsSpan(payloadOffset, payloadLength).ToArray().Should().Equal([0x01]);
    }

    [Fact]
    public void Unprotect_CiphertextFlipped_ReturnsFalse()
    {
        using var protection = InitialProtection(client: false);
        var packet = (byte[])Rfc9001Vectors.ServerInitialProtected.Clone();
        packet[^20] ^= 0x01;

        protection.TryUnprotect(packet, 18, -1, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Unprotect_WrongKeys_ReturnsFalse()
    {
        using var protection = InitialProtection(client: true);
        var packet = (byte[])Rfc9001Vectors.ServerInitialProtected.Clone();

        protection.TryUnprotect(packet, 18, -1, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Unprotect_TooShortToSample_ReturnsFalse()
    {
        using var protection = InitialProtection(client: false);
        var packet = Rfc9001Vectors.ServerInitialProtected.AsSpan(0, 18 + 4 + 15).ToArray();

        protection.TryUnprotect(packet, 18, -1, out _, out _, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unprotect_ReservedBitsSetUnderProtection_IsProtocolViolation(bool longHeader)
    {
        using var protection = InitialProtection(client: true);
        var header = longHeader ? (byte[])Rfc9001Vectors.ClientInitialHeader.Clone() : [0x40 | 0x03, 0xaa, 0x00, 0x00, 0x00, 0x02];
        header[0] |= (byte)(longHeader ? 0x04 : 0x08);
        var packet = Assemble(header, new byte[32]);
        var pnOffset = header.Length - 4;
        protection.Protect(packet, pnOffset, 2); // both headers carry packet number 2

        var act = () => protection.TryUnprotect(packet, pnOffset, -1, out _, out _, out _);

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
    }

    [Fact]
    public void ProtectThenUnprotect_EverySuiteAndPacketNumberLength_RoundTrips()
    {
        foreach (var suite in new[] { QuicCipherSuite.Aes128GcmSha256, QuicCipherSuite.Aes256GcmSha384, QuicCipherSuite.ChaCha20Poly1305Sha256 })
        {
            using var protection = PacketProtection.Create(PacketKeys.Derive(suite, RandomNumberGenerator.GetBytes(suite.SecretLength())));
            for (var pnLength = 1; pnLength <= 4; pnLength++)
            {
                var packetNumber = 0x12345678L & ((1L << (8 * pnLength)) - 1);
                var dcid = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
                var payload = RandomNumberGenerator.GetBytes(40);
                var packet = new byte[1 + dcid.Length + pnLength + payload.Length + PacketAead.TagLength];
                var headerLength = PacketHeaderWriter.WriteShortHeader(packet, dcid, packetNumber, pnLength, keyPhase: true);
                payload.CopyTo(packet, headerLength);
                var clear = (byte[])packet.Clone();

                protection.Protect(packet, 1 + dcid.Length, packetNumber);
                protection.TryUnprotect(packet, 1 + dcid.Length, packetNumber - 1, out var pn, out var offset, out var length).Should().BeTrue();

                pn.Should().Be(packetNumber);
                packet.AsSpan(0, offset + length).ToArray().Should().Equal(clear.AsSpan(0, clear.Length - PacketAead.TagLength).ToArray());
            }
        }
    }
}
