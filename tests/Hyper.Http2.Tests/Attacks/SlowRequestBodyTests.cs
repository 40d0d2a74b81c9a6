using Hyper.Conformance.Http2.Client;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md SL-02, Slow POST over HTTP/2: while the client is free to send its body (its windows are open
/// and the handler waits), the body must arrive at min_request_body_rate after the grace period, or the request is
/// answered 408 (RST_STREAM(CANCEL) once a response has started). A client held back by our own flow control, or
/// waiting for 100-continue, is not blamed.
/// </summary>
public sealed class SlowRequestBodyTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static Http2Harness Ready(Http2Limits? limits = null, double rate = 240) =>
        HarnessRequests.Ready(limits, s => s with { MinRequestBodyRate = rate, MinRequestBodyRateGrace = Grace });

    /// <summary>Advances in 100 ms ticks (the client doing <paramref name="each"/> at each) until a 408 or RST_STREAM, or the cap.</summary>
    private static TimeSpan RunUntilRejected(Http2Harness h, int streamId, TimeSpan cap, Action? each = null)
    {
        var elapsed = TimeSpan.Zero;
        while (elapsed < cap)
        {
            each?.Invoke();
            h.Advance(TimeSpan.FromMilliseconds(100));
            elapsed += TimeSpan.FromMilliseconds(100);
            if (h.Events.OfType<RequestRejected>().Any(r => r.StreamId == streamId) || h.Reset(streamId) is not null) break;
        }
        return elapsed;
    }

    [Fact]
    public void BodyThatStopsComing_AnsweredWith408AfterTheGracePeriod()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000);
        h.Data(1, 10, endStream: false);

        var elapsed = RunUntilRejected(h, 1, TimeSpan.FromSeconds(30));

        var rejected = h.Events.OfType<RequestRejected>().Should().ContainSingle().Subject;
        rejected.StatusCode.Should().Be(408);
        elapsed.Should().BeGreaterThanOrEqualTo(Grace).And.BeLessThanOrEqualTo(Grace + TimeSpan.FromSeconds(1));

        // The stream layer answers the 408; the rest of the body is refused and the client asked to stop (§8.1).
        h.Do((c, o) => c.SendCompleteResponse(1, 408, [], [], h.Now, o));
        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
    }

    [Fact]
    public void BodyDrippedBelowTheRate_AnsweredWith408()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000);

        // 10 B every 100 ms is 100 B/s, under the 240 B/s minimum; the window stays open.
        RunUntilRejected(h, 1, TimeSpan.FromSeconds(30), () =>
        {
            h.Data(1, 10, endStream: false);
            h.Do((c, o) => c.RequestBodyConsumed(1, 10, h.Now, o));
        });

        h.Events.OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(408);
    }

    [Fact]
    public void BodyAtTheRate_NotRejected()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000);

        // 30 B every 100 ms is 300 B/s.
        RunUntilRejected(h, 1, TimeSpan.FromSeconds(20), () =>
        {
            h.Data(1, 30, endStream: false);
            h.Do((c, o) => c.RequestBodyConsumed(1, 30, h.Now, o));
        });

        h.Events.OfType<RequestRejected>().Should().BeEmpty();
        h.Reset(1).Should().BeNull();
    }

    [Fact]
    public void ApplicationThatDoesNotRead_ClientHeldByTheStreamWindow_NotBlamed()
    {
        var h = Ready(new Http2Limits { InitialStreamWindowSize = 16_384 });
        h.Post(1, contentLength: 100_000);
        h.Data(1, 16_384, endStream: false);

        RunUntilRejected(h, 1, TimeSpan.FromSeconds(30));

        h.Events.OfType<RequestRejected>().Should().BeEmpty("the client cannot send while our window is shut");
    }

    [Fact]
    public void ClientHeldByTheConnectionWindowThatAnotherStreamFills_NotBlamed()
    {
        var h = Ready(new Http2Limits { InitialStreamWindowSize = 65_535, InitialConnectionWindowSize = 65_535 });
        h.Post(1, contentLength: 1_000_000);
        h.Post(3, contentLength: 1_000_000);
        // Stream 1's handler does not read: its data holds the whole connection window.
        for (var i = 0; i < 3; i++) h.Data(1, 16_384, endStream: false);
        h.Data(1, 65_535 - 3 * 16_384, endStream: false);

        RunUntilRejected(h, 3, TimeSpan.FromSeconds(30));

        h.Events.OfType<RequestRejected>().Where(r => r.StreamId == 3).Should().BeEmpty();
    }

    [Fact]
    public void ExpectContinue_ClockStartsOnlyOnceThe100IsSent()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000, extra: ("expect", "100-continue"));

        RunUntilRejected(h, 1, TimeSpan.FromSeconds(20));
        h.Events.OfType<RequestRejected>().Should().BeEmpty("the client waits for 100 Continue");

        h.Do((c, o) => c.RequestBodyWanted(1, h.Now, o));
        var elapsed = RunUntilRejected(h, 1, TimeSpan.FromSeconds(20));

        h.Events.OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(408);
        elapsed.Should().BeLessThanOrEqualTo(Grace + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void ResponseAlreadyStarted_SlowBodyResetWithCancel()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000);
        h.StartResponse(1);

        RunUntilRejected(h, 1, TimeSpan.FromSeconds(30));

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.Cancel);
        h.Events.OfType<StreamAborted>().Should().ContainSingle(a => a.StreamId == 1);
        h.GoAway.Should().BeNull("one slow body costs its stream, not the connection");
    }

    [Fact]
    public void HandlerReturned_RestOfTheBodyIsNobodysAndNotTimed()
    {
        var h = Ready();
        h.Post(1, contentLength: 100_000);
        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], [], h.Now, o));
        h.HandlerDone(1);

        RunUntilRejected(h, 1, TimeSpan.FromSeconds(20));

        h.Events.OfType<RequestRejected>().Should().BeEmpty();
    }

    [Fact]
    public void RateZero_Disabled()
    {
        var h = Ready(rate: 0);
        h.Post(1, contentLength: 100_000);

        RunUntilRejected(h, 1, TimeSpan.FromSeconds(20));

        h.Events.OfType<RequestRejected>().Should().BeEmpty();
        h.Connection.NextDeadline.Should().NotBe(0);
    }
}
