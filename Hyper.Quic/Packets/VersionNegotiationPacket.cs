using System.Buffers.Binary;

namespace Hyper.Quic.Packets;

/// <summary>The Version Negotiation packet (RFC 8999 §6, RFC 9000 §17.2.1), sent by a server to an unknown version.</summary>
public static class VersionNegotiationPacket
{
    /// <summary>
    /// Writes a Version Negotiation packet in answer to a client's long header. The connection IDs are the client's,
    /// swapped: the client's Source Connection ID becomes the Destination (RFC 9000 §17.2.1). The first byte's
    /// unused seven bits are arbitrary; <paramref name="unusedBits"/> lets the caller randomise them. The form bit is
    /// always set, and so is 0x40, so that the packet looks like QUIC to demultiplexers that test the fixed bit
    /// (RFC 9000 §17.2.1, RFC 7983). Returns the packet length.
    /// </summary>
    public static int Write(
        Span<byte> destination, ReadOnlySpan<byte> clientSourceConnectionId, ReadOnlySpan<byte> clientDestinationConnectionId,
        ReadOnlySpan<uint> supportedVersions, byte unusedBits)
    {
        // RFC 8999 §5.1 allows 255-byte connection IDs in the invariant header, and the echo must be exact.
        if (clientSourceConnectionId.Length > 255 || clientDestinationConnectionId.Length > 255)
            throw new ArgumentException("A connection ID has at most 255 bytes in a long header.");
        if (supportedVersions.IsEmpty) throw new ArgumentException("List at least one version.", nameof(supportedVersions));
        var length = GetLength(clientSourceConnectionId.Length, clientDestinationConnectionId.Length, supportedVersions.Length);
        if (destination.Length < length) throw new ArgumentException("The destination is too small.", nameof(destination));

        var writer = new QuicSpanWriter(destination);
        writer.WriteByte((byte)(0xc0 | unusedBits));
        writer.WriteUInt32BigEndian(QuicVersion.Negotiation);
        writer.WriteByte((byte)clientSourceConnectionId.Length);
        writer.WriteBytes(clientSourceConnectionId);
        writer.WriteByte((byte)clientDestinationConnectionId.Length);
        writer.WriteBytes(clientDestinationConnectionId);
        foreach (var version in supportedVersions) writer.WriteUInt32BigEndian(version);
        return writer.Position;
    }

    public static int GetLength(int dcidLength, int scidLength, int versionCount) => 1 + 4 + 1 + dcidLength + 1 + scidLength + 4 * versionCount;

    /// <summary>
    /// The versions listed in a parsed Version Negotiation packet (<see cref="PacketHeader.Token"/>), in order.
    /// </summary>
    public static uint ReadVersion(ReadOnlySpan<byte> versionList, int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(versionList[(index * 4)..]);
}
