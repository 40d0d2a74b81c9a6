namespace Hyper.Quic.Packets;

/// <summary>
/// Writes version 1 packet headers (RFC 9000 §17.2, §17.3.1) with the packet number in clear; packet protection
/// (RFC 9001 §5) is applied afterwards over the whole packet.
/// </summary>
public static class PacketHeaderWriter
{
    /// <summary>
    /// The bytes an Initial, 0-RTT or Handshake header takes, packet number included, when the Length field is written
    /// in two bytes (as <see cref="WriteLongHeader"/> does for packets below 16 KiB).
    /// </summary>
    public static int GetLongHeaderLength(PacketType type, int dcidLength, int scidLength, int tokenLength, int packetNumberLength, int lengthFieldLength = 2)
    {
        var length = 1 + 4 + 1 + dcidLength + 1 + scidLength + lengthFieldLength + packetNumberLength;
        if (type == PacketType.Initial) length += VariableLengthInteger.GetEncodedLength((ulong)tokenLength) + tokenLength;
        return length;
    }

    /// <summary>
    /// Writes an Initial, 0-RTT or Handshake header. <paramref name="payloadLength"/> is the protected payload that
    /// follows the packet number, AEAD tag included; the Length field covers both (RFC 9000 §17.2). Returns the header
    /// length, and where the packet number starts in <paramref name="packetNumberOffset"/>.
    /// </summary>
    public static int WriteLongHeader(
        Span<byte> destination, PacketType type, uint version, ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId, ReadOnlySpan<byte> token, long packetNumber, int packetNumberLength,
        int payloadLength, out int packetNumberOffset)
    {
        if (type is not (PacketType.Initial or PacketType.ZeroRtt or PacketType.Handshake))
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only Initial, 0-RTT and Handshake carry a packet number.");
        if (packetNumberLength is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(packetNumberLength));
        CheckConnectionId(destinationConnectionId);
        CheckConnectionId(sourceConnectionId);
        if (type != PacketType.Initial && !token.IsEmpty)
            throw new ArgumentException("Only Initial packets carry a token.", nameof(token));

        var length = (ulong)(packetNumberLength + payloadLength);
        // Two bytes cover every datagram size QUIC sends; the writer picks more only when it must.
        var lengthFieldLength = Math.Max(2, VariableLengthInteger.GetEncodedLength(length));
        var writer = new QuicSpanWriter(destination);
        if (destination.Length < GetLongHeaderLength(type, destinationConnectionId.Length, sourceConnectionId.Length, token.Length, packetNumberLength, lengthFieldLength))
            throw new ArgumentException("The destination is too small for the header.", nameof(destination));

        // RFC 9000 §17.2: header form 1, fixed bit 1, type, reserved bits 0, packet number length - 1.
        writer.WriteByte((byte)(0xc0 | ((int)type << 4) | (packetNumberLength - 1)));
        writer.WriteUInt32BigEndian(version);
        writer.WriteByte((byte)destinationConnectionId.Length);
        writer.WriteBytes(destinationConnectionId);
        writer.WriteByte((byte)sourceConnectionId.Length);
        writer.WriteBytes(sourceConnectionId);
        if (type == PacketType.Initial)
        {
            writer.WriteVarint((ulong)token.Length);
            writer.WriteBytes(token);
        }
        writer.WriteVarint(length, lengthFieldLength);
        packetNumberOffset = writer.Position;
        PacketNumberEncoding.WriteTruncated(destination[writer.Position..], packetNumber, packetNumberLength);
        return writer.Position + packetNumberLength;
    }

    /// <summary>
    /// Writes a 1-RTT short header (RFC 9000 §17.3.1). Returns its length; the packet number starts right after the
    /// destination connection ID.
    /// </summary>
    public static int WriteShortHeader(
        Span<byte> destination, ReadOnlySpan<byte> destinationConnectionId, long packetNumber, int packetNumberLength,
        bool keyPhase, bool spinBit = false)
    {
        if (packetNumberLength is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(packetNumberLength));
        CheckConnectionId(destinationConnectionId);
        if (destination.Length < 1 + destinationConnectionId.Length + packetNumberLength)
            throw new ArgumentException("The destination is too small for the header.", nameof(destination));

        // Header form 0, fixed bit 1, spin bit, reserved bits 0, key phase, packet number length - 1.
        destination[0] = (byte)(0x40 | (spinBit ? 0x20 : 0) | (keyPhase ? 0x04 : 0) | (packetNumberLength - 1));
        destinationConnectionId.CopyTo(destination[1..]);
        var offset = 1 + destinationConnectionId.Length;
        PacketNumberEncoding.WriteTruncated(destination[offset..], packetNumber, packetNumberLength);
        return offset + packetNumberLength;
    }

    private static void CheckConnectionId(ReadOnlySpan<byte> connectionId)
    {
        if (connectionId.Length > ConnectionId.MaxLength)
            throw new ArgumentException($"A QUIC v1 connection ID has at most {ConnectionId.MaxLength} bytes.");
    }
}
