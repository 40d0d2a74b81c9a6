using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// RFC 9113 §8.1.1, §8.2, §8.3: a malformed request is a stream error (RST_STREAM PROTOCOL_ERROR), never a GOAWAY,
/// and no handler starts; the connection goes on serving the next request.
/// </summary>
public sealed class RequestHeaderValidationTests
{
    private static readonly (string, string)[] Method = [(":method", "GET")];
    private static readonly (string, string)[] Scheme = [(":scheme", "http")];
    private static readonly (string, string)[] Path = [(":path", "/")];
    private static readonly (string, string)[] Authority = [(":authority", "localhost")];

    public static TheoryData<string, (string, string)[]> Malformed => new()
    {
        { "upper-case name", [.. Method, .. Scheme, .. Path, ("X-Upper", "1")] },
        { "empty name", [.. Method, .. Scheme, .. Path, ("", "v")] },
        { "name with a space", [.. Method, .. Scheme, .. Path, ("bad name", "1")] },
        { "connection", [.. Method, .. Scheme, .. Path, ("connection", "keep-alive")] },
        { "keep-alive", [.. Method, .. Scheme, .. Path, ("keep-alive", "5")] },
        { "proxy-connection", [.. Method, .. Scheme, .. Path, ("proxy-connection", "close")] },
        { "transfer-encoding", [.. Method, .. Scheme, .. Path, ("transfer-encoding", "chunked")] },
        { "upgrade", [.. Method, .. Scheme, .. Path, ("upgrade", "websocket")] },
        { "te other than trailers", [.. Method, .. Scheme, .. Path, ("te", "gzip")] },
        { "value with LF", [.. Method, .. Scheme, .. Path, ("x-a", "a\nb")] },
        { "value with NUL", [.. Method, .. Scheme, .. Path, ("x-a", "a\0b")] },
        { "value with leading space", [.. Method, .. Scheme, .. Path, ("x-a", " a")] },
        { "missing :method", [.. Scheme, .. Path, .. Authority] },
        { "missing :scheme", [.. Method, .. Path, .. Authority] },
        { "missing :path", [.. Method, .. Scheme, .. Authority] },
        { "empty :path", [.. Method, .. Scheme, (":path", ""), .. Authority] },
        { ":path without a slash", [.. Method, .. Scheme, (":path", "index.html")] },
        { ":path * on GET", [.. Method, .. Scheme, (":path", "*")] },
        { "repeated :method", [.. Method, (":method", "POST"), .. Scheme, .. Path] },
        { "repeated :path", [.. Method, .. Scheme, .. Path, (":path", "/b")] },
        { "unknown pseudo-header", [.. Method, .. Scheme, .. Path, (":foo", "bar")] },
        { "response pseudo-header", [.. Method, .. Scheme, .. Path, (":status", "200")] },
        { "pseudo-header after a regular field", [.. Method, .. Scheme, ("x-a", "1"), .. Path] },
        { ":protocol without CONNECT", [.. Method, .. Scheme, .. Path, (":protocol", "websocket")] },
        { "CONNECT without :authority", [(":method", "CONNECT")] },
        { "non-numeric content-length", [.. Method, .. Scheme, .. Path, ("content-length", "12a")] },
        { "conflicting content-lengths", [.. Method, .. Scheme, .. Path, ("content-length", "1"), ("content-length", "2")] },
        { "content-length with END_STREAM", [.. Method, .. Scheme, .. Path, ("content-length", "5")] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Request_Malformed_RstStreamProtocolErrorAndConnectionStillServes(string what, (string, string)[] fields)
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, fields);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError, what);
        h.GoAway.Should().BeNull(what);
        h.TakeEvents().OfType<RequestReceived>().Should().BeEmpty(what);
        h.Connection.HandlersRunning.Should().Be(0);
        h.ShouldServe(3);
    }

    [Fact]
    public void Request_TeTrailers_Accepted()
    {
        var h = HarnessRequests.Ready();

        h.Get(1, "/", extra: ("te", "trailers"));

        h.TakeEvents().RequestOn(1).Should().NotBeNull();
    }

    [Fact]
    public void Request_OptionsAsterisk_Accepted()
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, [(":method", "OPTIONS"), .. Scheme, (":path", "*"), .. Authority]);

        h.TakeEvents().RequestOn(1)!.Method.Should().Be("OPTIONS");
    }

    [Fact]
    public void Request_Connect_RejectedWith501NotAConnectionError()
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, [(":method", "CONNECT"), .. Authority], endStream: false);

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(501);
        h.GoAway.Should().BeNull();
    }

    [Fact]
    public void Request_HeaderListAboveAdvertisedSize_Answered431()
    {
        // Between SETTINGS_MAX_HEADER_LIST_SIZE and twice it the request decodes and is answered 431 (§6.5.2 is advisory).
        var h = HarnessRequests.Ready(new Core.Configuration.Http2Limits { MaxHeaderListSize = 1_000 });

        h.Get(1, "/", extra: ("x-big", new string('a', 1_200)));

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(431);
        h.GoAway.Should().BeNull();
    }

    [Theory]
    [InlineData("/a%00b")]
    [InlineData("/a%00?x=1")]
    public void Request_PathEncodingNul_Answered400(string path)
    {
        // Not malformed for HTTP/2 (§8.3.1), but refused as over HTTP/1.1: the application never sees a NUL in its path.
        var h = HarnessRequests.Ready();

        h.Get(1, path);

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(400);
        h.GoAway.Should().BeNull();
    }

    [Fact]
    public void Request_NulOnlyInQuery_Served()
    {
        var h = HarnessRequests.Ready();

        h.Get(1, "/a?x=%00");

        h.TakeEvents().OfType<RequestRejected>().Should().BeEmpty("the query string is not decoded into the path");
    }

    [Fact]
    public void Request_ContentLengthAboveMaxBodySize_Answered413()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxBodySize = 100 });

        h.Post(1, contentLength: 101);

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(413);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Request_ContentLengthAboveMaxBodySize_BodyInFlightDroppedAndStreamResetNoError(bool dataBeforeResponse)
    {
        // The client sends its body right behind the HEADERS: those DATA frames are no error. Once the 413 is out,
        // RST_STREAM(NO_ERROR) tells the client to stop (§8.1); what was already in flight is tolerated (§5.4.2).
        var h = HarnessRequests.Ready(configure: s => s with { MaxBodySize = 100 });
        h.Post(1, contentLength: 101);
        if (dataBeforeResponse) h.Data(1, 50, endStream: false);

        h.Respond(1, 413, "too large"); // as the driver answers RequestRejected
        h.HandlerDone(1);
        h.Data(1, 51, endStream: true);

        h.GoAway.Should().BeNull("DATA on a refused body is no connection error");
        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.NoError);
        h.Events.OfType<RequestBodyReceived>().Should().BeEmpty("a refused body never reaches the stream layer");
        h.ShouldServe(3);
    }

    [Fact]
    public void Request_StreamIdLowerThanAPreviousOne_ProtocolError()
    {
        // §5.1.1: stream ids only grow; 1 was never used, so it is not a stream the client closed.
        var h = HarnessRequests.Ready();
        h.Get(5);

        h.Get(3);

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Request_EvenStreamId_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Get(2);

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }
}
