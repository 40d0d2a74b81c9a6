using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

/// <summary>What a sent frame needs to be acknowledged or sent again (RFC 9000 §13.3); not the bytes themselves.</summary>
internal enum SentFrameKind
{
    Ack,
    Ping,
    Padding,
    Crypto,
    Stream,
    ResetStream,
    StopSending,
    MaxData,
    MaxStreamData,
    MaxStreamsBidirectional,
    MaxStreamsUnidirectional,
    NewConnectionId,
    RetireConnectionId,
    HandshakeDone,
    PathResponse,
    ConnectionClose,
}

internal readonly record struct SentFrame(SentFrameKind Kind, ulong StreamId = 0, long Offset = 0, int Length = 0, bool Fin = false, long LargestAcknowledged = -1);

/// <summary>A packet in flight, kept until it is acknowledged or declared lost (RFC 9002 §A.1.1).</summary>
internal sealed class SentPacket
{
    public required long PacketNumber { get; init; }

    public required EncryptionLevel Level { get; init; }

    public required long TimeSent { get; init; }

    public required int Size { get; init; }

    public required bool AckEliciting { get; init; }

    /// <summary>Counts toward bytes in flight: ack-eliciting or padded (RFC 9002 §2).</summary>
    public required bool InFlight { get; init; }

    public List<SentFrame> Frames { get; } = [];
}
