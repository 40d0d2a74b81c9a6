namespace Hyper.Core.Streams;

/// <summary>
/// Where the application is in its response (ASGI HTTP: start, then body chunks, then optional trailers).
/// Start is held back until the first body chunk, so a response whose whole body comes in one message can be
/// sent with a Content-Length in one write.
/// </summary>
internal enum HttpResponseState
{
    /// <summary>Nothing sent yet: only <c>http.response.start</c> is allowed.</summary>
    Initial,

    /// <summary><c>http.response.start</c> received and held; nothing on the wire yet.</summary>
    StartHeld,

    /// <summary>Head on the wire, body chunks flowing.</summary>
    Streaming,

    /// <summary>Body done; waiting for <c>http.response.trailers</c> (announced with <c>trailers: true</c>).</summary>
    AwaitingTrailers,

    /// <summary>The response is complete.</summary>
    Done,
}
