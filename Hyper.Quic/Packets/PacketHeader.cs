namespace Hyper.Quic.Packets;

/// <summary>
/// The invariant and version 1 fields of one received packet, read before its protection is removed (RFC 9000 §17).
/// The spans point into the datagram, so parsing allocates nothing; the packet number and the low bits of the first
/// byte are still masked by header protection (RFC 9001 §5.4) and are read by <see cref="Crypto.PacketProtection"/>.
/// </summary>
public readonly ref struct PacketHeader
{
    internal PacketHeader(
        PacketType type, uint version, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId, ReadOnlySpan<byte> token, int packetNumberOffset)
    {
        Type = type;
        Version = version;
        Packet = packet;
        DestinationConnectionId = destinationConnectionId;
        SourceConnectionId = sourceConnectionId;
        Token = token;
        PacketNumberOffset = packetNumberOffset;
    }

    public PacketType Type { get; }

    public bool IsLongHeader => Type != PacketType.OneRtt;

    /// <summary>The version field of a long header; 0 for Version Negotiation and for short headers.</summary>
    public uint Version { get; }

    /// <summary>
    /// The whole packet: up to the end of its Length field for Initial, 0-RTT and Handshake, else to the end of the
    /// datagram (RFC 9000 §12.2).
    /// </summary>
    public ReadOnlySpan<byte> Packet { get; }

    public ReadOnlySpan<byte> DestinationConnectionId { get; }

    /// <summary>Empty for short headers.</summary>
    public ReadOnlySpan<byte> SourceConnectionId { get; }

    /// <summary>
    /// The token of an Initial packet (RFC 9000 §17.2.2), the Retry Token of a Retry packet (§17.2.5), or the list of
    /// supported versions of a Version Negotiation packet (§17.2.1); empty otherwise.
    /// </summary>
    public ReadOnlySpan<byte> Token { get; }

    /// <summary>
    /// Where the protected packet number starts, relative to <see cref="Packet"/>; -1 for Retry and Version
    /// Negotiation, which carry none.
    /// </summary>
    public int PacketNumberOffset { get; }

    /// <summary>The Retry Integrity Tag (RFC 9000 §17.2.5), the last 16 bytes of a Retry packet.</summary>
    public ReadOnlySpan<byte> RetryIntegrityTag => Type == PacketType.Retry ? Packet[^RetryPacket.IntegrityTagLength..] : default;
}
