using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// RFC 9113 §6.8 two-step GOAWAY: GOAWAY(2^31-1) + PING, then the final GOAWAY naming the last stream accepted, on the
/// PING ACK or after a timeout; the connection closes once the handlers in flight are done.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public void BeginShutdown_SendsGoAwayMaxIdAndPing()
    {
        var h = HarnessRequests.Ready();

        h.Do((c, o) => c.BeginShutdown(h.Now, o));

        var frames = h.TakeFrames();
        frames[0].Type.Should().Be(Http2FrameType.GoAway);
        frames[0].LastStreamId.Should().Be(int.MaxValue);
        frames[0].ErrorCode.Should().Be(Http2ErrorCode.NoError);
        frames[1].Type.Should().Be(Http2FrameType.Ping);
        frames[1].Has(Http2FrameFlags.Ack).Should().BeFalse();
    }

    [Fact]
    public void PingAck_AfterShutdownBegan_FinalGoAwayWithLastStreamId()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        var ping = h.TakeFrames().Single(f => f.Type == Http2FrameType.Ping);

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Ping, Http2FrameFlags.Ack, 0, ping.Payload));

        var final = h.TakeFrames().Should().ContainSingle().Subject;
        final.Type.Should().Be(Http2FrameType.GoAway);
        final.LastStreamId.Should().Be(1);
    }

    [Fact]
    public void RequestInFlightBeforeFinalGoAway_StillServed()
    {
        // The point of the first GOAWAY(2^31-1): a request the client sent before it saw GOAWAY is not lost.
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));

        h.Get(3);

        h.TakeEvents().RequestOn(3).Should().NotBeNull();
        h.Advance(TimeSpan.FromSeconds(1));
        h.GoAway!.LastStreamId.Should().Be(3);
    }

    [Fact]
    public void NoPingAck_FinalGoAwayAfterTheTimeout()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        h.TakeFrames();

        h.Advance(TimeSpan.FromMilliseconds(900));
        h.TakeFrames().Should().BeEmpty();
        h.Advance(TimeSpan.FromMilliseconds(100));

        h.GoAway!.LastStreamId.Should().Be(1);
    }

    [Fact]
    public void StreamAfterFinalGoAway_Ignored()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        h.Advance(TimeSpan.FromSeconds(1));
        h.TakeEvents();

        h.Get(3);

        h.TakeEvents().OfType<RequestReceived>().Should().BeEmpty();
    }

    [Fact]
    public void Shutdown_ClosesOnlyOnceResponsesAndHandlersAreDone()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        h.Advance(TimeSpan.FromSeconds(1));
        h.Connection.ShouldClose.Should().BeFalse();

        h.Respond(1);
        h.Connection.ShouldClose.Should().BeFalse("the handler still runs");
        h.HandlerDone(1);

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Shutdown_Idle_ClosesOnPingAck()
    {
        var h = HarnessRequests.Ready();
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        var ping = h.TakeFrames().Single(f => f.Type == Http2FrameType.Ping);

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Ping, Http2FrameFlags.Ack, 0, ping.Payload));

        h.GoAway!.LastStreamId.Should().Be(0);
        h.Connection.ShouldClose.Should().BeTrue();
    }
}
