using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>The idle timeout and the request cap (keep_alive_timeout, keep_alive_max_requests), as for HTTP/1.1.</summary>
public sealed class ConnectionLifetimeTests
{
    [Fact]
    public void Idle_KeepAliveTimeoutPasses_GoAwayNoErrorAndClose()
    {
        var h = HarnessRequests.Ready();

        h.Advance(TimeSpan.FromSeconds(4.9));
        h.GoAway.Should().BeNull();
        h.Advance(TimeSpan.FromSeconds(0.1));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Idle_WhileAHandlerRuns_NoTimeout()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Respond(1);

        h.Advance(TimeSpan.FromSeconds(60));

        h.Connection.ShouldClose.Should().BeFalse("a handler still runs, even though its stream is closed");
    }

    [Fact]
    public void Idle_CountsFromTheLastStreamEnd()
    {
        var h = HarnessRequests.Ready();
        h.Advance(TimeSpan.FromSeconds(3));
        h.Get(1);
        h.Advance(TimeSpan.FromSeconds(3));
        h.Respond(1);
        h.HandlerDone(1);

        h.Advance(TimeSpan.FromSeconds(3));
        h.Connection.ShouldClose.Should().BeFalse();
        h.Advance(TimeSpan.FromSeconds(3));

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void MaxRequests_Reached_FinalGoAwayAndLaterStreamsIgnored()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxRequests = 2 });
        h.Get(1);
        h.GoAway.Should().BeNull();

        h.Get(3);
        h.GoAway!.LastStreamId.Should().Be(3);
        h.GoAway.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.Get(5);

        h.TakeEvents().OfType<RequestReceived>().Select(e => e.StreamId).Should().Equal(1, 3);
        h.Respond(1);
        h.Respond(3);
        h.HandlerDone(1);
        h.Connection.ShouldClose.Should().BeFalse();
        h.HandlerDone(3);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void ClientClosesItsSide_EveryStreamAbortedAndConnectionCloses()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Post(3);
        h.TakeEvents();

        h.Do((c, o) => c.ReceiveCompleted(h.Now, o));

        h.TakeEvents().OfType<StreamAborted>().Select(e => e.StreamId).Should().BeEquivalentTo([1, 3]);
        h.Connection.ShouldClose.Should().BeTrue();
    }
}
