namespace Hyper.Quic.Frames;

/// <summary>
/// A CONNECTION_CLOSE frame (RFC 9000 §19.19): type 0x1c carries a transport error code and the type of the frame
/// that caused it, type 0x1d an application error code only.
/// </summary>
public readonly ref struct ConnectionCloseFrame
{
    internal ConnectionCloseFrame(bool isApplicationClose, ulong errorCode, ulong triggeringFrameType, ReadOnlySpan<byte> reasonPhrase)
    {
        IsApplicationClose = isApplicationClose;
        ErrorCode = errorCode;
        TriggeringFrameType = triggeringFrameType;
        ReasonPhrase = reasonPhrase;
    }

    public bool IsApplicationClose { get; }

    public ulong ErrorCode { get; }

    /// <summary>0 for an application close, which has no such field.</summary>
    public ulong TriggeringFrameType { get; }

    /// <summary>UTF-8 by convention (§19.19); not validated, since it is for diagnostics only.</summary>
    public ReadOnlySpan<byte> ReasonPhrase { get; }
}
