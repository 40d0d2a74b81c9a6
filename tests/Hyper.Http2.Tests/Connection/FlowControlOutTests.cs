using Hyper.Conformance.Http2.Client;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §5.2, §6.9: response DATA never exceeds the peer's windows; held bytes leave as windows open.</summary>
public sealed class FlowControlOutTests
{
    [Fact]
    public void Response_LargerThanWindow_WaitsThenWindowUpdateReleasesTheRest()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[100_000], h.Now, o));
        var first = h.TakeFrames();
        first.DataBytes(1).Should().Be(65_535, "both default windows are 65535");
        first.OfType(Http2FrameType.Data).Should().OnlyContain(f => !f.EndStream);

        h.Send([.. Http2ClientCodec.WindowUpdate(0, 40_000), .. Http2ClientCodec.WindowUpdate(1, 40_000)]);

        var rest = h.TakeFrames();
        rest.DataBytes(1).Should().Be(100_000 - 65_535);
        rest.OfType(Http2FrameType.Data).Last().EndStream.Should().BeTrue();
        h.TakeEvents().OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void Response_OnlyConnectionWindowOpened_StillHeldByStreamWindow()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[70_000], h.Now, o));
        h.TakeFrames();

        h.Send(Http2ClientCodec.WindowUpdate(0, 100_000));

        h.TakeFrames().DataBytes(1).Should().Be(0);
    }

    [Fact]
    public void BufferedResponse_AboveLimit_ReportedThenStreamWritableWhenDrainedBelow()
    {
        var h = HarnessRequests.Ready(new Http2Limits { MaxStreamResponseBuffer = 64 * 1024 });
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 0)));
        h.Get(1);
        h.StartResponse(1);
        h.Body(1, 100_000, endStream: false);

        long buffered = 0;
        h.Do((c, _) => buffered = c.GetBufferedResponseBytes(1));
        buffered.Should().Be(100_000, "above h2_max_stream_response_buffer the stream layer must wait");
        h.Send(Http2ClientCodec.WindowUpdate(1, 20_000));
        h.TakeEvents().OfType<StreamWritable>().Should().BeEmpty("80 000 bytes are still above the 64 KiB limit");

        h.Send(Http2ClientCodec.WindowUpdate(1, 20_000));

        h.TakeEvents().OfType<StreamWritable>().Should().ContainSingle(e => e.StreamId == 1);
        h.Do((c, _) => buffered = c.GetBufferedResponseBytes(1));
        buffered.Should().Be(0, "below the limit nothing needs to wait");
    }

    [Fact]
    public void TwoStreamsWaitingOnWindows_DataAlternatesBetweenThem()
    {
        var h = HarnessRequests.Ready();
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 0)));
        h.Get(1);
        h.Get(3);
        h.StartResponse(1);
        h.StartResponse(3);
        h.Body(1, 40_000, endStream: true);
        h.Body(3, 40_000, endStream: true);
        h.TakeFrames();

        h.Send([.. Http2ClientCodec.WindowUpdate(1, 40_000), .. Http2ClientCodec.WindowUpdate(3, 40_000)]);

        var order = h.TakeFrames().OfType(Http2FrameType.Data).Select(f => f.StreamId).ToList();
        order.Take(4).Should().Equal(1, 3, 1, 3);
    }

    [Fact]
    public void TinyWindow_TinyFramesCostGlitchesThenDataWaitsForAUsefulWindow()
    {
        // H2-01: a frame smaller than min(remaining, 1 KiB) may go out (§6.9.1; h2spec expects a 1-octet frame for a
        // 1-octet window) but costs a glitch; once the bucket is empty the data waits until the window is useful.
        var h = HarnessRequests.Ready(new Http2Limits { GlitchBurst = 10, GlitchRate = 0 });
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 1)));
        h.Get(1);
        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[5_000], h.Now, o));

        for (var i = 0; i < 100; i++) h.Send(Http2ClientCodec.WindowUpdate(1, 1));

        var tiny = h.TakeFrames().OfType(Http2FrameType.Data).ToList();
        tiny.Should().HaveCount(10, "one per glitch token").And.OnlyContain(f => f.Payload.Length == 1);
        h.GoAway.Should().BeNull("the server's own tiny frames do not end the connection");
        h.Send(Http2ClientCodec.WindowUpdate(1, 1_000));
        h.TakeFrames().OfType(Http2FrameType.Data).Should().ContainSingle().Which.Payload.Length.Should().Be(1_091);
    }
}
