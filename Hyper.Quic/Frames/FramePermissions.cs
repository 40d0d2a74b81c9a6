using Hyper.Quic.Packets;

namespace Hyper.Quic.Frames;

/// <summary>
/// Which frame may appear in which packet type (RFC 9000 §12.4, Table 3). Initial and Handshake packets carry only the
/// handshake's frames (PADDING, PING, ACK, CRYPTO, and CONNECTION_CLOSE of type 0x1c); 0-RTT carries no ACK, CRYPTO,
/// NEW_TOKEN, PATH_RESPONSE or HANDSHAKE_DONE; 1-RTT carries everything.
/// </summary>
public static class FramePermissions
{
    public static bool IsAllowed(FrameType type, PacketType packetType) => packetType switch
    {
        PacketType.Initial or PacketType.Handshake => type is FrameType.Padding or FrameType.Ping or FrameType.Ack
            or FrameType.AckEcn or FrameType.Crypto or FrameType.ConnectionClose,
        // RFC 9000 §12.4 and RFC 9001 §4.1.1: 0-RTT data is sent before the handshake confirms anything, so nothing
        // acknowledging or driving the handshake, and no server-only frame, may appear in it.
        PacketType.ZeroRtt => type is not (FrameType.Ack or FrameType.AckEcn or FrameType.Crypto or FrameType.NewToken
            or FrameType.PathResponse or FrameType.HandshakeDone),
        PacketType.OneRtt => true,
        _ => false,
    };
}
