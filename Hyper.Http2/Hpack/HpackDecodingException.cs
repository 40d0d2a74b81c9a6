namespace Hyper.Http2.Hpack;

/// <summary>
/// A header block that cannot be decoded. The decoding context is then lost, so the connection answers with a
/// connection error of type COMPRESSION_ERROR (RFC 9113 §4.3) and is torn down; the decoder is not used again.
/// </summary>
public class HpackDecodingException : Exception
{
    public HpackDecodingException(HpackDecodingReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The rule the block broke; tests and callers branch on this, not on the message.</summary>
    public HpackDecodingReason Reason { get; }
}
