namespace Hyper.Http11;

/// <summary>Why an HTTP/1.1 request was refused. <see cref="Http11RejectReasons.StatusCode"/> is the one map to the wire status.</summary>
public enum Http11RejectReason
{
    /// <summary>A line ended in LF without CR, or a CR stood alone (RFC 9112 §2.2).</summary>
    BareLineTerminator,
    /// <summary>The request line is not <c>method SP request-target SP HTTP-version</c> (RFC 9112 §3).</summary>
    MalformedRequestLine,
    /// <summary>The method is not a token (RFC 9110 §9.1).</summary>
    InvalidMethod,
    /// <summary>The request-target has a byte or a form the RFC does not allow (RFC 9112 §3.2).</summary>
    InvalidRequestTarget,
    /// <summary>CONNECT: Hyper is an origin server, not a proxy.</summary>
    ConnectNotSupported,
    /// <summary>An HTTP version other than 1.0 or 1.1.</summary>
    UnsupportedVersion,
    /// <summary>The request line is longer than the limit.</summary>
    RequestLineTooLong,
    /// <summary>The header section is larger than the limit, or has too many fields.</summary>
    HeaderSectionTooLarge,
    /// <summary>A field line is malformed: empty or non-token name, whitespace before the colon, bad value bytes (RFC 9112 §5).</summary>
    InvalidHeaderField,
    /// <summary>A field line starts with whitespace (RFC 9112 §5.2).</summary>
    ObsoleteLineFolding,
    /// <summary>Host is missing, repeated, malformed, or conflicts with an absolute-form target (RFC 9112 §3.2).</summary>
    InvalidHost,
    /// <summary>Content-Length is not a single 1*DIGIT value that fits in Int64 (RFC 9112 §6.3).</summary>
    InvalidContentLength,
    /// <summary>Both Content-Length and Transfer-Encoding (RFC 9112 §6.1).</summary>
    ContentLengthWithTransferEncoding,
    /// <summary>
    /// Transfer-Encoding is repeated, empty, malformed, sent in an HTTP/1.0 request, applies chunked twice, or its final
    /// coding is not chunked (the body length cannot be determined, RFC 9112 §6.3).
    /// </summary>
    InvalidTransferEncoding,
    /// <summary>Transfer-Encoding names a coding Hyper does not decode before its final <c>chunked</c> (RFC 9112 §6.1).</summary>
    UnsupportedTransferEncoding,
    /// <summary>A chunk-size line breaks RFC 9112 §7.1 (size, extension or terminator).</summary>
    InvalidChunkLine,
    /// <summary>Chunk data is not followed by exactly CRLF (RFC 9112 §7.1).</summary>
    InvalidChunkTerminator,
    /// <summary>The trailer section is larger than the limit or has too many fields.</summary>
    TrailerSectionTooLarge,
    /// <summary>The body is larger than the limit.</summary>
    BodyTooLarge,
    /// <summary>The head did not arrive within the request-headers timeout.</summary>
    RequestHeadersTimeout,
    /// <summary>The body arrived slower than the minimum data rate.</summary>
    BodyDataRateTooLow,
}

/// <summary>The status code each <see cref="Http11RejectReason"/> is answered with.</summary>
public static class Http11RejectReasons
{
    public static int StatusCode(this Http11RejectReason reason) => reason switch
    {
        Http11RejectReason.RequestLineTooLong => 414,
        Http11RejectReason.HeaderSectionTooLarge or Http11RejectReason.TrailerSectionTooLarge => 431,
        Http11RejectReason.BodyTooLarge => 413,
        Http11RejectReason.UnsupportedVersion => 505,
        Http11RejectReason.UnsupportedTransferEncoding => 501,
        Http11RejectReason.ConnectNotSupported => 405,
        Http11RejectReason.RequestHeadersTimeout or Http11RejectReason.BodyDataRateTooLow => 408,
        _ => 400,
    };
}
