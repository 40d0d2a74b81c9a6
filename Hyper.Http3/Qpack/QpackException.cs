namespace Hyper.Http3.Qpack;

/// <summary>
/// A QPACK error. Every one is a connection error (RFC 9204 §2.2.3, §4.2): the connection closes with
/// <see cref="ErrorCode"/>. After one, the decoder or encoder that threw must not be used again.
/// </summary>
public class QpackException : Exception
{
    public QpackException(QpackErrorCode errorCode, string message) : base(message) => ErrorCode = errorCode;

    public QpackException(QpackErrorCode errorCode, string message, Exception inner) : base(message, inner) => ErrorCode = errorCode;

    /// <summary>The wire code for CONNECTION_CLOSE.</summary>
    public QpackErrorCode ErrorCode { get; }
}
