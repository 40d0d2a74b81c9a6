using Hyper.Quic.Recovery;

namespace Hyper.Quic.Tests.Recovery;

public sealed class RttEstimatorTests
{
    [Fact]
    public void BeforeAnySample_UsesTheInitialRtt()
    {
        var rtt = new RttEstimator();

        rtt.SmoothedRtt.Should().Be(333_000);
        rtt.RttVariance.Should().Be(166_500);
        // RFC 9002 §6.2.2: the first PTO is about 1 s: 333 ms + 4 x 166.5 ms.
        rtt.BaseProbeTimeout.Should().Be(999_000);
    }

    [Fact]
    public void FirstSample_SetsSmoothedToTheSampleAndVarianceToHalf()
    {
        var rtt = new RttEstimator();

        rtt.AddSample(100_000, ackDelay: 20_000);

        // RFC 9002 §5.3: the first sample ignores the ACK delay.
        rtt.SmoothedRtt.Should().Be(100_000);
        rtt.RttVariance.Should().Be(50_000);
        rtt.MinRtt.Should().Be(100_000);
    }

    [Fact]
    public void LaterSamples_SubtractTheAckDelayOnlyAboveMinRtt()
    {
        var rtt = new RttEstimator();
        rtt.AddSample(100_000, 0);

        rtt.AddSample(140_000, ackDelay: 20_000);
        // adjusted = 120 000; rttvar = (3 x 50 000 + 20 000) / 4; srtt = (7 x 100 000 + 120 000) / 8.
        rtt.RttVariance.Should().Be(42_500);
        rtt.SmoothedRtt.Should().Be(102_500);

        rtt.AddSample(105_000, ackDelay: 20_000);
        // 105 000 - 20 000 would fall below min_rtt (100 000), so the delay is not subtracted.
        rtt.SmoothedRtt.Should().Be((7 * 102_500 + 105_000) / 8);
    }

    [Fact]
    public void LossDelay_IsNineEighthsOfTheLargerRtt_AtLeastOneMillisecond()
    {
        var rtt = new RttEstimator();
        rtt.AddSample(80_000, 0);
        rtt.LossDelay.Should().Be(90_000);

        var tiny = new RttEstimator();
        tiny.AddSample(100, 0);
        tiny.LossDelay.Should().Be(RttEstimator.Granularity);
    }
}
