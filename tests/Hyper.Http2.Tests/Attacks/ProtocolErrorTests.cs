using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-15: control-frame and window errors are connection errors with the RFC 9113 code, one raw frame
/// per case (the h2spec run in Hyper.Conformance covers the same ground over a socket).
/// </summary>
public sealed class ProtocolErrorTests
{
    public static TheoryData<string, byte[], Http2ErrorCode> Cases => new()
    {
        // §6.9.1
        { "connection window above 2^31-1", Http2ClientCodec.WindowUpdate(0, int.MaxValue), Http2ErrorCode.FlowControlError },
        // §4.2: only the frame header is sent: the error must not wait for a 16 KiB + 1 payload.
        { "frame above SETTINGS_MAX_FRAME_SIZE", Http2ClientCodec.Frame(Http2FrameType.Data, Http2FrameFlags.None, 1, new byte[16_385])[..9], Http2ErrorCode.FrameSizeError },
        { "PING above max frame size", Http2ClientCodec.Frame(Http2FrameType.Ping, Http2FrameFlags.None, 0, new byte[20_000])[..9], Http2ErrorCode.FrameSizeError },
        // §5.1 idle streams
        { "DATA on an idle stream", Http2ClientCodec.Data(9, "x", endStream: false), Http2ErrorCode.ProtocolError },
        { "RST_STREAM on an idle stream", Http2ClientCodec.RstStream(9, Http2ErrorCode.Cancel), Http2ErrorCode.ProtocolError },
        { "WINDOW_UPDATE on an idle stream", Http2ClientCodec.WindowUpdate(9, 1), Http2ErrorCode.ProtocolError },
        // §6.2, §6.4, §8.4
        { "HEADERS on stream 0", Http2ClientCodec.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 0, HpackBytes.GetPseudoHeaders), Http2ErrorCode.ProtocolError },
        { "RST_STREAM on stream 0", Http2ClientCodec.RstStream(0, Http2ErrorCode.Cancel), Http2ErrorCode.ProtocolError },
        { "RST_STREAM of 3 bytes", Http2ClientCodec.Frame(Http2FrameType.RstStream, Http2FrameFlags.None, 1, new byte[3]), Http2ErrorCode.FrameSizeError },
        { "PUSH_PROMISE from a client", Http2ClientCodec.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, new byte[4]), Http2ErrorCode.ProtocolError },
        { "PRIORITY on stream 0", Http2ClientCodec.Priority(0, 1), Http2ErrorCode.ProtocolError },
        // §4.3: a header block that does not decode loses HPACK state.
        { "undecodable header block", Http2ClientCodec.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]), Http2ErrorCode.CompressionError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RawFrame_ProtocolViolation_ConnectionErrorWithItsCode(string what, byte[] frame, Http2ErrorCode expected)
    {
        var h = HarnessRequests.Ready();

        h.Send(frame);

        h.GoAway!.ErrorCode.Should().Be(expected, what);
        h.Connection.ShouldClose.Should().BeTrue(what);
    }

    [Fact]
    public void RawFrame_UnknownType_IgnoredAndConnectionServes()
    {
        // §5.5: unknown frame types are ignored, even in a flood they cost nothing (no reply is owed).
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame((Http2FrameType)0xEE, Http2FrameFlags.None, 0, new byte[10]));

        h.GoAway.Should().BeNull();
        h.ShouldServe(1);
    }

    [Fact]
    public void RawFrame_OnStreamWeReset_Tolerated()
    {
        // §5.4.2: frames in flight on a stream we reset are not errors.
        var h = HarnessRequests.Ready();
        h.Get(1, "/", extra: ("X-Bad", "1"));
        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);

        h.Send([.. Http2ClientCodec.WindowUpdate(1, 10), .. Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)]);

        h.GoAway.Should().BeNull();
    }
}
