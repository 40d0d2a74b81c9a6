namespace Hyper.Quic;

/// <summary>
/// A connection error found while decoding or checking what the peer sent. It carries the transport error code and,
/// where one frame caused it, that frame's type, so the connection can send CONNECTION_CLOSE (RFC 9000 §19.19) with
/// both fields filled in.
/// </summary>
public sealed class QuicTransportException : Exception
{
    public QuicTransportException(QuicTransportErrorCode errorCode, string message, ulong frameType = 0)
        : base(message)
    {
        ErrorCode = errorCode;
        FrameType = frameType;
    }

    /// <summary>The RFC 9000 §20.1 code for CONNECTION_CLOSE.</summary>
    public QuicTransportErrorCode ErrorCode { get; }

    /// <summary>The type of the frame that triggered the error, or 0 when no single frame did.</summary>
    public ulong FrameType { get; }
}
