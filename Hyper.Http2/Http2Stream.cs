using Hyper.Core.Application;

namespace Hyper.Http2;

/// <summary>
/// The protocol's view of one stream: its RFC 9113 §5.1 state, both flow-control windows, the request body
/// accounting, and response bytes waiting for window. The application's view is Core's HttpStream.
/// </summary>
internal sealed class Http2Stream(int id, long sendWindow, int receiveWindow)
{
    public int Id { get; } = id;
    public Http2StreamState State { get; set; } = Http2StreamState.Open;

    /// <summary>The request handler is running: the stream still counts against concurrency even once closed (H2-11).</summary>
    public bool HandlerRunning { get; set; }

    /// <summary>
    /// Counts against h2_max_concurrent_streams: from the request until the response completed normally or, for a
    /// stream that was reset (by either side), until its handler returned (Rapid Reset, MadeYouReset: H2-11, H2-13).
    /// </summary>
    public bool HoldsSlot { get; set; }

    /// <summary>The peer's window for our DATA on this stream (§6.9.1); may go negative after a SETTINGS change (§6.9.2).</summary>
    public long SendWindow { get; set; } = sendWindow;

    /// <summary>Request DATA the peer may still send on this stream before we reopen the window.</summary>
    public int ReceiveWindow { get; set; } = receiveWindow;

    /// <summary>Body bytes received and not yet taken by the application (they hold the window shut).</summary>
    public long Unconsumed { get; set; }

    /// <summary>Bytes taken by the application but not yet returned to the peer with WINDOW_UPDATE.</summary>
    public int ConsumedNotUpdated { get; set; }

    public long? ContentLength { get; set; }
    public long ReceivedBodyBytes { get; set; }
    public bool IsHead { get; set; }

    /// <summary>An extended CONNECT (RFC 8441): DATA carries another protocol's bytes, not a request body.</summary>
    public bool IsTunnel { get; set; }

    /// <summary>A stream we promised (PUSH_PROMISE): even id, counted against the peer's stream limit.</summary>
    public bool IsPush { get; set; }
    public bool ExpectsContinue { get; set; }
    public bool ContinueSent { get; set; }

    /// <summary>
    /// The request was refused with an error status (413, 431, 400) before its body ended: its DATA is dropped as it
    /// arrives, and once the error response is complete RST_STREAM(NO_ERROR) asks the client to stop (RFC 9113 §8.1).
    /// </summary>
    public bool BodyRefused { get; set; }

    /// <summary>The application started its response (HEADERS went out).</summary>
    public bool ResponseStarted { get; set; }

    public ResponseBuffer Pending { get; } = new();

    /// <summary>When response bytes started waiting on the peer's window (long.MaxValue: none waiting).</summary>
    public long StallStartedAt { get; set; } = long.MaxValue;

    /// <summary>
    /// The request-body rate clock (docs/security.md SL-02): running since this time while the client is free to send
    /// its body (long.MaxValue: paused or not started). <see cref="BodyClockCounted"/> is the time counted in earlier
    /// runs, <see cref="BodyClockBytes"/> the body bytes received so far.
    /// </summary>
    public long BodyClockSince { get; set; } = long.MaxValue;

    /// <summary>This stream's minimum body rate in bytes per second (0: none) and its grace period: the settings' unless the stream set its own.</summary>
    public double MinBodyRate { get; set; }
    public TimeSpan MinBodyRateGrace { get; set; }
    public long BodyClockCounted { get; set; }
    public long BodyClockBytes { get; set; }

    /// <summary>Bytes of this stream that left since <see cref="StallStartedAt"/>.</summary>
    public long StallSent { get; set; }

    /// <summary>END_STREAM goes out once <see cref="Pending"/> has drained.</summary>
    public bool EndAfterPending { get; set; }

    /// <summary>Trailers to send (with END_STREAM) once <see cref="Pending"/> has drained.</summary>
    public IReadOnlyList<HeaderField>? PendingTrailers { get; set; }

    /// <summary>The stream layer was told to wait for room: a <c>StreamWritable</c> is owed when the buffer drains.</summary>
    public bool WriterWaiting { get; set; }

    /// <summary>In the connection's queue of streams with pending DATA.</summary>
    public bool Queued { get; set; }

    /// <summary>
    /// Half-closed (local) with its handler returned: the response is complete and nobody reads the rest of the
    /// request, which is still checked frame by frame until the client ends or resets the stream (RFC 9113 §5.1).
    /// </summary>
    public bool AwaitsOnlyRequestEnd => State == Http2StreamState.HalfClosedLocal && !HandlerRunning;

    public bool ReceivingClosed => State is Http2StreamState.HalfClosedRemote or Http2StreamState.Closed;
    public bool SendingClosed => State is Http2StreamState.HalfClosedLocal or Http2StreamState.Closed;
}
