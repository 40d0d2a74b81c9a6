using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;

namespace Hyper.Http3;

/// <summary>
/// The server side of one HTTP/3 connection (RFC 9114) over a QUIC connection's streams, as a sans-IO state machine:
/// stream bytes, FINs and resets in; Core's request events and <see cref="QuicStreamAction"/>s out. It does not know
/// Hyper.Quic: the contract is stream ids, bytes, FIN, resets and <c>now</c> (<see cref="IQuicStreamProtocol"/>).
/// The partial files split it by concern: the client's unidirectional streams (<c>.Control</c>), request streams
/// (<c>.Requests</c>), responses (<c>.Output</c>), shutdown and deadlines (<c>.Shutdown</c>).
/// </summary>
public sealed partial class Http3Connection : IQuicStreamProtocol
{
    /// <summary>Our control stream: the first server-initiated unidirectional stream QUIC opens (RFC 9000 §2.1).</summary>
    public const long ControlStreamId = 3;

    /// <summary>Our QPACK encoder stream (RFC 9204 §4.2); only its type is ever written (the encoder is static-only).</summary>
    public const long EncoderStreamId = 7;

    /// <summary>Our QPACK decoder stream, carrying the decoder's acknowledgments and cancellations.</summary>
    public const long DecoderStreamId = 11;

    private readonly Http3ConnectionOptions _options;
    private readonly ConnectionInfo _info;
    private readonly Queue<ProtocolEvent> _events = new();
    private readonly Queue<QuicStreamAction> _actions = new();
    private readonly Dictionary<long, Http3RequestStream> _requests = [];
    private readonly ClosedStreamIds _closed = new();
    private readonly QpackDecoder _decoder;
    private readonly QpackEncoder _encoder = new();
    private readonly Http3FrameReaderOptions _readerOptions;
    private readonly Http3RequestFieldCollector _collector = new();
    private readonly TokenBucket _resets;
    private readonly TokenBucket _glitches;
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    private bool _started;
    private int _handlersRunning;
    private int _requestCount;
    private bool _shouldClose;

    public Http3Connection(Http3ConnectionOptions options, ConnectionInfo info)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _info = info;
        _decoder = new QpackDecoder(new QpackDecoderOptions
        {
            MaxTableCapacity = options.QpackMaxTableCapacity,
            MaxBlockedStreams = options.QpackBlockedStreams,
            MaxFieldSectionSize = options.MaxFieldSectionSize,
            MaxFieldCount = options.MaxFieldCount,
        });
        // A HEADERS payload is an encoded section, never longer than the decoded one from a sane encoder (docs/http3.md).
        _readerOptions = new Http3FrameReaderOptions { MaxHeadersPayload = options.MaxFieldSectionSize, MaxSettingsPayload = options.MaxSettingsPayload };
        _resets = new TokenBucket(options.ResetBurst, options.ResetRate);
        _glitches = new TokenBucket(options.GlitchBurst, options.GlitchRate);
    }

    public ConnectionInfo Info => _info;

    /// <summary>The settings we send (RFC 9114 §7.2.4).</summary>
    public Http3Settings LocalSettings => new()
    {
        QpackMaxTableCapacity = _options.QpackMaxTableCapacity,
        QpackBlockedStreams = _options.QpackBlockedStreams,
        MaxFieldSectionSize = _options.MaxFieldSectionSize,
    };

    /// <summary>The client's SETTINGS once its control stream delivered them; null before.</summary>
    public Http3Settings? PeerSettings { get; private set; }

    /// <summary>Why the connection was closed with an error, for logs and tests.</summary>
    public string? ConnectionErrorReason { get; private set; }

    /// <summary>The code of that close: an <see cref="Http3ErrorCode"/> or a <see cref="QpackErrorCode"/>.</summary>
    public long? ConnectionErrorCode { get; private set; }

    /// <summary>Why the last stream error was sent, for logs and tests.</summary>
    public string? LastStreamError { get; private set; }

    /// <summary>Request streams tracked: open ones, and closed ones whose handler still runs.</summary>
    internal int TrackedStreams => _requests.Count;

    internal int HandlersRunning => _handlersRunning;

    internal ClosedStreamIds ClosedStreams => _closed;

    public bool WantsInput => !_shouldClose;

    public bool ShouldClose => _shouldClose;

    public bool PushAllowed => false;

    public bool TryDequeueEvent(out ProtocolEvent? protocolEvent) => _events.TryDequeue(out protocolEvent);

    public bool TryDequeueStreamAction(out QuicStreamAction? action) => _actions.TryDequeue(out action);

    /// <summary>
    /// HTTP/3 has no single byte pipe: its input arrives per stream through <see cref="ReceiveStreamData"/>. A caller
    /// that treats it as a byte-stream protocol has wired it wrongly, and is told so.
    /// </summary>
    SequencePosition IStreamProtocol.Receive(in ReadOnlySequence<byte> data, long now, IBufferWriter<byte> output) =>
        throw new NotSupportedException("HTTP/3 reads QUIC streams: feed it with IQuicStreamProtocol.ReceiveStreamData.");

    public void ConnectionEstablished(long now) => Start(now);

    /// <summary>
    /// Opens our three unidirectional streams (RFC 9114 §6.2.1, RFC 9204 §4.2): the control stream with SETTINGS first,
    /// and the QPACK encoder and decoder streams, each announced by its type.
    /// </summary>
    private void Start(long now)
    {
        if (_started) return;
        _started = true;
        var control = new ArrayBufferWriter<byte>(64);
        Http3FrameWriter.WriteStreamType(control, Http3UnidirectionalStreamType.Control);
        Http3FrameWriter.WriteSettings(control, LocalSettings);
        Send(ControlStreamId, control.WrittenSpan, fin: false);
        Send(EncoderStreamId, [(byte)Http3UnidirectionalStreamType.QpackEncoder], fin: false);
        Send(DecoderStreamId, [(byte)Http3UnidirectionalStreamType.QpackDecoder], fin: false);
    }

    public int ReceiveStreamData(long streamId, ReadOnlyMemory<byte> data, bool fin, long now)
    {
        if (_shouldClose) return data.Length;
        Start(now);
        try
        {
            switch (streamId & 0x3)
            {
                case 0x0:
                    return ReceiveRequestData(streamId, data, fin, now);
                case 0x2:
                    ReceiveUnidirectional(streamId, data.Span, fin, now);
                    return data.Length;
                default:
                    // RFC 9114 §6.1: HTTP/3 uses no server-initiated bidirectional stream, and our unidirectional ones
                    // carry nothing from the client; QUIC refuses both first, so this is a wiring error seen as the peer's.
                    throw new Http3Exception(Http3ErrorCode.StreamCreationError, $"Data on server-initiated stream {streamId} (RFC 9114 §6.1).");
            }
        }
        catch (Http3Exception ex) when (ex.IsConnectionError)
        {
            CloseWithError((long)ex.ErrorCode, ex.Message);
            return data.Length;
        }
        catch (QpackException ex)
        {
            CloseWithError((long)ex.ErrorCode, ex.Message);
            return data.Length;
        }
        finally
        {
            FlushDecoderInstructions();
        }
    }

    public void ReceiveStreamReset(long streamId, long errorCode, long now)
    {
        if (_shouldClose) return;
        try
        {
            if ((streamId & 0x3) == 0x2)
            {
                OnUnidirectionalReset(streamId);
                return;
            }

            if ((streamId & 0x3) == 0x0) OnRequestReset(streamId, errorCode, now);
        }
        catch (Http3Exception ex) when (ex.IsConnectionError)
        {
            CloseWithError((long)ex.ErrorCode, ex.Message);
        }
        finally
        {
            FlushDecoderInstructions();
        }
    }

    public void ReceiveStopSending(long streamId, long errorCode, long now)
    {
        if (_shouldClose) return;
        try
        {
            // RFC 9114 §6.2.1 and RFC 9204 §4.2: the peer may not ask us to close our control or QPACK streams.
            if (streamId is ControlStreamId or EncoderStreamId or DecoderStreamId)
            {
                throw new Http3Exception(Http3ErrorCode.ClosedCriticalStream, $"STOP_SENDING on our critical stream {streamId} (RFC 9114 §6.2.1).");
            }

            if ((streamId & 0x3) == 0x0) OnRequestStopSending(streamId, errorCode, now);
        }
        catch (Http3Exception ex) when (ex.IsConnectionError)
        {
            CloseWithError((long)ex.ErrorCode, ex.Message);
        }
    }

    public void ReceiveCompleted(long now, IBufferWriter<byte> output)
    {
        // The QUIC connection is gone: no stream can finish its request or receive its response.
        AbortAllStreams("the QUIC connection closed");
        _shouldClose = true;
    }

    /// <summary>A connection error (RFC 9114 §8): CONNECTION_CLOSE with the code; every stream is abandoned.</summary>
    private void CloseWithError(long code, string reason)
    {
        if (_shouldClose) return;
        ConnectionErrorCode = code;
        ConnectionErrorReason = $"0x{code:x}: {reason}";
        _actions.Enqueue(new CloseQuicConnection(code, reason));
        AbortAllStreams($"connection error 0x{code:x}: {reason}");
        _shouldClose = true;
    }

    private void AbortAllStreams(string reason)
    {
        foreach (var stream in _requests.Values)
        {
            if (stream.HeadDelivered && !(stream.SendDone && stream.ReceiveDone)) _events.Enqueue(new StreamAborted(stream.Id, reason));
            stream.SendDone = stream.ReceiveDone = true;
        }
    }

    /// <summary>Decoder-stream instructions (acknowledgments, cancellations, insert count increments) go out after each input.</summary>
    private void FlushDecoderInstructions()
    {
        if (_shouldClose || _decoder.PendingInstructionsLength == 0) return;
        _scratch.ResetWrittenCount();
        _decoder.WriteDecoderStreamInstructions(_scratch);
        Send(DecoderStreamId, _scratch.WrittenSpan, fin: false);
    }

    private void Send(long streamId, ReadOnlySpan<byte> data, bool fin) => _actions.Enqueue(new SendStreamData(streamId, data.ToArray(), fin));

    /// <summary>
    /// Answers, refusals and skipped frames the peer causes draw from one bucket (nghttp2's glitch budget;
    /// docs/security.md ): an empty bucket closes the connection with H3_EXCESSIVE_LOAD.
    /// </summary>
    private void CountGlitch(long now, string what)
    {
        if (!_glitches.TryTake(now)) throw new Http3Exception(Http3ErrorCode.ExcessiveLoad, $"too many {what}");
    }
}
