using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Crypto;

/// <summary>RFC 9001 Appendix A.4.</summary>
public sealed class RetryIntegrityTests
{
    private static readonly byte[] ServerConnectionId = Convert.FromHexString("f067a5502a4262b5");

    [Fact]
    public void Write_A4Fields_ProducesA4RetryExactly()
    {
        var packet = new byte[64];

        var length = RetryPacket.Write(packet, QuicVersion.Version1, [], ServerConnectionId, "token"u8,
            Rfc9001Vectors.ClientDestinationConnectionId, unusedBits: 0x0f);

        packet.AsSpan(0, length).ToArray().Should().Equal(Rfc9001Vectors.Retry);
    }

    [Fact]
    public void Parse_A4Retry_ReadsFieldsAndVerifiesTag()
    {
        PacketHeaderParser.TryParse(Rfc9001Vectors.Retry, 0, out var header).Should().BeTrue();

        header.Type.Should().Be(PacketType.Retry);
        header.DestinationConnectionId.IsEmpty.Should().BeTrue();
        header.SourceConnectionId.ToArray().Should().Equal(ServerConnectionId);
        header.Token.ToArray().Should().Equal("token"u8.ToArray());
        header.RetryIntegrityTag.ToArray().Should().Equal(Convert.FromHexString("04a265ba2eff4d829058fb3f0f2496ba"));
        RetryPacket.HasValidIntegrityTag(Rfc9001Vectors.Retry, Rfc9001Vectors.ClientDestinationConnectionId).Should().BeTrue();
    }

    [Fact]
    public void Verify_OtherOriginalConnectionIdOrFlippedByte_Fails()
    {
        RetryPacket.HasValidIntegrityTag(Rfc9001Vectors.Retry, [1, 2, 3, 4, 5, 6, 7, 8]).Should().BeFalse();
        var tampered = (byte[])Rfc9001Vectors.Retry.Clone();
        tampered[17] ^= 0x20;
        RetryPacket.HasValidIntegrityTag(tampered, Rfc9001Vectors.ClientDestinationConnectionId).Should().BeFalse();
    }
}
