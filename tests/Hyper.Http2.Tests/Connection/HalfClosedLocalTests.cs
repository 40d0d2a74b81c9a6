using Hyper.Conformance.Http2.Client;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// A response that completes before its request is half-closed (local), RFC 9113 §5.1: the rest of the request is
/// still checked and its errors still get RST_STREAM or GOAWAY with their own code. These are the h2spec cases that
/// failed about one run in six against an application answering before it read the body: whether the response went
/// out before the client's next frame arrived decided the outcome. Here the response is made to win every time, with
/// the handler still running and with it already returned.
/// </summary>
public sealed class HalfClosedLocalTests
{
    /// <summary>A request with a body to come, answered completely at once (and, when asked, the handler returned).</summary>
    private static Http2Harness AnsweredBeforeRequestEnds(bool handlerReturned, long? contentLength = null, Http2Limits? limits = null)
    {
        var h = HarnessRequests.Ready(limits);
        h.Post(1, contentLength: contentLength);
        h.Respond(1);
        if (handlerReturned) h.HandlerDone(1);
        var frames = h.TakeFrames();
        frames.Should().Contain(f => f.Type == Http2FrameType.Data && f.StreamId == 1 && f.EndStream, "the response is complete");
        frames.OfType(Http2FrameType.RstStream).Should().BeEmpty("the stream stays half-closed (local): no RST_STREAM(NO_ERROR) yet");
        h.TakeEvents().OfType<StreamCompleted>().Should().ContainSingle(e => e.StreamId == 1, "the stream layer learns the response is done");
        return h;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataAfterClientReset_StreamClosedError(bool handlerReturned)
    {
        // h2spec http2/5.1/8: HEADERS, RST_STREAM, DATA. §5.1 closed: any frame but PRIORITY after RST_STREAM is STREAM_CLOSED.
        var h = AnsweredBeforeRequestEnds(handlerReturned);

        h.Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel));
        h.Send(Http2ClientCodec.Data(1, "test", endStream: true));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.StreamClosed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WindowUpdateOverflow_RstStreamFlowControlError(bool handlerReturned)
    {
        // h2spec http2/6.9.1/3: two WINDOW_UPDATEs of 2^31-1 on the stream. §6.9.1: a stream error FLOW_CONTROL_ERROR.
        var h = AnsweredBeforeRequestEnds(handlerReturned);

        h.Send([.. Http2ClientCodec.WindowUpdate(1, int.MaxValue), .. Http2ClientCodec.WindowUpdate(1, int.MaxValue)]);

        h.TakeFrames().Where(f => f.Type == Http2FrameType.RstStream).Should().ContainSingle()
            .Which.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError, "the first RST_STREAM h2spec sees must carry the error");
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PseudoHeaderInTrailers_RstStreamProtocolError(bool handlerReturned)
    {
        // h2spec http2/8.1.2.1/3: HEADERS, DATA, then trailers carrying :method. §8.1.2.1: malformed, PROTOCOL_ERROR.
        var h = AnsweredBeforeRequestEnds(handlerReturned);

        h.Send(Http2ClientCodec.Data(1, "test", endStream: false));
        h.Send(h.Client.Headers(1, [(":method", "POST"), ("trailer", "x")], endStream: true));

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BodyLongerThanContentLength_RstStreamProtocolError(bool handlerReturned)
    {
        // h2spec http2/8.1.2.6/1: content-length 1, then DATA "test" with END_STREAM. §8.1.1: malformed.
        var h = AnsweredBeforeRequestEnds(handlerReturned, contentLength: 1);

        h.Send(Http2ClientCodec.Data(1, "test", endStream: true));

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RequestEndsNormally_StreamClosesWithoutReset(bool handlerReturned)
    {
        var h = AnsweredBeforeRequestEnds(handlerReturned);

        h.Send(Http2ClientCodec.Data(1, "rest of the body", endStream: true));
        if (handlerReturned) h.Do((c, o) => c.RequestBodyConsumed(1, 16, h.Now, o)); // as the driver discards bytes nobody reads

        h.TakeFrames().OfType(Http2FrameType.RstStream).Should().BeEmpty();
        h.TakeEvents().OfType<StreamCompleted>().Should().BeEmpty("StreamCompleted was given once, when the response ended");
        // Both sides are done: the stream is closed (§5.1), so another DATA on it is a STREAM_CLOSED error.
        if (!handlerReturned) h.HandlerDone(1);
        h.Connection.TrackedStreams.Should().Be(0);
        h.ShouldServe(3);
    }

    [Fact]
    public void BodyNobodyReads_BeyondHalfTheWindow_RstStreamNoError()
    {
        // §8.1: once the handler is gone the rest of the body is discarded; instead of reopening the stream window for
        // more of it, RST_STREAM(NO_ERROR) asks the client to stop. The connection window still comes back.
        var limits = new Http2Limits { InitialStreamWindowSize = 65_535 };
        var h = AnsweredBeforeRequestEnds(handlerReturned: true, limits: limits);

        for (var i = 0; i < 2; i++)
        {
            h.Data(1, 16_384, endStream: false);
            h.Do((c, o) => c.RequestBodyConsumed(1, 16_384, h.Now, o));
        }

        var frames = h.TakeFrames();
        frames.Should().ContainSingle(f => f.Type == Http2FrameType.RstStream && f.StreamId == 1)
            .Which.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        frames.Should().NotContain(f => f.Type == Http2FrameType.WindowUpdate && f.StreamId == 1);
        // DATA already in flight on a stream we reset is tolerated (§5.4.2).
        h.Data(1, 100, endStream: true);
        h.Connection.ShouldClose.Should().BeFalse();
        h.ShouldServe(3);
    }

    [Fact]
    public void UnreadBodyWhenHandlerReturns_WindowReturned()
    {
        // Body that reached the stream layer while the handler ran, and that it never read, is released when the
        // handler returns: its window comes back (as a WINDOW_UPDATE once the usual threshold is crossed).
        var limits = new Http2Limits { InitialStreamWindowSize = 65_535, InitialConnectionWindowSize = 65_535 };
        var h = AnsweredBeforeRequestEnds(handlerReturned: false, limits: limits);
        h.Data(1, 16_384, endStream: false);
        h.Data(1, 16_384, endStream: false);
        h.TakeFrames().Should().NotContain(f => f.Type == Http2FrameType.WindowUpdate);

        h.HandlerDone(1);

        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.WindowUpdate && f.StreamId == 0, "the connection window is not lost");
    }

    [Fact]
    public void ClientLeavesTheRequestOpen_IdleTimeoutStillCloses()
    {
        // A stream whose response is complete and whose handler returned serves no request: a client that never
        // ends it does not keep the connection past the idle timeout.
        var h = AnsweredBeforeRequestEnds(handlerReturned: true);

        h.Advance(h.Settings.KeepAliveTimeout + TimeSpan.FromSeconds(1));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void GracefulShutdown_StreamAwaitingOnlyTheRequestEnd_ResetNoErrorAndClosed()
    {
        var h = AnsweredBeforeRequestEnds(handlerReturned: true);
        h.Do((c, o) => c.BeginShutdown(h.Now, o));
        h.TakeFrames();

        h.Send(Http2ClientCodec.Ping(0x4879_7065_7253_6875, ack: true)); // the client answers the shutdown PING

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.Connection.ShouldClose.Should().BeTrue("nothing is left to serve");
    }
}
