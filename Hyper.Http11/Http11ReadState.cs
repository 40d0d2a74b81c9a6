namespace Hyper.Http11;

/// <summary>The request side of an HTTP/1.1 connection (h11's client-side states, as the server sees them).</summary>
internal enum Http11ReadState
{
    /// <summary>No request in flight: waiting for (or parsing) the next head.</summary>
    AwaitingHead,
    /// <summary>The head was accepted and its body is being read (or, once the response is done, drained).</summary>
    ReadingBody,
    /// <summary>The request is fully read; parsing pauses until its response is written (h11's PAUSED).</summary>
    BodyComplete,
    /// <summary>The request was refused; nothing more is parsed and the connection closes after the answer.</summary>
    Rejected,
    /// <summary>The connection switched protocols (101): every later byte belongs to the new protocol.</summary>
    Upgraded,
    /// <summary>
    /// The request was answered 101 by its own stream (a WebSocket): every later byte is that stream's, delivered
    /// as its body until the peer closes.
    /// </summary>
    Tunnel,
}
