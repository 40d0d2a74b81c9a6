using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Hpack;

namespace Hyper.Http2;

/// <summary>
/// The server side of one HTTP/2 connection (RFC 9113) as a sans-IO state machine: frames in, events out;
/// commands in, frames out. It reads no clock (time is <c>now</c>), starts no task and takes no lock; the
/// connection driver in Core serialises every call. The partial files split it by concern:
/// frames received (<c>.Frames</c>), header blocks and requests (<c>.Headers</c>), responses and flow control
/// (<c>.Output</c>), deadlines and shutdown (<c>.Timers</c>).
/// </summary>
public sealed partial class Http2Connection : IMultiplexedStreamProtocol
{
    private const int DefaultWindow = 65_535;
    private const int DefaultFrameSize = 16_384;

    private readonly Http2ConnectionSettings _settings;
    private readonly Core.Configuration.Http2Limits _limits;
    private readonly ConnectionInfo _info;
    private readonly Queue<ProtocolEvent> _events = new();
    private readonly Dictionary<int, Http2Stream> _streams = new();
    private readonly HpackDecoder _decoder;
    private readonly HpackEncoder _encoder = new();
    private readonly TokenBucket _glitches;
    private readonly TokenBucket _resets;
    private readonly TokenBucket _controls;
    private readonly TokenBucket _refusals;
    private readonly RecentlyClosedStreams _recentlyClosed = new(64);

    // The peer's settings (§6.5.2 defaults until its SETTINGS arrive).
    private int _peerMaxFrameSize = DefaultFrameSize;
    private int _peerInitialWindow = DefaultWindow;
    private bool _peerEnablePush = true;

    // Connection-level flow control (§6.9.1): ours to send, and what the peer may still send us.
    private long _sendWindow = DefaultWindow;
    private long _receiveWindow = DefaultWindow;
    private int _connectionConsumedNotUpdated;

    private bool _prefaceReceived;
    private bool _started;
    private int _lastStreamId;
    private int _openStreams;
    private int _handlersRunning;
    private int _busySlots;
    private int _requestCount;
    private long _startedAt = long.MinValue;

    private bool _shouldClose;
    private bool _peerSentGoAway;

    public Http2Connection(Http2ConnectionSettings settings, ConnectionInfo info)
    {
        _settings = settings;
        _limits = settings.Limits;
        _info = info;
        // The decoder stops at twice the advertised list size (connection error, H2-09); between the two a
        // request is answered 431. Pseudo-header fields get room beside the regular-field count.
        _decoder = new HpackDecoder(_limits.HeaderTableSize, 2 * _limits.MaxHeaderListSize, settings.MaxHeaderCount + 5);
        _glitches = new TokenBucket(_limits.GlitchBurst, _limits.GlitchRate);
        _resets = new TokenBucket(_limits.ResetBurst, _limits.ResetRate);
        _controls = new TokenBucket(_limits.ControlBurst, _limits.ControlRate);
        // Kestrel's rule: more than h2_max_refused_streams refusals in 5 s is a flood.
        _refusals = new TokenBucket(_limits.MaxRefusedStreams, Math.Max(1, _limits.MaxRefusedStreams / 5));
        _receiveBuffer = new HeaderBlockBuffer(2 * _limits.MaxHeaderListSize);
    }

    public ConnectionInfo Info => _info;

    /// <summary>Streams the protocol tracks: open ones and closed ones whose handler still runs.</summary>
    internal int TrackedStreams => _streams.Count;

    internal int HandlersRunning => _handlersRunning;

    public bool WantsInput => !_shouldClose;

    public bool ShouldClose => _shouldClose;

    public bool TryDequeueEvent(out ProtocolEvent? protocolEvent) => _events.TryDequeue(out protocolEvent);

    public SequencePosition Receive(in ReadOnlySequence<byte> data, long now, IBufferWriter<byte> output)
    {
        var buffer = data;
        if (_shouldClose) return buffer.End;
        Start(now, output);
        try
        {
            if (!_prefaceReceived)
            {
                switch (PrefaceSniffer.Classify(buffer))
                {
                    case PrefaceMatch.NeedMoreBytes:
                        return buffer.Start;
                    case PrefaceMatch.NoMatch:
                        // RFC 9113 §3.4: anything else than the preface is a connection error of type PROTOCOL_ERROR.
                        throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "invalid connection preface");
                }
                buffer = buffer.Slice(PrefaceSniffer.Preface.Length);
                _prefaceReceived = true;
            }
            while (!_shouldClose && Http2FrameHeader.TryRead(buffer, out var header))
            {
                // RFC 9113 §4.2: a frame larger than our SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR.
                if (header.Length > _limits.MaxInboundFrameSize)
                    throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"frame of {header.Length} bytes exceeds SETTINGS_MAX_FRAME_SIZE");
                // H2-12: a CONTINUATION that cannot fit the header block is refused on its frame header, before its
                // payload is waited for, so a flood never makes us hold more than the block limit plus one header.
                if (header.Type == Http2FrameType.Continuation && _blockStreamId != 0 && _receiveBuffer.Length + header.Length > 2 * _limits.MaxHeaderListSize)
                    throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "header block too large");
                if (buffer.Length < Http2FrameHeader.Size + header.Length) break;
                var payload = buffer.Slice(Http2FrameHeader.Size, header.Length);
                ProcessFrame(header, payload, now, output);
                buffer = buffer.Slice(payload.End);
            }
            FlushPendingData(now, output);
            UpdateBodyClocks(now);
        }
        catch (Http2ConnectionException ex)
        {
            ConnectionError(ex.Code, ex.Message, output);
            return data.End;
        }
        return _shouldClose ? data.End : buffer.Start;
    }

    public void ReceiveCompleted(long now, IBufferWriter<byte> output)
    {
        // The peer closed its side: nothing more can arrive, so no stream can finish its request or read our
        // response flow-control updates. Every stream is abandoned.
        AbortAllStreams("the client closed the connection");
        _shouldClose = true;
    }

    /// <summary>Sends our SETTINGS (the server preface, §3.4) and opens the connection window to its configured size.</summary>
    private void Start(long now, IBufferWriter<byte> output)
    {
        if (_started) return;
        _started = true;
        _startedAt = now;
        _idleSince = now;
        ReadOnlySpan<(Http2SettingsParameter, uint)> settings =
        [
            (Http2SettingsParameter.MaxConcurrentStreams, (uint)_limits.MaxConcurrentStreams),
            (Http2SettingsParameter.InitialWindowSize, (uint)_limits.InitialStreamWindowSize),
            (Http2SettingsParameter.MaxFrameSize, (uint)_limits.MaxInboundFrameSize),
            (Http2SettingsParameter.MaxHeaderListSize, (uint)_limits.MaxHeaderListSize),
            (Http2SettingsParameter.HeaderTableSize, (uint)_limits.HeaderTableSize),
            // RFC 8441 §3: the client may open WebSockets with extended CONNECT.
            (Http2SettingsParameter.EnableConnectProtocol, 1u),
        ];
        Http2FrameWriter.WriteSettings(output, _settings.EnableConnectProtocol ? settings : settings[..^1]);
        var increase = _limits.InitialConnectionWindowSize - DefaultWindow;
        if (increase > 0)
        {
            Http2FrameWriter.WriteWindowUpdate(output, 0, increase);
            _receiveWindow += increase;
        }
    }

    /// <summary>RFC 9113 §5.4.1: GOAWAY with the last stream we processed, then close; every stream is abandoned.</summary>
    private void ConnectionError(Http2ErrorCode code, string reason, IBufferWriter<byte> output)
    {
        if (_shouldClose) return;
        Http2FrameWriter.WriteGoAway(output, _lastStreamId, code);
        _goAwaySent = true;
        _finalGoAwaySent = true;
        ConnectionErrorReason = $"{code}: {reason}";
        AbortAllStreams($"connection error {code}: {reason}");
        _shouldClose = true;
    }

    /// <summary>The reason of the connection error that closed the connection, for logs and tests.</summary>
    public string? ConnectionErrorReason { get; private set; }

    private void AbortAllStreams(string reason)
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.State != Http2StreamState.Closed) _events.Enqueue(new StreamAborted(stream.Id, reason));
            CloseStream(stream);
        }
        _writeQueue.Clear();
    }

    /// <summary>RFC 9113 §5.4.2: RST_STREAM and the stream is closed; its handler keeps its slot until it returns.</summary>
    private void ResetStream(Http2Stream stream, Http2ErrorCode code, string reason, long now, IBufferWriter<byte> output)
    {
        Http2FrameWriter.WriteRstStream(output, stream.Id, code);
        if (stream.State != Http2StreamState.Closed) _events.Enqueue(new StreamAborted(stream.Id, reason));
        _recentlyClosed.Add(stream.Id, resetByUs: true);
        CloseStream(stream);
        CountGlitch(now, "stream errors");
    }

    /// <summary>A stream error on a stream the protocol never created (refused or malformed at once).</summary>
    private void ResetUnopened(int streamId, Http2ErrorCode code, long now, IBufferWriter<byte> output)
    {
        Http2FrameWriter.WriteRstStream(output, streamId, code);
        _recentlyClosed.Add(streamId, resetByUs: true);
        CountGlitch(now, "stream errors");
    }

    private void CloseStream(Http2Stream stream)
    {
        if (stream.State != Http2StreamState.Closed)
        {
            stream.State = Http2StreamState.Closed;
            _openStreams--;
            if (stream.IsPush) _pushedOpen--;
            _recentlyClosed.Add(stream.Id, resetByUs: false);
        }
        _totalPending -= stream.Pending.Length;
        stream.Pending.Clear();
        stream.StallStartedAt = long.MaxValue;
        stream.BodyClockSince = long.MaxValue;
        stream.PendingTrailers = null;
        stream.EndAfterPending = false;
        if (!stream.HandlerRunning) Forget(stream);
        if (ServesNoRequest) _idleSince = _lastEventAt;
    }

    /// <summary>
    /// No request is being served: no handler runs and every stream still open only waits for the end of a request
    /// whose response is complete (<see cref="Http2Stream.AwaitsOnlyRequestEnd"/>). A client that leaves such a stream
    /// open and sends nothing more does not hold the connection past its idle timeout.
    /// </summary>
    private bool ServesNoRequest => _handlersRunning == 0 && (_openStreams == 0 || _streams.Values.All(s => s.State == Http2StreamState.Closed || s.AwaitsOnlyRequestEnd));

    /// <summary>
    /// The handler of a stream still receiving (half-closed (local): its response is complete) returned: the body bytes
    /// it never read are discarded, and their window goes back as if they had been read.
    /// </summary>
    private void ReleaseUnread(Http2Stream stream, IBufferWriter<byte> output)
    {
        var unread = (int)Math.Min(int.MaxValue, stream.Unconsumed);
        stream.Unconsumed = 0;
        if (unread == 0) return;
        ReturnToConnectionWindow(unread, output);
        ReturnToStreamWindow(stream, unread, output);
    }

    /// <summary>Drops a closed stream whose handler is done; request bytes it never read go back to the connection window.</summary>
    private void Forget(Http2Stream stream)
    {
        if (!_streams.Remove(stream.Id)) return;
        _connectionConsumedNotUpdated += (int)Math.Min(int.MaxValue, stream.Unconsumed);
        stream.Unconsumed = 0;
    }

    /// <summary>
    /// Suspicious frames and server-sent stream errors drain one bucket (nghttp2; docs/security.md H2-03, H2-08, H2-13):
    /// an empty bucket ends the connection with ENHANCE_YOUR_CALM.
    /// </summary>
    private void CountGlitch(long now, string what)
    {
        if (!_glitches.TryTake(now))
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"too many {what}");
    }

    /// <summary>The stream stops counting against concurrency (its response completed, or its handler returned).</summary>
    private void ReleaseSlot(Http2Stream stream)
    {
        if (!stream.HoldsSlot) return;
        stream.HoldsSlot = false;
        _busySlots--;
    }

    /// <summary>
    /// Finds a stream named through the protocol contract, whose ids are 62-bit for QUIC's sake: HTTP/2's own are
    /// 31-bit (RFC 9113 §5.1.1), so an id outside that range names no stream here.
    /// </summary>
    private bool TryFindStream(long streamId, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Http2Stream stream)
    {
        if (streamId is > 0 and <= int.MaxValue) return _streams.TryGetValue((int)streamId, out stream);
        stream = null;
        return false;
    }

    public void HandlerCompleted(long streamId, IBufferWriter<byte> output)
    {
        if (!TryFindStream(streamId, out var stream) || !stream.HandlerRunning) return;
        stream.HandlerRunning = false;
        stream.BodyClockSince = long.MaxValue; // nobody waits for the rest of the body now
        _handlersRunning--;
        ReleaseSlot(stream);
        if (stream.State == Http2StreamState.Closed) Forget(stream);
        else ReleaseUnread(stream, output);
        if (ServesNoRequest) _idleSince = _lastEventAt;
        MaybeFinishShutdown(output);
    }
}
