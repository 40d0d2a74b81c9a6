namespace Hyper.Http3.Frames;

/// <summary>
/// An HTTP/3 error with its wire code. <see cref="IsConnectionError"/> says whether the whole connection closes
/// (CONNECTION_CLOSE) or only the stream is reset (RESET_STREAM / STOP_SENDING) (RFC 9114 §8).
/// </summary>
public sealed class Http3Exception : Exception
{
    public Http3Exception(Http3ErrorCode errorCode, string message, bool isConnectionError = true) : base(message)
    {
        ErrorCode = errorCode;
        IsConnectionError = isConnectionError;
    }

    /// <summary>The code to send.</summary>
    public Http3ErrorCode ErrorCode { get; }

    /// <summary>True for a connection error, false for a stream error.</summary>
    public bool IsConnectionError { get; }
}
