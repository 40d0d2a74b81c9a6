namespace Hyper.Quic.Packets;

/// <summary>
/// Reads the unprotected part of a packet header (RFC 8999, RFC 9000 §17). A header that cannot be parsed makes the
/// packet undecryptable, so the answer is "discard" (false), never a connection error (RFC 9000 §12.2, §17.2).
/// </summary>
public static class PacketHeaderParser
{
    private const byte HeaderFormBit = 0x80;
    private const byte FixedBit = 0x40;

    /// <summary>
    /// Parses the packet at the start of <paramref name="datagram"/>. Short headers do not carry their connection ID
    /// length (RFC 9000 §17.3.1), so the receiver passes the length of the IDs it issues.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, int shortHeaderConnectionIdLength, out PacketHeader header)
    {
        header = default;
        if (datagram.IsEmpty) return false;

        var first = datagram[0];
        if ((first & HeaderFormBit) == 0) return TryParseShort(datagram, shortHeaderConnectionIdLength, out header);

        var reader = new QuicSpanReader(datagram);
        reader.TryReadByte(out _);
        if (!reader.TryReadUInt32BigEndian(out var version)) return false;

        // RFC 8999 §5.1: the invariant long header allows connection IDs of up to 255 bytes; only a version we speak
        // limits them to 20 (RFC 9000 §17.2), and an unknown version is answered by Version Negotiation.
        if (!reader.TryReadByte(out var dcidLength) || !reader.TryReadBytes(dcidLength, out var dcid)) return false;
        if (!reader.TryReadByte(out var scidLength) || !reader.TryReadBytes(scidLength, out var scid)) return false;

        if (version == QuicVersion.Negotiation)
        {
            // RFC 9000 §17.2.1: the rest of the datagram is a list of 32-bit versions.
            var versions = reader.RemainingBytes;
            if (versions.Length == 0 || versions.Length % 4 != 0) return false;
            header = new PacketHeader(PacketType.VersionNegotiation, version, datagram, dcid, scid, versions, -1);
            return true;
        }

        if (!QuicVersion.IsSupported(version))
        {
            // Only the invariant fields mean anything; the caller answers with Version Negotiation.
            return false;
        }

        // RFC 9000 §17.2: v1 connection IDs are at most 20 bytes; longer ones make the packet invalid.
        if (dcidLength > ConnectionId.MaxLength || scidLength > ConnectionId.MaxLength) return false;

        // RFC 9000 §17.2: a zero fixed bit is not a valid v1 packet.
        if ((first & FixedBit) == 0) return false;

        var type = (PacketType)((first >> 4) & 0x03);
        ReadOnlySpan<byte> token = default;
        if (type == PacketType.Retry)
        {
            // RFC 9000 §17.2.5: the token runs up to the 16-byte integrity tag at the end of the datagram.
            if (reader.Remaining < RetryPacket.IntegrityTagLength) return false;
            reader.TryReadBytes(reader.Remaining - RetryPacket.IntegrityTagLength, out token);
            header = new PacketHeader(type, version, datagram, dcid, scid, token, -1);
            return true;
        }

        if (type == PacketType.Initial && !reader.TryReadVarintPrefixedBytes(out token)) return false;

        // RFC 9000 §17.2: Length covers the packet number and the payload; a length past the datagram's end makes the
        // packet (and the rest of the datagram) unusable.
        if (!reader.TryReadVarint(out var length) || length > (ulong)reader.Remaining) return false;
        var packetNumberOffset = reader.Position;
        // At least a packet number byte; whether the header protection sample fits is checked when it is removed.
        if (length < 1) return false;
        var packet = datagram[..(packetNumberOffset + (int)length)];
        header = new PacketHeader(type, version, packet, dcid, scid, token, packetNumberOffset);
        return true;
    }

    private static bool TryParseShort(ReadOnlySpan<byte> datagram, int connectionIdLength, out PacketHeader header)
    {
        header = default;
        if ((datagram[0] & FixedBit) == 0) return false;
        if (connectionIdLength is < 0 or > ConnectionId.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(connectionIdLength));
        // RFC 9000 §17.3.1: first byte, DCID, then at least one packet number byte; the rest runs to the datagram's end.
        if (datagram.Length < 1 + connectionIdLength + 1) return false;
        header = new PacketHeader(
            PacketType.OneRtt, 0, datagram, datagram.Slice(1, connectionIdLength), default, default, 1 + connectionIdLength);
        return true;
    }

    /// <summary>
    /// The version of a long header packet, read from the invariant fields alone (RFC 8999 §5.1), so that a server can
    /// decide on Version Negotiation before it parses anything version-specific.
    /// </summary>
    public static bool TryReadLongHeaderVersion(ReadOnlySpan<byte> datagram, out uint version)
    {
        version = 0;
        if (datagram.Length < 5 || (datagram[0] & HeaderFormBit) == 0) return false;
        version = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram[1..]);
        return true;
    }
}
