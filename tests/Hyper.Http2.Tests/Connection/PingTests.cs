using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §6.7: PING.</summary>
public sealed class PingTests
{
    [Fact]
    public void Ping_FromClient_AckedWithTheSamePayload()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Ping(0x0102030405060708));

        var ack = h.TakeFrames().Should().ContainSingle().Subject;
        ack.Type.Should().Be(Http2FrameType.Ping);
        ack.Has(Http2FrameFlags.Ack).Should().BeTrue();
        ack.Payload.Should().Equal(1, 2, 3, 4, 5, 6, 7, 8);
    }

    [Fact]
    public void PingAck_Unsolicited_Ignored()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Ping(42, ack: true));

        h.TakeFrames().Should().BeEmpty();
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void Ping_OnAStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Ping, Http2FrameFlags.None, 1, new byte[8]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    public void Ping_LengthNot8_FrameSizeError(int length)
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Ping, Http2FrameFlags.None, 0, new byte[length]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FrameSizeError);
    }
}
