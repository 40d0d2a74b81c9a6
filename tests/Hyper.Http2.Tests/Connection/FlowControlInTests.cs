using System.Buffers.Binary;
using Hyper.Conformance.Http2.Client;
using Hyper.Core.Configuration;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §6.9: request DATA is bounded by the windows we advertise, reopened as the application reads.</summary>
public sealed class FlowControlInTests
{
    private static readonly Http2Limits SmallWindows = new() { InitialStreamWindowSize = 1_000, InitialConnectionWindowSize = 65_535 };

    [Fact]
    public void RequestBodyConsumed_PastHalfTheStreamWindow_WindowUpdateSent()
    {
        var h = HarnessRequests.Ready(SmallWindows);
        h.Post(1);
        h.Data(1, 400, endStream: false);
        h.Data(1, 200, endStream: false);
        h.TakeFrames();

        h.Do((c, o) => c.RequestBodyConsumed(1, 400, h.Now, o));
        h.TakeFrames().Should().BeEmpty("400 is less than half of 1000");
        h.Do((c, o) => c.RequestBodyConsumed(1, 200, h.Now, o));

        var update = h.TakeFrames().Should().ContainSingle().Subject;
        update.Type.Should().Be(Http2FrameType.WindowUpdate);
        update.StreamId.Should().Be(1);
        BinaryPrimitives.ReadInt32BigEndian(update.Payload).Should().Be(600);
    }

    [Fact]
    public void RequestBodyConsumed_PastHalfTheConnectionWindow_ConnectionWindowUpdateSent()
    {
        var h = HarnessRequests.Ready(new Http2Limits { InitialConnectionWindowSize = 65_535 });
        h.Post(1);
        h.Data(1, 16_384, endStream: false);
        h.Data(1, 16_384, endStream: false);
        h.TakeFrames();

        h.Do((c, o) => c.RequestBodyConsumed(1, 32_768, h.Now, o));

        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.WindowUpdate && f.StreamId == 0
            && BinaryPrimitives.ReadInt32BigEndian(f.Payload) == 32_768);
    }

    [Fact]
    public void Data_NotConsumed_NoWindowUpdateSoTheClientMustStop()
    {
        var h = HarnessRequests.Ready(SmallWindows);
        h.Post(1);

        h.Data(1, 1_000, endStream: false);

        h.TakeFrames().OfType(Http2FrameType.WindowUpdate).Should().BeEmpty();
    }

    [Fact]
    public void Data_BeyondStreamWindow_FlowControlError()
    {
        var h = HarnessRequests.Ready(SmallWindows);
        h.Post(1);
        h.Data(1, 600, endStream: false);

        h.Data(1, 401, endStream: false);

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public void Data_BeyondConnectionWindow_FlowControlError()
    {
        var h = HarnessRequests.Ready(new Http2Limits { InitialConnectionWindowSize = 65_535, InitialStreamWindowSize = 1_000_000 });
        h.Post(1);
        for (var i = 0; i < 3; i++) h.Data(1, 16_384, endStream: false);
        h.Data(1, 16_383, endStream: false);
        h.GoAway.Should().BeNull("65535 bytes exactly fill the window");

        h.Data(1, 1, endStream: false);

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public void Data_OnStreamResetByUs_WindowReturnedAndTolerated()
    {
        // §5.4.2: DATA already in flight after our RST_STREAM is not an error, and must not leak the connection window.
        var h = HarnessRequests.Ready(new Http2Limits { InitialConnectionWindowSize = 65_535 });
        h.Post(1);
        h.StartResponse(1);
        h.Do((c, o) => c.AbortStream(1, o)); // the application failed mid-response → RST_STREAM(INTERNAL_ERROR)
        h.HandlerDone(1);
        h.TakeFrames();

        for (var i = 0; i < 8; i++) h.Data(1, 16_384, endStream: false);

        h.GoAway.Should().BeNull("8 × 16 KiB is twice the window: it must have been returned");
        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.WindowUpdate && f.StreamId == 0);
    }
}
