using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// The minimum response rate (docs/security.md H2-01, H2-10) judges the peer, not the server: a tick that comes much
/// later than the deadline asked for means the server itself did not run (a starved CPU, a paused machine), so that
/// time is not counted against a stream waiting on the window (Kestrel's rule for its rate timers).
/// </summary>
public sealed class StarvationToleranceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static Http2Harness StalledResponse()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MinResponseRateGrace = Grace, MinResponseRate = 240 });
        h.Get(1);
        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[200_000], h.Now, o));
        h.TakeFrames().DataBytes(1).Should().Be(65_535, "the rest waits on the peer's windows");
        return h;
    }

    [Fact]
    public void LateTick_AfterTheServerWasStarved_DoesNotCountTheStarvedTimeAgainstTheStream()
    {
        var h = StalledResponse();

        // The server does not run for 20 s; its first tick comes 15 s after the stall deadline.
        h.Advance(TimeSpan.FromSeconds(20));

        h.GoAway.Should().BeNull("the peer had no chance to open its window while the server was not running");
        h.Send([.. Http2ClientCodec.WindowUpdate(0, 200_000), .. Http2ClientCodec.WindowUpdate(1, 200_000)]);
        var rest = h.TakeFrames();
        rest.DataBytes(1).Should().Be(200_000 - 65_535);
        rest.OfType(Http2FrameType.Data).Last().EndStream.Should().BeTrue();
    }

    [Fact]
    public void LateTick_ThenAPeerThatReallyKeepsItsWindowShut_IsStillClosed()
    {
        var h = StalledResponse();
        h.Advance(TimeSpan.FromSeconds(20));
        h.GoAway.Should().BeNull();

        // On-time ticks from now on: the grace period runs again and the stream is reaped as usual.
        var elapsed = TimeSpan.Zero;
        while (h.GoAway is null && elapsed < TimeSpan.FromSeconds(15))
        {
            h.Advance(TimeSpan.FromMilliseconds(100));
            elapsed += TimeSpan.FromMilliseconds(100);
        }

        h.GoAway.Should().NotBeNull();
        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        elapsed.Should().BeLessThanOrEqualTo(Grace + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void EveryTickLate_ALoadThatStarvesEveryTimer_StillClosesAStalledStream()
    {
        var h = StalledResponse();

        // Each tick comes 3 s after its deadline: each counts one tolerance (1 s), so the grace period still runs out.
        var ticks = 0;
        while (h.GoAway is null && ticks < 40)
        {
            h.Advance(TimeSpan.FromTicks(h.Connection.NextDeadline - h.Now) + TimeSpan.FromSeconds(3));
            ticks++;
        }

        h.GoAway.Should().NotBeNull();
        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        ticks.Should().BeLessThanOrEqualTo(8, "about one tick per second of the 5 s grace period");
    }

    [Fact]
    public void OnTimeTicks_StalledStream_ClosedAfterTheGracePeriod()
    {
        var h = StalledResponse();

        var elapsed = TimeSpan.Zero;
        while (h.GoAway is null && elapsed < TimeSpan.FromSeconds(15))
        {
            h.Advance(TimeSpan.FromMilliseconds(100));
            elapsed += TimeSpan.FromMilliseconds(100);
        }

        h.GoAway.Should().NotBeNull("on-time ticks leave nothing to forgive");
        elapsed.Should().BeGreaterThanOrEqualTo(Grace).And.BeLessThanOrEqualTo(Grace + TimeSpan.FromSeconds(1));
    }
}
