using System.Buffers;
using Hyper.Core.Protocols;

namespace Hyper.Http11;

// Time and the end of the connection: keep-alive idle, request-headers timeout, minimum body data rate,
// read timeout (docs/security.md B3), EOF, abort and graceful shutdown. Every deadline is an absolute `now` value.
public sealed partial class Http11Connection
{
    private bool _timeKnown;
    private long _lastKnownNow;
    private long _idleSince;
    private long _headStartedAt;
    private long _lastInputAt;
    private long _bufferedLength;
    private bool _bodyRateClockRunning;
    private long _bodyRateStartedAt;
    private long _bodyRateBytes;
    // This request's minimum body rate: the settings' unless its stream set its own (SetMinRequestBodyRate).
    private double _minBodyRate;
    private TimeSpan _minBodyRateGrace;

    /// <summary>
    /// The earliest pending deadline. Before the first call that carries <c>now</c> the connection cannot know
    /// when it started, so it reports 0 (already due): the driver's first <see cref="OnTimer"/> tells it the
    /// time and the keep-alive clock starts there.
    /// </summary>
    public long NextDeadline
    {
        get
        {
            if (ShouldClose) return long.MaxValue;
            if (!_timeKnown) return 0;
            var deadline = long.MaxValue;
            if (_read == Http11ReadState.AwaitingHead && !_shuttingDown)
            {
                deadline = _parser.HasStarted
                    ? MonotonicTime.After(_headStartedAt, _settings.RequestHeadersTimeout)
                    : MonotonicTime.After(_idleSince, _settings.KeepAliveTimeout);
            }
            if (_read == Http11ReadState.ReadingBody && _bodyRateClockRunning && _minBodyRate > 0)
                deadline = Math.Min(deadline, BodyRateDeadline());
            // A tunnel's idleness is its stream's business (WebSocket pings), not the HTTP read timeout's.
            if (WantsInput && _read != Http11ReadState.Tunnel && _settings.ReadTimeout is { } readTimeout)
                deadline = Math.Min(deadline, MonotonicTime.After(_lastInputAt, readTimeout));
            return deadline;
        }
    }

    public void OnTimer(long now, IBufferWriter<byte> output)
    {
        if (!LearnTime(now) || ShouldClose) return;

        if (_read == Http11ReadState.AwaitingHead && !_shuttingDown)
        {
            if (!_parser.HasStarted && now >= MonotonicTime.After(_idleSince, _settings.KeepAliveTimeout))
            {
                ShouldClose = true; // an idle keep-alive connection ends silently (RFC 9112 §9.5)
                return;
            }
            if (_parser.HasStarted && now >= MonotonicTime.After(_headStartedAt, _settings.RequestHeadersTimeout))
            {
                Reject(Http11RejectReason.RequestHeadersTimeout, "request head not received in time");
                return;
            }
        }

        if (_read == Http11ReadState.ReadingBody && _bodyRateClockRunning && _minBodyRate > 0 && now >= BodyRateDeadline())
        {
            Reject(Http11RejectReason.BodyDataRateTooLow, "request body arrived below the minimum data rate");
            return;
        }

        if (WantsInput && _read != Http11ReadState.Tunnel && _settings.ReadTimeout is { } readTimeout && now >= MonotonicTime.After(_lastInputAt, readTimeout))
            ShouldClose = true;
    }

    public void ReceiveCompleted(long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        // A rejected request still gets its answer; that answer closes the connection.
        if (ShouldClose || _read == Http11ReadState.Rejected) return;
        if (_read == Http11ReadState.Tunnel)
        {
            // The peer ended its side of the tunnel: the stream learns it as the end of its input.
            _events.Enqueue(new RequestBodyEnded(_streamId, null));
            ShouldClose = true;
            return;
        }
        if (_request is not null && (_read == Http11ReadState.ReadingBody || _write != Http11WriteState.Complete))
            _events.Enqueue(new StreamAborted(_streamId, "client disconnected"));
        ShouldClose = true;
    }

    public void AbortStream(long streamId, IBufferWriter<byte> output) => ShouldClose = true;

    public void BeginShutdown(long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        _shuttingDown = true;
        // Idle (or part-way through a head nobody is serving yet): close now. In flight: the response says close.
        if (_request is null && _read != Http11ReadState.Rejected) ShouldClose = true;
    }

    /// <summary>Records <paramref name="now"/>; false when this call was the one that first told the connection the time.</summary>
    private bool LearnTime(long now)
    {
        _lastKnownNow = now;
        if (_timeKnown) return true;
        _timeKnown = true;
        _idleSince = now;
        _lastInputAt = now;
        return false;
    }

    /// <summary>
    /// The request's own minimum body rate (ASP.NET Core's per-request feature). Counted from when its body started,
    /// as the settings' rate is: a stricter rate can fail at once for a body that is already behind it.
    /// </summary>
    public void SetMinRequestBodyRate(long streamId, double bytesPerSecond, TimeSpan grace, long now)
    {
        if (!IsCurrentStream(streamId)) return;
        LearnTime(now);
        _minBodyRate = bytesPerSecond;
        _minBodyRateGrace = grace;
    }

    private void StartBodyRateClock(long now)
    {
        _bodyRateClockRunning = true;
        _bodyRateStartedAt = now;
        _bodyRateBytes = 0;
    }

    /// <summary>
    /// When the average rate since the body started falls below the minimum, if no more bytes arrive: the
    /// later of the grace period's end and the moment the bytes so far stop covering the rate (Kestrel's
    /// MinRequestBodyDataRate).
    /// </summary>
    private long BodyRateDeadline()
    {
        var covered = _bodyRateBytes / _minBodyRate * TimeSpan.TicksPerSecond;
        var coveredTicks = covered >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)covered + 1;
        var wait = Math.Max(_minBodyRateGrace.Ticks, coveredTicks);
        return MonotonicTime.After(_bodyRateStartedAt, TimeSpan.FromTicks(wait));
    }
}
