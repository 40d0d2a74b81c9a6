using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §6.5: SETTINGS, its ACK, each parameter's range, and §6.9.2 window changes mid-stream.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Settings_FromClient_Acknowledged()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.HeaderTableSize, 0), ((Http2SettingsParameter)0x99, 5)));

        var frames = h.TakeFrames();
        frames.Should().ContainSingle().Which.Should().Match<ReceivedFrame>(f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack) && f.Payload.Length == 0);
    }

    public static TheoryData<string, byte[], Http2ErrorCode> Errors => new()
    {
        { "ACK with a payload", Http2ClientCodec.Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, new byte[6]), Http2ErrorCode.FrameSizeError },
        { "length not a multiple of 6", Http2ClientCodec.Frame(Http2FrameType.Settings, Http2FrameFlags.None, 0, new byte[5]), Http2ErrorCode.FrameSizeError },
        { "on a stream", Http2ClientCodec.Frame(Http2FrameType.Settings, Http2FrameFlags.None, 1, []), Http2ErrorCode.ProtocolError },
        { "ENABLE_PUSH 2", Http2ClientCodec.Settings((Http2SettingsParameter.EnablePush, 2)), Http2ErrorCode.ProtocolError },
        { "INITIAL_WINDOW_SIZE 2^31", Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 1u << 31)), Http2ErrorCode.FlowControlError },
        { "MAX_FRAME_SIZE 16383", Http2ClientCodec.Settings((Http2SettingsParameter.MaxFrameSize, 16_383)), Http2ErrorCode.ProtocolError },
        { "MAX_FRAME_SIZE 2^24", Http2ClientCodec.Settings((Http2SettingsParameter.MaxFrameSize, 1u << 24)), Http2ErrorCode.ProtocolError },
        { "ENABLE_CONNECT_PROTOCOL 2", Http2ClientCodec.Settings((Http2SettingsParameter.EnableConnectProtocol, 2)), Http2ErrorCode.ProtocolError },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Settings_Invalid_ConnectionError(string what, byte[] frame, Http2ErrorCode expected)
    {
        var h = HarnessRequests.Ready();

        h.Send(frame);

        h.GoAway!.ErrorCode.Should().Be(expected, what);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void MaxFrameSize_Raised_ResponseDataUsesLargerFrames()
    {
        var h = HarnessRequests.Ready();
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.MaxFrameSize, 32_768)));
        h.Get(1);

        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[40_000], h.Now, o));

        h.TakeFrames().OfType(Http2FrameType.Data).Select(f => f.Payload.Length).Should().Equal(32_768, 7_232);
    }

    [Fact]
    public void MaxFrameSize_Default_ResponseDataSplitAt16KiB()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[40_000], h.Now, o));

        h.TakeFrames().OfType(Http2FrameType.Data).Select(f => f.Payload.Length).Should().Equal(16_384, 16_384, 7_232);
    }

    [Fact]
    public void InitialWindowSize_RaisedMidStream_ReleasesHeldData()
    {
        var h = HarnessRequests.Ready();
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 0)));
        h.Get(1);
        h.Do((c, o) => c.SendCompleteResponse(1, 200, [], new byte[10], h.Now, o));
        h.TakeFrames().OfType(Http2FrameType.Data).Should().BeEmpty("the stream window is 0");

        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 100)));

        var data = h.TakeFrames().OfType(Http2FrameType.Data).ToList();
        data.Should().ContainSingle().Which.EndStream.Should().BeTrue();
        data[0].Payload.Length.Should().Be(10);
    }

    [Fact]
    public void InitialWindowSize_LoweredMidStream_WindowGoesNegativeAndMustBeRepaid()
    {
        // §6.9.2: lowering INITIAL_WINDOW_SIZE shrinks open streams' windows, possibly below zero.
        var h = HarnessRequests.Ready();
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 2_000)));
        h.Get(1);
        h.StartResponse(1);
        h.Body(1, 3_000, endStream: true);
        h.TakeFrames().DataBytes(1).Should().Be(2_000);

        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 1_000))); // window 0 → -1000
        h.Send(Http2ClientCodec.WindowUpdate(1, 1_500));                                     // → 500
        h.TakeFrames().DataBytes(1).Should().Be(500, "without the negative window 1000 bytes would have gone");
        h.Send(Http2ClientCodec.WindowUpdate(1, 600));                                       // → 600

        var frames = h.TakeFrames();
        frames.DataBytes(1).Should().Be(500);
        frames.OfType(Http2FrameType.Data).Last().EndStream.Should().BeTrue();
    }

    [Fact]
    public void InitialWindowSize_RaisedAbove2To31MinusOneOnAStream_FlowControlError()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.Send(Http2ClientCodec.WindowUpdate(1, int.MaxValue - 65_535));

        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 65_536)));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FlowControlError);
    }
}
