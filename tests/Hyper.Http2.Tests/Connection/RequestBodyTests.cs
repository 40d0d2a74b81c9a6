using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>Request bodies: DATA to events, content-length against DATA (§8.1.1), padding, and request trailers (§8.1).</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public void Data_MatchingContentLength_BodyThenEnd()
    {
        var h = HarnessRequests.Ready();
        h.Post(1, contentLength: 5);

        h.Send(Http2ClientCodec.Data(1, "he", endStream: false));
        h.Send(Http2ClientCodec.Data(1, "llo", endStream: true));

        var events = h.TakeEvents();
        events.OfType<RequestBodyReceived>().Sum(e => e.Data.Length).Should().Be(5);
        events.OfType<RequestBodyEnded>().Should().ContainSingle().Which.Trailers.Should().BeNull();
        h.Reset(1).Should().BeNull();
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(2, 3)]
    [InlineData(0, 1)]
    public void Data_DiffersFromContentLength_RstStreamProtocolError(int declared, int sent)
    {
        var h = HarnessRequests.Ready();
        h.Post(1, contentLength: declared);

        h.Data(1, sent, endStream: true);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
        h.TakeEvents().OfType<StreamAborted>().Should().ContainSingle(e => e.StreamId == 1);
        h.GoAway.Should().BeNull();
        h.HandlerDone(1);
        h.ShouldServe(3);
    }

    [Fact]
    public void Data_Padded_PaddingNotDeliveredAndItsWindowReturned()
    {
        var h = HarnessRequests.Ready();
        h.Post(1);
        byte[] payload = [4, (byte)'a', (byte)'b', 0, 0, 0, 0];

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Data, Http2FrameFlags.Padded | Http2FrameFlags.EndStream, 1, payload));

        var body = h.TakeEvents().OfType<RequestBodyReceived>().Should().ContainSingle().Subject;
        System.Buffers.BuffersExtensions.ToArray(body.Data).Should().Equal((byte)'a', (byte)'b');
    }

    [Fact]
    public void Data_PaddingAsLongAsPayload_ProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Post(1);

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Data, Http2FrameFlags.Padded, 1, [3, 0, 0]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Data_OnStream0_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Data(0, "x", endStream: false));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Data_OnIdleStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Data(1, "x", endStream: false));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void RequestTrailers_AfterData_DeliveredWithBodyEnd()
    {
        var h = HarnessRequests.Ready();
        h.Post(1, extra: ("te", "trailers"));
        h.Send(Http2ClientCodec.Data(1, "abc", endStream: false));

        h.Raw(1, [("x-checksum", "900150983cd24fb0")], endStream: true);

        var ended = h.TakeEvents().OfType<RequestBodyEnded>().Should().ContainSingle().Subject;
        ended.Trailers.Should().ContainSingle();
        System.Text.Encoding.ASCII.GetString(ended.Trailers![0].Value.Span).Should().Be("900150983cd24fb0");
    }

    [Fact]
    public void RequestTrailers_WithoutEndStream_RstStreamProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Post(1);

        h.Raw(1, [("x-checksum", "1")], endStream: false);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
        h.GoAway.Should().BeNull();
    }

    [Fact]
    public void RequestTrailers_WithPseudoHeader_RstStreamProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Post(1);

        h.Raw(1, [(":path", "/x")], endStream: true);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void RequestTrailers_BodyShorterThanContentLength_RstStreamProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Post(1, contentLength: 5);
        h.Data(1, 3, endStream: false);

        h.Raw(1, [("x-t", "1")], endStream: true);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Data_BeyondMaxBodySize_Answered413()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxBodySize = 10 });
        h.Post(1);

        h.Data(1, 11, endStream: false);

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(413);
    }

    [Fact]
    public void Data_AfterTheBodyWasRefused_DroppedThenStreamResetNoError()
    {
        // The rest of a body over max_body_size keeps arriving: dropped (no connection error, no event), and once the
        // 413 is out, RST_STREAM(NO_ERROR) tells the client to stop (§8.1).
        var h = HarnessRequests.Ready(configure: s => s with { MaxBodySize = 10 });
        h.Post(1);
        h.Data(1, 11, endStream: false);
        h.TakeEvents();

        h.Data(1, 100, endStream: false);
        h.Respond(1, 413, "too large");
        h.HandlerDone(1);
        h.Data(1, 100, endStream: true);

        h.GoAway.Should().BeNull();
        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.TakeEvents().OfType<RequestBodyReceived>().Should().BeEmpty();
        h.ShouldServe(3);
    }
}
