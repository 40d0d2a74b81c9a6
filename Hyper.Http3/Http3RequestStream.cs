using Hyper.Core.Application;
using Hyper.Http3.Frames;

namespace Hyper.Http3;

/// <summary>One client-initiated bidirectional stream carrying a request (RFC 9114 §4.1), as the connection tracks it.</summary>
internal sealed class Http3RequestStream(long id, Http3FrameReaderOptions readerOptions)
{
    public long Id { get; } = id;

    /// <summary>The request stream's frames: HEADERS, DATA*, optional trailing HEADERS.</summary>
    public Http3FrameReader Reader { get; } = new(Http3StreamKind.Request, readerOptions);

    /// <summary>RequestReceived went out: the stream layer knows it, and a handler runs until HandlerCompleted.</summary>
    public bool HeadDelivered { get; set; }

    public bool HandlerRunning { get; set; }

    /// <summary>The section on this stream waits for QPACK inserts (RFC 9204 §2.1.2); input stops until it is decoded.</summary>
    public bool Blocked { get; set; }

    /// <summary>The blocked section is the trailers, not the head.</summary>
    public bool BlockedOnTrailers { get; set; }

    /// <summary>The FIN came right behind the blocked section, in the same input.</summary>
    public bool FinAfterBlocked { get; set; }

    /// <summary>Too much body is waiting for the application: input stops until it consumes some.</summary>
    public bool InputPaused { get; set; }

    /// <summary>Nothing more is read from the client on this stream (FIN processed, reset, or we asked it to stop).</summary>
    public bool ReceiveDone { get; set; }

    /// <summary>Nothing more is sent on this stream (FIN written, reset by us or after the peer's STOP_SENDING).</summary>
    public bool SendDone { get; set; }

    public bool ResponseStarted { get; set; }

    public long? ContentLength { get; set; }

    public long ReceivedBody { get; set; }

    /// <summary>Body octets handed to the application and not yet consumed.</summary>
    public long Unconsumed { get; set; }

    public bool IsHead { get; set; }

    public bool ExpectsContinue { get; set; }

    public bool ContinueSent { get; set; }

    /// <summary>The body was refused (413): what still arrives is dropped, and the client is asked to stop.</summary>
    public bool BodyRefused { get; set; }

    /// <summary>The trailers, once decoded.</summary>
    public IReadOnlyList<HeaderField>? Trailers { get; set; }

    /// <summary>Unknown frames this stream's reader had skipped at the last look, for the flood budget (a field, passed by ref).</summary>
    public long SkippedFramesCounted;
}
