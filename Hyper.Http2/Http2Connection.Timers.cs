using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// Deadlines and shutdown: the preface and header-block timeouts (H2-12), the idle timeout, the minimum response
// rate while data waits on the peer's window (H2-01, H2-10), and the two-step GOAWAY of RFC 9113 §6.8.
public sealed partial class Http2Connection
{
    // An opaque value the client echoes in its PING ACK; distinct from anything it could have sent us first.
    private const ulong ShutdownPingPayload = 0x4879_7065_7253_6875; // "HyperShu"

    private long _idleSince;
    private bool _goAwaySent;
    private bool _finalGoAwaySent;
    private long _shutdownPingAt = long.MaxValue;

    public long NextDeadline
    {
        get
        {
            if (_shouldClose || !_started) return long.MaxValue;
            var deadline = long.MaxValue;
            var headersTimeout = _settings.RequestHeadersTimeout;
            if (headersTimeout > TimeSpan.Zero)
            {
                if (!_prefaceReceived) deadline = MonotonicTime.After(_startedAt, headersTimeout);
                if (_blockStreamId != 0) deadline = Math.Min(deadline, MonotonicTime.After(_blockStartedAt, headersTimeout));
            }
            if (_settings.KeepAliveTimeout > TimeSpan.Zero && ServesNoRequest)
                deadline = Math.Min(deadline, MonotonicTime.After(_idleSince, _settings.KeepAliveTimeout));
            if (_shutdownPingAt != long.MaxValue)
                deadline = Math.Min(deadline, MonotonicTime.After(_shutdownPingAt, _settings.ShutdownPingTimeout));
            if (_totalPending > 0 && _settings.MinResponseRate > 0) deadline = Math.Min(deadline, EarliestStallDeadline());
            return Math.Min(deadline, EarliestBodyRateDeadline());
        }
    }

    /// <summary>
    /// How late a tick may come before the extra time is taken for the server's own starvation (a busy CPU, a paused
    /// machine) rather than the client's slowness. Kestrel's rule for its rate timers: time between ticks beyond its
    /// heartbeat interval is not counted against the minimum data rates.
    /// </summary>
    private static readonly long StarvationTolerance = TimeSpan.FromSeconds(1).Ticks;

    public void OnTimer(long now, IBufferWriter<byte> output)
    {
        if (_shouldClose) return;
        var due = NextDeadline;
        if (due != long.MaxValue && now - due > StarvationTolerance) ForgiveStalls(_lastEventAt + StarvationTolerance, now);
        _lastEventAt = now;
        var headersTimeout = _settings.RequestHeadersTimeout;
        if (headersTimeout > TimeSpan.Zero)
        {
            if (!_prefaceReceived && now >= MonotonicTime.After(_startedAt, headersTimeout))
            {
                ConnectionError(Http2ErrorCode.ProtocolError, "no connection preface in time", output);
                return;
            }
            if (_blockStreamId != 0 && now >= MonotonicTime.After(_blockStartedAt, headersTimeout))
            {
                ConnectionError(Http2ErrorCode.EnhanceYourCalm, "header block not completed in time", output); // H2-12 (c)
                return;
            }
        }
        if (_settings.KeepAliveTimeout > TimeSpan.Zero && ServesNoRequest && now >= MonotonicTime.After(_idleSince, _settings.KeepAliveTimeout))
        {
            ConnectionError(Http2ErrorCode.NoError, "idle", output);
            return;
        }
        if (_shutdownPingAt != long.MaxValue && now >= MonotonicTime.After(_shutdownPingAt, _settings.ShutdownPingTimeout))
            OnShutdownPingAcknowledged(output);
        if (_totalPending > 0 && _settings.MinResponseRate > 0 && now >= EarliestStallDeadline())
        {
            // The peer keeps its window (nearly) shut while responses wait: whatever its WINDOW_UPDATEs say, the
            // data is not leaving at the minimum rate (H2-01 Data Dribble, H2-10 window-0 stall).
            ConnectionError(Http2ErrorCode.EnhanceYourCalm, "responses held by the flow-control window below the minimum rate", output);
            return;
        }
        RejectSlowBodies(now, output);
    }

    /// <summary>
    /// The tick came late: the server did not run, so the peer could not be served either. When the starvation began
    /// is unknown; as with Kestrel's capped heartbeat, at most <see cref="StarvationTolerance"/> after the last time the
    /// protocol ran is counted, and streams waiting on the window get the rest back. Under a load that makes every
    /// tick late, each tick still counts that much, so a peer that keeps its window shut is closed all the same.
    /// </summary>
    private void ForgiveStalls(long starvedFrom, long now)
    {
        foreach (var stream in _streams.Values)
        {
            // Only the part of the starved interval that each clock overlaps.
            if (stream.StallStartedAt != long.MaxValue)
            {
                var from = Math.Max(stream.StallStartedAt, starvedFrom);
                if (from < now) stream.StallStartedAt += now - from;
            }
            if (stream.BodyClockSince != long.MaxValue)
            {
                var from = Math.Max(stream.BodyClockSince, starvedFrom);
                if (from < now) stream.BodyClockSince += now - from;
            }
        }
    }

    /// <summary>
    /// When the first stream whose response waits on the peer's window falls behind min_response_rate after the
    /// grace period (per stream, as Kestrel's MinResponseDataRate: many slow streams must not add up to a pass).
    /// </summary>
    private long EarliestStallDeadline()
    {
        var earliest = long.MaxValue;
        foreach (var stream in _streams.Values)
        {
            if (stream.StallStartedAt == long.MaxValue) continue;
            var allowed = _settings.MinResponseRateGrace + TimeSpan.FromSeconds((stream.StallSent + 1) / _settings.MinResponseRate);
            earliest = Math.Min(earliest, MonotonicTime.After(stream.StallStartedAt, allowed));
        }
        return earliest;
    }

    /// <summary>
    /// Graceful shutdown, RFC 9113 §6.8: a GOAWAY with the largest stream id and a PING first, so requests already
    /// on the wire are not lost; when the PING returns (or after a timeout), the final GOAWAY names the last stream
    /// really accepted. The connection closes once the streams in flight are done.
    /// </summary>
    public void BeginShutdown(long now, IBufferWriter<byte> output)
    {
        if (_shouldClose || _goAwaySent) return;
        Start(now, output);
        BeginGracefulGoAway(now, output, immediateFinal: false);
    }

    private void BeginGracefulGoAway(long now, IBufferWriter<byte> output, bool immediateFinal)
    {
        if (_goAwaySent) return;
        _goAwaySent = true;
        if (immediateFinal || !_prefaceReceived)
        {
            SendFinalGoAway(output);
            return;
        }
        Http2FrameWriter.WriteGoAway(output, int.MaxValue, Http2ErrorCode.NoError);
        Http2FrameWriter.WritePing(output, ShutdownPingPayload, ack: false);
        _shutdownPingAt = now;
    }

    private void OnShutdownPingAcknowledged(IBufferWriter<byte> output)
    {
        if (_shutdownPingAt == long.MaxValue) return;
        _shutdownPingAt = long.MaxValue;
        SendFinalGoAway(output);
    }

    private void SendFinalGoAway(IBufferWriter<byte> output)
    {
        if (_finalGoAwaySent) return;
        _finalGoAwaySent = true;
        Http2FrameWriter.WriteGoAway(output, _lastStreamId, Http2ErrorCode.NoError);
        MaybeFinishShutdown(output);
    }

    private void MaybeFinishShutdown(IBufferWriter<byte> output)
    {
        if (!_finalGoAwaySent && !_peerSentGoAway || _handlersRunning != 0) return;
        // Requests whose responses are complete are not waited for: §8.1 lets us ask the client to stop sending them.
        if (_openStreams != 0)
        {
            foreach (var stream in _streams.Values.Where(s => s.AwaitsOnlyRequestEnd).ToList()) ResetAfterResponse(stream, output);
        }
        if (_openStreams == 0) _shouldClose = true;
    }
}
