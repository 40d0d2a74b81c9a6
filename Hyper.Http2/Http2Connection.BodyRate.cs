using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// The minimum request-body rate over HTTP/2 (docs/security.md SL-02, Slow POST): a request body must arrive at
// min_request_body_rate once min_request_body_rate_grace has passed, counting only the time the client was free to
// send it. Flow control makes that the crux: a client whose stream or connection window is shut (because the
// application does not read, or another stream holds the connection window) cannot send, and is not blamed for it.
public sealed partial class Http2Connection
{
    // Some stream set a rate of its own (SetMinRequestBodyRate): the clocks run even with the settings' rate off.
    private bool _ownBodyRates;

    /// <summary>
    /// One stream's own minimum body rate (ASP.NET Core's per-request feature); 0 turns its check off. Time already
    /// counted stays counted: a stricter rate can fail at once for a body that is already behind it.
    /// </summary>
    public void SetMinRequestBodyRate(long streamId, double bytesPerSecond, TimeSpan grace, long now)
    {
        if (streamId > int.MaxValue || !_streams.TryGetValue((int)streamId, out var stream)) return;
        stream.MinBodyRate = bytesPerSecond;
        stream.MinBodyRateGrace = grace;
        if (bytesPerSecond > 0) _ownBodyRates = true;
        UpdateBodyClocks(now);
    }

    /// <summary>Whether the client may send this stream's body now, so that its silence counts against it.</summary>
    private bool ClientMaySendBody(Http2Stream stream)
    {
        if (stream.MinBodyRate <= 0 || !stream.HandlerRunning || stream.ReceivingClosed || stream.BodyRefused || stream.IsPush) return false;
        // RFC 9110 §10.1.1: a client that asked for 100-continue waits for it before sending.
        if (stream.ExpectsContinue && !stream.ContinueSent) return false;
        var rest = stream.ContentLength is { } declared ? declared - stream.ReceivedBodyBytes : long.MaxValue;
        if (rest <= 0) return false;
        // A window smaller than a useful frame (or than what is left of a declared body) is a window shut by us.
        var room = Math.Min(stream.ReceiveWindow, _receiveWindow);
        return room >= Math.Min(MinDataFrame, rest);
    }

    /// <summary>Starts or pauses every stream's body clock to match what the client may do now.</summary>
    private void UpdateBodyClocks(long now)
    {
        if (_settings.MinRequestBodyRate <= 0 && !_ownBodyRates) return;
        foreach (var stream in _streams.Values)
        {
            var run = ClientMaySendBody(stream);
            var running = stream.BodyClockSince != long.MaxValue;
            if (run == running) continue;
            if (run)
            {
                stream.BodyClockSince = now;
            }
            else
            {
                stream.BodyClockCounted += Math.Max(0, now - stream.BodyClockSince);
                stream.BodyClockSince = long.MaxValue;
            }
        }
    }

    /// <summary>
    /// When a running body clock falls below the rate if nothing more arrives: the later of the grace period's end and
    /// the moment the bytes so far stop covering the rate (as HTTP/1.1 does, and Kestrel's MinRequestBodyDataRate).
    /// </summary>
    private long BodyRateDeadline(Http2Stream stream)
    {
        if (stream.BodyClockSince == long.MaxValue) return long.MaxValue;
        if (stream.MinBodyRate <= 0) return long.MaxValue;
        var covered = stream.BodyClockBytes / stream.MinBodyRate * TimeSpan.TicksPerSecond;
        var coveredTicks = covered >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)covered + 1;
        var allowed = Math.Max(stream.MinBodyRateGrace.Ticks, coveredTicks) - stream.BodyClockCounted;
        return allowed >= long.MaxValue - stream.BodyClockSince ? long.MaxValue : stream.BodyClockSince + Math.Max(0, allowed);
    }

    private long EarliestBodyRateDeadline()
    {
        if (_settings.MinRequestBodyRate <= 0 && !_ownBodyRates) return long.MaxValue;
        var earliest = long.MaxValue;
        foreach (var stream in _streams.Values) earliest = Math.Min(earliest, BodyRateDeadline(stream));
        return earliest;
    }

    /// <summary>
    /// Streams whose body came too slowly: 408 through the stream layer while no response has started (the rest of the
    /// body is then refused and the request side reset after the response, §8.1), else RST_STREAM(CANCEL).
    /// </summary>
    private void RejectSlowBodies(long now, IBufferWriter<byte> output)
    {
        if (_settings.MinRequestBodyRate <= 0 && !_ownBodyRates) return;
        List<Http2Stream>? slow = null;
        foreach (var stream in _streams.Values)
        {
            if (now >= BodyRateDeadline(stream)) (slow ??= []).Add(stream);
        }
        if (slow is null) return;
        foreach (var stream in slow)
        {
            stream.BodyClockSince = long.MaxValue;
            if (stream.ResponseStarted)
            {
                // Our own timeout, not a client protocol error: no glitch is counted.
                Http2FrameWriter.WriteRstStream(output, stream.Id, Http2ErrorCode.Cancel);
                _events.Enqueue(new StreamAborted(stream.Id, "request body arrived below the minimum data rate"));
                _recentlyClosed.Add(stream.Id, resetByUs: true);
                CloseStream(stream);
                continue;
            }
            stream.BodyRefused = true;
            _events.Enqueue(new RequestRejected(stream.Id, 408, "request body arrived below the minimum data rate"));
        }
    }
}
