namespace Hyper.Quic.Frames;

/// <summary>A NEW_CONNECTION_ID frame (RFC 9000 §19.15). The spans point into the decrypted packet.</summary>
public readonly ref struct NewConnectionIdFrame
{
    public const int StatelessResetTokenLength = 16;

    internal NewConnectionIdFrame(ulong sequenceNumber, ulong retirePriorTo, ReadOnlySpan<byte> connectionId, ReadOnlySpan<byte> statelessResetToken)
    {
        SequenceNumber = sequenceNumber;
        RetirePriorTo = retirePriorTo;
        ConnectionId = connectionId;
        StatelessResetToken = statelessResetToken;
    }

    public ulong SequenceNumber { get; }

    public ulong RetirePriorTo { get; }

    /// <summary>1 to 20 bytes.</summary>
    public ReadOnlySpan<byte> ConnectionId { get; }

    /// <summary>16 bytes.</summary>
    public ReadOnlySpan<byte> StatelessResetToken { get; }
}
