namespace Hyper.Quic.Frames;

/// <summary>
/// One frame read by <see cref="QuicFrameReader"/>: its <see cref="Type"/> says which of the typed views below is
/// filled in; the others are default. Spans point into the decrypted packet, so nothing is copied or allocated.
/// </summary>
public readonly ref struct QuicFrame
{
    internal QuicFrame(FrameType type, ulong rawType)
    {
        Type = type;
        RawType = rawType;
    }

    public FrameType Type { get; }

    /// <summary>The frame type as sent; for STREAM it keeps the OFF/LEN/FIN bits (0x08..0x0f).</summary>
    public ulong RawType { get; }

    /// <summary>PADDING: the number of consecutive padding bytes folded into this one frame.</summary>
    public int PaddingLength { get; init; }

    public AckFrame Ack { get; init; }

    public ResetStreamFrame ResetStream { get; init; }

    public StopSendingFrame StopSending { get; init; }

    public CryptoFrame Crypto { get; init; }

    /// <summary>NEW_TOKEN: the token, never empty (§19.7).</summary>
    public ReadOnlySpan<byte> Token { get; init; }

    public StreamFrame Stream { get; init; }

    /// <summary>MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS, DATA_BLOCKED, STREAM_DATA_BLOCKED, STREAMS_BLOCKED.</summary>
    public FlowControlFrame FlowControl { get; init; }

    public NewConnectionIdFrame NewConnectionId { get; init; }

    /// <summary>RETIRE_CONNECTION_ID: the sequence number to retire.</summary>
    public ulong RetireSequenceNumber { get; init; }

    /// <summary>PATH_CHALLENGE and PATH_RESPONSE: the 8 data bytes.</summary>
    public ReadOnlySpan<byte> PathData { get; init; }

    public ConnectionCloseFrame ConnectionClose { get; init; }

    /// <summary>
    /// Frames that make a packet ack-eliciting (RFC 9002 §2): all but ACK, PADDING and CONNECTION_CLOSE.
    /// </summary>
    public bool IsAckEliciting => Type is not (FrameType.Ack or FrameType.AckEcn or FrameType.Padding
        or FrameType.ConnectionClose or FrameType.ApplicationClose);
}
