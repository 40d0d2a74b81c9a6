namespace Hyper.Quic.Packets;

/// <summary>The kinds of QUIC v1 packet (RFC 9000 §17). The long header types carry their wire value in bits 4-5.</summary>
public enum PacketType
{
    Initial = 0,
    ZeroRtt = 1,
    Handshake = 2,
    Retry = 3,

    /// <summary>A long header with version 0 (RFC 9000 §17.2.1); it has no packet type bits of its own.</summary>
    VersionNegotiation = 4,

    /// <summary>The short header packet of RFC 9000 §17.3.1, protected with the 1-RTT keys.</summary>
    OneRtt = 5,
}
