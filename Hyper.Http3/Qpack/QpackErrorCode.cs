namespace Hyper.Http3.Qpack;

/// <summary>The QPACK error codes (RFC 9204 §6), sent as HTTP/3 connection errors in CONNECTION_CLOSE.</summary>
public enum QpackErrorCode : long
{
    /// <summary>A field section could not be decoded (RFC 9204 §6).</summary>
    DecompressionFailed = 0x200,

    /// <summary>An encoder-stream instruction could not be interpreted (RFC 9204 §6).</summary>
    EncoderStreamError = 0x201,

    /// <summary>A decoder-stream instruction could not be interpreted (RFC 9204 §6).</summary>
    DecoderStreamError = 0x202,
}
