using Hyper.Conformance.Http2.Client;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>Responses: header blocks, HEAD, 100-continue, informational responses and trailers (§8.1).</summary>
public sealed class ResponseTests
{
    [Fact]
    public void CompleteResponse_HeadersWithContentLengthThenDataWithEndStream()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Respond(1, 200, "hello");

        var frames = h.TakeFrames();
        var headers = frames.ResponseHeaders(1)!;
        headers.Header(":status").Should().Be("200");
        headers.Header("content-length").Should().Be("5");
        headers.EndStream.Should().BeFalse();
        frames.OfType(Http2FrameType.Data).Should().ContainSingle().Which.EndStream.Should().BeTrue();
        h.TakeEvents().OfType<StreamCompleted>().Should().ContainSingle(e => e.StreamId == 1);
    }

    [Fact]
    public void Response_ConnectionSpecificAndUpperCaseFields_DroppedAndLowered()
    {
        // §8.2.1, §8.2.2: an application written for HTTP/1.1 may set these; they must not reach the wire as such.
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Do((c, o) => c.StartResponse(1, 200, [HeaderField.Of("Connection", "close"), HeaderField.Of("Transfer-Encoding", "chunked"), HeaderField.Of("X-Mixed", "v")], endStream: true, h.Now, o));

        var headers = h.TakeFrames().ResponseHeaders(1)!;
        headers.Headers!.Select(f => f.Name).Should().Equal(":status", "x-mixed");
        headers.EndStream.Should().BeTrue();
    }

    [Fact]
    public void Head_CompleteResponseWithBody_NoDataButContentLength()
    {
        var h = HarnessRequests.Ready();
        h.Raw(1, Http2ClientCodec.Request("/", "HEAD"));

        h.Respond(1, 200, "hello");

        var frames = h.TakeFrames();
        var headers = frames.ResponseHeaders(1)!;
        headers.EndStream.Should().BeTrue();
        headers.Header("content-length").Should().Be("5");
        frames.OfType(Http2FrameType.Data).Should().BeEmpty();
    }

    [Fact]
    public void Head_StreamedBody_DataDropped()
    {
        var h = HarnessRequests.Ready();
        h.Raw(1, Http2ClientCodec.Request("/", "HEAD"));
        h.StartResponse(1);

        h.Body(1, 100, endStream: true);

        var frames = h.TakeFrames();
        frames.DataBytes(1).Should().Be(0);
        frames.Should().Contain(f => f.StreamId == 1 && f.EndStream);
    }

    [Fact]
    public void ExpectContinue_BodyWanted_Sends100Once()
    {
        var h = HarnessRequests.Ready();
        h.Post(1, extra: ("expect", "100-continue"));
        h.TakeEvents().RequestOn(1)!.ExpectsContinue.Should().BeTrue();
        h.TakeFrames().Should().BeEmpty("100 waits until the application reads");

        h.Do((c, o) => c.RequestBodyWanted(1, h.Now, o));
        h.Do((c, o) => c.RequestBodyWanted(1, h.Now, o));

        var interim = h.TakeFrames().Should().ContainSingle().Subject;
        interim.Header(":status").Should().Be("100");
        interim.EndStream.Should().BeFalse();
    }

    [Fact]
    public void ExpectContinue_ResponseStartedFirst_No100()
    {
        var h = HarnessRequests.Ready();
        h.Post(1, extra: ("expect", "100-continue"));
        h.StartResponse(1, 417);
        h.TakeFrames();

        h.Do((c, o) => c.RequestBodyWanted(1, h.Now, o));

        h.TakeFrames().Should().BeEmpty();
    }

    [Fact]
    public void Informational_EarlyHints_BeforeTheResponse()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        h.Do((c, o) => c.SendInformational(1, 103, [HeaderField.Of("link", "</a.css>; rel=preload")], o));
        h.Respond(1);

        var headers = h.TakeFrames().OfType(Http2FrameType.Headers).ToList();
        headers[0].Header(":status").Should().Be("103");
        headers[0].Header("link").Should().Be("</a.css>; rel=preload");
        headers[1].Header(":status").Should().Be("200");
    }

    [Fact]
    public void ResponseTrailers_AfterBody_HeadersWithEndStreamAndNoStatus()
    {
        var h = HarnessRequests.Ready();
        h.Get(1, "/", extra: ("te", "trailers"));
        h.StartResponse(1);
        h.Body(1, 10, endStream: false);

        h.Do((c, o) => c.SendTrailers(1, [HeaderField.Of("grpc-status", "0")], h.Now, o));

        var frames = h.TakeFrames();
        var trailers = frames.OfType(Http2FrameType.Headers).Last();
        trailers.EndStream.Should().BeTrue();
        trailers.Header(":status").Should().BeNull();
        trailers.Header("grpc-status").Should().Be("0");
        frames.OfType(Http2FrameType.Data).Should().OnlyContain(f => !f.EndStream);
        h.TakeEvents().OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void ResponseTrailers_WhileDataWaitsOnWindow_SentAfterTheData()
    {
        var h = HarnessRequests.Ready();
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 0)));
        h.Get(1);
        h.StartResponse(1);
        h.Body(1, 2_000, endStream: false);
        h.Do((c, o) => c.SendTrailers(1, [HeaderField.Of("x-t", "1")], h.Now, o));
        h.TakeFrames().OfType(Http2FrameType.Headers).Should().ContainSingle("only the response head so far");

        h.Send(Http2ClientCodec.WindowUpdate(1, 2_000));

        var frames = h.TakeFrames();
        frames.DataBytes(1).Should().Be(2_000);
        frames.Last().Type.Should().Be(Http2FrameType.Headers);
        frames.Last().EndStream.Should().BeTrue();
    }

    [Fact]
    public void Response_CompleteBeforeRequestBodyEnds_HalfClosedLocalWithoutReset()
    {
        // §8.1: a server may answer before the request is complete. The stream is then half-closed (local), §5.1; no
        // RST_STREAM(NO_ERROR) yet, so the rest of the request is still checked (HalfClosedLocalTests).
        var h = HarnessRequests.Ready();
        h.Post(1);

        h.Respond(1);

        h.Reset(1).Should().BeNull();
        h.TakeEvents().OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void AbortStream_MidResponse_RstStreamInternalError()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.StartResponse(1);

        h.Do((c, o) => c.AbortStream(1, o));

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.InternalError);
        h.HandlerDone(1);
        h.ShouldServe(3);
    }
}
