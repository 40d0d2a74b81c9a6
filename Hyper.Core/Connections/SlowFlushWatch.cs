using System.IO.Pipelines;
using Hyper.Core.Transport;

namespace Hyper.Core.Connections;

/// <summary>
/// Watches one blocked flush: after the grace period, the bytes the transport has sent since the flush started
/// must keep up with <c>min_response_rate</c>; otherwise the flush is cancelled and the driver aborts the
/// connection (docs/security.md SL-03, H2-07). Called from the backend's timer, so it only reads counters and cancels.
/// </summary>
internal sealed class SlowFlushWatch(PipeWriter writer, ITransportConnection transport, TimeProvider time, double minRate, TimeSpan grace)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly long _startedAt = time.GetTimestamp();
    private readonly long _sentAtStart = transport.BytesSent;

    public void Check()
    {
        var elapsed = time.GetElapsedTime(_startedAt);
        if (elapsed <= grace) return;
        var required = minRate * (elapsed - grace).TotalSeconds;
        if (transport.BytesSent - _sentAtStart < required) writer.CancelPendingFlush();
    }
}
