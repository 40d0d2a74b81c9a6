namespace Hyper.Core.Streams;

/// <summary>What a <see cref="StreamCommand"/> asks the connection to do with the protocol.</summary>
public enum StreamCommandKind
{
    /// <summary>Send the response head, and the first body chunk when <see cref="StreamCommand.WithBody"/>.</summary>
    StartResponse,

    /// <summary>Send the head and the whole body at once (the protocol may frame it with its length).</summary>
    CompleteResponse,

    /// <summary>Send response body bytes; with <see cref="StreamCommand.EndStream"/> the response ends.</summary>
    Body,

    /// <summary>Send trailers and end the response.</summary>
    Trailers,

    /// <summary>Send an interim (1xx) response.</summary>
    Informational,

    /// <summary>Promise a pushed request (HTTP/2 server push).</summary>
    Push,

    /// <summary>The application has started to read the body (a held-back 100 Continue may go now).</summary>
    BodyWanted,

    /// <summary>The application took <see cref="StreamCommand.Bytes"/> of request body (flow control may reopen).</summary>
    BodyConsumed,

    /// <summary>Change the request's minimum body rate to <see cref="StreamCommand.Rate"/> after <see cref="StreamCommand.Grace"/> (0: none).</summary>
    MinRequestBodyRate,

    /// <summary>Abandon the stream mid-response; the connection closes after what is written.</summary>
    Abort,
}
