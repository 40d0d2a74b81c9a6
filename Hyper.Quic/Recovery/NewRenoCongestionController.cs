namespace Hyper.Quic.Recovery;

/// <summary>
/// NewReno as RFC 9002 §7 and Appendix B describe it: slow start, a recovery period that starts at the first loss
/// and ignores later losses of packets sent before it, congestion avoidance adding one datagram per window, and the
/// minimum window on persistent congestion. No pacing: the connection sends what the window allows at once.
/// </summary>
public sealed class NewRenoCongestionController : ICongestionController
{
    private readonly int _maxDatagramSize;
    private long _slowStartThreshold = long.MaxValue;
    private long _recoveryStartTime = long.MinValue;
    private long _bytesAcknowledgedInAvoidance;

    public NewRenoCongestionController(int maxDatagramSize = 1200)
    {
        _maxDatagramSize = maxDatagramSize;
        // RFC 9002 §7.2: min(10 * max_datagram_size, max(14720, 2 * max_datagram_size)).
        CongestionWindow = Math.Min(10L * maxDatagramSize, Math.Max(14720, 2L * maxDatagramSize));
    }

    public long CongestionWindow { get; private set; }

    public long BytesInFlight { get; private set; }

    public long SlowStartThreshold => _slowStartThreshold;

    /// <summary>RFC 9002 §7.2: kMinimumWindow, two datagrams.</summary>
    public long MinimumWindow => 2L * _maxDatagramSize;

    public void OnPacketSent(long sentTime, int bytes) => BytesInFlight += bytes;

    public void OnPacketAcknowledged(long sentTime, int bytes, long now)
    {
        BytesInFlight = Math.Max(0, BytesInFlight - bytes);
        // RFC 9002 §7.3.2: packets sent before the recovery period started do not grow the window.
        if (sentTime <= _recoveryStartTime) return;
        if (CongestionWindow < _slowStartThreshold)
        {
            CongestionWindow += bytes;
            return;
        }

        // RFC 9002 §7.3.3: one max_datagram_size per congestion window acknowledged.
        _bytesAcknowledgedInAvoidance += bytes;
        if (_bytesAcknowledgedInAvoidance >= CongestionWindow)
        {
            _bytesAcknowledgedInAvoidance -= CongestionWindow;
            CongestionWindow += _maxDatagramSize;
        }
    }

    public void OnPacketsLost(long largestLostSentTime, int bytes, long now)
    {
        BytesInFlight = Math.Max(0, BytesInFlight - bytes);
        if (largestLostSentTime <= _recoveryStartTime) return;
        // RFC 9002 §7.3.2: enter recovery, halving the window (kLossReductionFactor = 0.5).
        _recoveryStartTime = now;
        _slowStartThreshold = Math.Max(CongestionWindow / 2, MinimumWindow);
        CongestionWindow = _slowStartThreshold;
        _bytesAcknowledgedInAvoidance = 0;
    }

    public void OnPacketDiscarded(int bytes) => BytesInFlight = Math.Max(0, BytesInFlight - bytes);

    public void OnPersistentCongestion()
    {
        CongestionWindow = MinimumWindow;
        _recoveryStartTime = long.MinValue;
    }
}
