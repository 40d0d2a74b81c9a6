using System.IO.Pipelines;
using Hyper.Core.Transport;

namespace Hyper.Core.Connections;

/// <summary>
/// Watches one blocked flush: after the grace period, the bytes the transport has sent since the flush started
/// must keep up with <c>min_response_rate</c>; otherwise the flush is cancelled and the driver aborts the
/// connection (docs/security.md SL-03, H2-07). Called from the backend's timer, so it only reads counters and cancels.
/// A check that comes late means the server itself did not run (a starved CPU, a paused machine): as Kestrel does
/// with its heartbeat, each check counts at most one <see cref="Period"/> against the client.
/// </summary>
internal sealed class SlowFlushWatch(PipeWriter writer, ITransportConnection transport, TimeProvider time, double minRate, TimeSpan grace)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly Lock _sync = new(); // a late timer may run two checks at once
    private readonly long _sentAtStart = transport.BytesSent;
    private long _lastCheck = time.GetTimestamp();
    private TimeSpan _counted;

    public void Check()
    {
        TimeSpan counted;
        lock (_sync)
        {
            var now = time.GetTimestamp();
            var gap = time.GetElapsedTime(_lastCheck, now);
            _lastCheck = now;
            _counted += gap < Period ? gap : Period;
            counted = _counted;
        }
        if (counted <= grace) return;
        var required = minRate * (counted - grace).TotalSeconds;
        if (transport.BytesSent - _sentAtStart < required) writer.CancelPendingFlush();
    }
}
