using Hyper.Quic.Crypto;

namespace Hyper.Quic.Packets;

/// <summary>The Retry packet (RFC 9000 §17.2.5) with its integrity tag (RFC 9001 §5.8).</summary>
public static class RetryPacket
{
    public const int IntegrityTagLength = 16;

    /// <summary>
    /// Writes a Retry packet: the client's Source Connection ID as Destination, the server's new connection ID as
    /// Source, the token, then the tag computed over the client's original Destination Connection ID. The low four
    /// bits of the first byte are unused; <paramref name="unusedBits"/> fills them. Returns the packet length.
    /// </summary>
    public static int Write(
        Span<byte> destination, uint version, ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId, ReadOnlySpan<byte> token, ReadOnlySpan<byte> originalDestinationConnectionId,
        byte unusedBits = 0)
    {
        if (destinationConnectionId.Length > ConnectionId.MaxLength || sourceConnectionId.Length > ConnectionId.MaxLength)
            throw new ArgumentException($"A QUIC v1 connection ID has at most {ConnectionId.MaxLength} bytes.");
        var length = 1 + 4 + 1 + destinationConnectionId.Length + 1 + sourceConnectionId.Length + token.Length + IntegrityTagLength;
        if (destination.Length < length) throw new ArgumentException("The destination is too small.", nameof(destination));

        var writer = new QuicSpanWriter(destination);
        writer.WriteByte((byte)(0xc0 | ((int)PacketType.Retry << 4) | (unusedBits & 0x0f)));
        writer.WriteUInt32BigEndian(version);
        writer.WriteByte((byte)destinationConnectionId.Length);
        writer.WriteBytes(destinationConnectionId);
        writer.WriteByte((byte)sourceConnectionId.Length);
        writer.WriteBytes(sourceConnectionId);
        writer.WriteBytes(token);
        RetryIntegrityTag.Compute(originalDestinationConnectionId, destination[..writer.Position], destination.Slice(writer.Position, IntegrityTagLength));
        return length;
    }

    /// <summary>
    /// Checks a received Retry packet's tag against the Destination Connection ID the client first sent (RFC 9001
    /// §5.8); a client discards a Retry that fails (RFC 9000 §17.2.5.2).
    /// </summary>
    public static bool HasValidIntegrityTag(ReadOnlySpan<byte> retryPacket, ReadOnlySpan<byte> originalDestinationConnectionId)
    {
        if (retryPacket.Length < IntegrityTagLength + 7) return false;
        Span<byte> expected = stackalloc byte[IntegrityTagLength];
        RetryIntegrityTag.Compute(originalDestinationConnectionId, retryPacket[..^IntegrityTagLength], expected);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, retryPacket[^IntegrityTagLength..]);
    }
}
