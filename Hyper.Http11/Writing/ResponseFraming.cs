namespace Hyper.Http11.Writing;

/// <summary>How a response body is delimited on the wire (RFC 9112 §6.3).</summary>
internal enum ResponseFraming
{
    /// <summary>No content may be sent: HEAD, 1xx, 204, 304 (RFC 9110 §6.4.1). Body bytes are dropped.</summary>
    NoBody,
    /// <summary>Exactly the declared Content-Length.</summary>
    ContentLength,
    /// <summary>The chunked transfer coding (HTTP/1.1 only).</summary>
    Chunked,
    /// <summary>Until the connection closes: HTTP/1.0 with an unknown length (RFC 9112 §6.3 rule 8).</summary>
    CloseDelimited,
    /// <summary>
    /// After <c>101 Switching Protocols</c> (RFC 9110 §15.2.2): the bytes are the switched stream's own (a
    /// WebSocket's frames), written as they are until the stream ends, which closes the connection.
    /// </summary>
    Tunnel,
}
