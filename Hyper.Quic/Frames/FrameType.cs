namespace Hyper.Quic.Frames;

/// <summary>
/// The frame types of RFC 9000 §19 (Table 3 in §12.4). STREAM frames occupy 0x08..0x0f; their low three bits are the
/// OFF, LEN and FIN flags (§19.8), and <see cref="QuicFrame.Type"/> reports them all as <see cref="Stream"/>.
/// </summary>
public enum FrameType : ulong
{
    Padding = 0x00,
    Ping = 0x01,
    Ack = 0x02,
    AckEcn = 0x03,
    ResetStream = 0x04,
    StopSending = 0x05,
    Crypto = 0x06,
    NewToken = 0x07,
    Stream = 0x08,
    MaxData = 0x10,
    MaxStreamData = 0x11,
    MaxStreamsBidirectional = 0x12,
    MaxStreamsUnidirectional = 0x13,
    DataBlocked = 0x14,
    StreamDataBlocked = 0x15,
    StreamsBlockedBidirectional = 0x16,
    StreamsBlockedUnidirectional = 0x17,
    NewConnectionId = 0x18,
    RetireConnectionId = 0x19,
    PathChallenge = 0x1a,
    PathResponse = 0x1b,
    ConnectionClose = 0x1c,
    ApplicationClose = 0x1d,
    HandshakeDone = 0x1e,
}

/// <summary>The flag bits of a STREAM frame's type (RFC 9000 §19.8).</summary>
[Flags]
public enum StreamFrameFlags : byte
{
    None = 0,
    Fin = 0x01,
    Length = 0x02,
    Offset = 0x04,
}
