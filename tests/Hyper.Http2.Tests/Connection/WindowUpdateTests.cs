using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §6.9: WINDOW_UPDATE validation on the connection and on streams.</summary>
public sealed class WindowUpdateTests
{
    [Fact]
    public void WindowUpdate_ZeroOnConnection_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.WindowUpdate(0, 0));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void WindowUpdate_ConnectionWindowAbove2To31MinusOne_FlowControlError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.WindowUpdate(0, int.MaxValue));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public void WindowUpdate_StreamWindowAbove2To31MinusOne_RstStreamFlowControlError()
    {
        // §6.9.1: a stream error (h2spec 6.9.1/3 accepts only RST_STREAM); the connection goes on.
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Send(Http2ClientCodec.WindowUpdate(1, int.MaxValue));

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError);
        h.GoAway.Should().BeNull();
        h.HandlerDone(1);
        h.ShouldServe(3);
    }

    [Fact]
    public void WindowUpdate_ZeroOnAStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Send(Http2ClientCodec.WindowUpdate(1, 0));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void WindowUpdate_OnIdleStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.WindowUpdate(5, 10));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void WindowUpdate_LengthNot4_FrameSizeError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.WindowUpdate, Http2FrameFlags.None, 0, new byte[5]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FrameSizeError);
    }

    [Fact]
    public void WindowUpdate_OnClosedStream_Ignored()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Respond(1);
        h.HandlerDone(1);
        h.TakeFrames();

        h.Send(Http2ClientCodec.WindowUpdate(1, 100));

        h.TakeFrames().Should().BeEmpty();
        h.ShouldServe(3);
    }
}
