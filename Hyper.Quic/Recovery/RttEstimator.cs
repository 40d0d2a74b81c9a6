namespace Hyper.Quic.Recovery;

/// <summary>
/// Round-trip time estimation (RFC 9002 §5). Times are microseconds on the caller's clock.
/// </summary>
public sealed class RttEstimator
{
    /// <summary>RFC 9002 §6.2.2: the initial RTT before any sample, 333 ms.</summary>
    public const long InitialRtt = 333_000;

    /// <summary>RFC 9002 §6.1.2: kGranularity, 1 ms.</summary>
    public const long Granularity = 1_000;

    public long LatestRtt { get; private set; }

    public long MinRtt { get; private set; }

    public long SmoothedRtt { get; private set; } = InitialRtt;

    public long RttVariance { get; private set; } = InitialRtt / 2;

    public bool HasSample { get; private set; }

    /// <summary>
    /// Takes one sample (RFC 9002 §5.3). <paramref name="ackDelay"/> is the peer's reported delay, already limited to
    /// its max_ack_delay once the handshake is confirmed; it is only subtracted when that leaves at least min_rtt.
    /// </summary>
    public void AddSample(long latestRtt, long ackDelay)
    {
        LatestRtt = Math.Max(latestRtt, 1);
        if (!HasSample)
        {
            HasSample = true;
            MinRtt = LatestRtt;
            SmoothedRtt = LatestRtt;
            RttVariance = LatestRtt / 2;
            return;
        }

        MinRtt = Math.Min(MinRtt, LatestRtt);
        var adjusted = LatestRtt >= MinRtt + ackDelay ? LatestRtt - ackDelay : LatestRtt;
        RttVariance = (3 * RttVariance + Math.Abs(SmoothedRtt - adjusted)) / 4;
        SmoothedRtt = (7 * SmoothedRtt + adjusted) / 8;
    }

    /// <summary>The probe timeout without max_ack_delay and backoff (RFC 9002 §6.2.1).</summary>
    public long BaseProbeTimeout => SmoothedRtt + Math.Max(4 * RttVariance, Granularity);

    /// <summary>RFC 9002 §6.1.2: the time threshold, 9/8 of the larger of smoothed and latest RTT, at least 1 ms.</summary>
    public long LossDelay => Math.Max(9 * Math.Max(SmoothedRtt, LatestRtt) / 8, Granularity);
}
