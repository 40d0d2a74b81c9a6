using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §6.8: the client's GOAWAY lets streams in flight finish, then the connection closes.</summary>
public sealed class GoAwayFromClientTests
{
    [Fact]
    public void GoAway_NoStreams_ConnectionCloses()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.GoAway(0, Http2ErrorCode.NoError));

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void GoAway_StreamInFlight_ClosesOnlyOnceResponseAndHandlerAreDone()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Send(Http2ClientCodec.GoAway(1, Http2ErrorCode.NoError));
        h.Connection.ShouldClose.Should().BeFalse();
        h.Respond(1);
        h.Connection.ShouldClose.Should().BeFalse("the handler still runs");
        h.HandlerDone(1);

        h.TakeFrames().ResponseHeaders(1).Should().NotBeNull();
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void GoAway_OnAStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.GoAway, Http2FrameFlags.None, 1, new byte[8]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void GoAway_ShorterThan8_FrameSizeError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.GoAway, Http2FrameFlags.None, 0, new byte[7]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FrameSizeError);
    }
}
