using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>Response framing, persistence and the application-error rules of the write side.</summary>
public sealed class Http11ResponseTests
{
    private static Http11Harness Request(string head, Http11ConnectionSettings? settings = null)
    {
        var h = new Http11Harness(settings);
        h.Feed(head);
        return h;
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    [Trait("rfc", "9112-7.1")]
    public void StartResponse_Http11WithoutLength_ChunkedFraming()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, 200, Http11Harness.Fields(("x-a", "1")), endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("hello"), endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, [], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B(new string('z', 26)), endStream: true, h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\nx-a: 1\r\ntransfer-encoding: chunked\r\n\r\n" +
                                 "5\r\nhello\r\n1a\r\n" + new string('z', 26) + "\r\n0\r\n\r\n");
        h.CollectEvents();
        h.Events.OfType<StreamCompleted>().Should().ContainSingle();
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    [Trait("rfc", "9112-7.1.2")]
    public void SendTrailers_Chunked_WrittenAfterLastChunk()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("ab"), endStream: false, h.Now, h.Output);
        h.Connection.SendTrailers(1, Http11Harness.Fields(("x-checksum", "42")), h.Now, h.Output);

        h.OutputText.Should().EndWith("2\r\nab\r\n0\r\nx-checksum: 42\r\n\r\n");
    }

    [Fact]
    public void SendTrailers_ContentLengthFraming_TrailersDroppedResponseEnded()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, 200, Http11Harness.Fields(("content-length", "2")), endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("ab"), endStream: false, h.Now, h.Output);
        h.Connection.SendTrailers(1, Http11Harness.Fields(("x-checksum", "42")), h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nab");
        h.CollectEvents().OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void SendCompleteResponse_NoLengthGiven_ContentLengthAdded()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Respond(1, 404, "missing", ("content-type", "text/plain"));

        h.OutputText.Should().Be("HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 7\r\n\r\nmissing");
    }

    [Fact]
    public void StartResponse_EndStreamWithoutLength_ContentLengthZero()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, 201, [], endStream: true, h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n");
    }

    [Fact]
    [Trait("rfc", "9110-9.3.2")]
    public void Head_CompleteResponse_AppLengthKeptNoBodyWritten()
    {
        var h = Request("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Respond(1, 200, "hello", ("content-length", "5"));

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void Head_StreamedResponse_NoChunkedHeaderNoBody()
    {
        var h = Request("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("ignored"), endStream: true, h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\n\r\n");
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Theory]
    [InlineData(204, "No Content")]
    [InlineData(304, "Not Modified")]
    [Trait("rfc", "9110-6.4.1")]
    public void NoContentStatus_BodyNeverWritten(int status, string reason)
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.StartResponse(1, status, [], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("body"), endStream: true, h.Now, h.Output);
        h.Feed("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Respond(2, status, "x");

        h.OutputText.Should().Be($"HTTP/1.1 {status} {reason}\r\n\r\nHTTP/1.1 {status} {reason}\r\n\r\n");
    }

    [Fact]
    public void ContentLength_AppWritesMore_ThrowsAndCloses()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.StartResponse(1, 200, Http11Harness.Fields(("content-length", "3")), endStream: false, h.Now, h.Output);

        var act = () => h.Connection.SendBody(1, B("toolong"), endStream: false, h.Now, h.Output);

        act.Should().Throw<InvalidOperationException>();
        h.OutputText.Should().NotContain("toolong");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void ContentLength_AppEndsShort_ClosesAfterResponse()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.StartResponse(1, 200, Http11Harness.Fields(("content-length", "10")), endStream: false, h.Now, h.Output);

        h.Connection.SendBody(1, B("short"), endStream: true, h.Now, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Http10_StreamedResponse_CloseDelimited()
    {
        var h = Request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, B("raw"), endStream: true, h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nraw");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    [Trait("rfc", "9112-C.2.2")]
    public void Http10_KeepAliveWithKnownLength_EchoedAndKeptOpen()
    {
        var h = Request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");

        h.Respond(1);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeFalse();
        h.Connection.WantsInput.Should().BeTrue();
    }

    [Fact]
    [Trait("rfc", "9112-9.6")]
    public void Http11_ConnectionClose_ResponseSaysCloseAndConnectionEnds()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n");

        h.Respond(1);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeTrue();
        h.CollectEvents().OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void AppConnectionClose_NotDuplicated_ConnectionEnds()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Respond(1, 200, "ok", ("Connection", "close"));

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void KeepAliveMaxRequests_LastRequest_AnsweredWithClose()
    {
        var settings = Http11Harness.DefaultSettings() with { KeepAliveMaxRequests = 2 };
        var h = Request("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", settings);

        h.Respond(1);
        h.Connection.ShouldClose.Should().BeFalse();
        h.Pump();
        h.Respond(2);

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok" +
                                 "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Theory]
    [InlineData("bad name", "v")]
    [InlineData("x:y", "v")]
    [InlineData("", "v")]
    [InlineData("x", "a\r\nset-cookie: evil")]
    [InlineData("x", "a\nb")]
    [InlineData("x", "a\0b")]
    [InlineData("content-length", "abc")]
    [InlineData("transfer-encoding", "gzip")]
    public void StartResponse_InvalidAppField_ArgumentExceptionNothingWritten(string name, string value)
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        var act = () => h.Connection.StartResponse(1, 200, Http11Harness.Fields((name, value)), endStream: true, h.Now, h.Output);

        act.Should().Throw<ArgumentException>();
        h.OutputText.Should().BeEmpty();
        h.Connection.StartResponse(1, 500, [], endStream: true, h.Now, h.Output);
        h.OutputText.Should().StartWith("HTTP/1.1 500 Internal Server Error\r\n");
    }

    [Fact]
    public void StartResponse_Twice_InvalidOperation()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        var act = () => h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void SendInformational_EarlyHints_WrittenBeforeFinal()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.SendInformational(1, 103, Http11Harness.Fields(("link", "</s.css>; rel=preload")), h.Output);
        h.Respond(1);

        h.OutputText.Should().Be("HTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\n" +
                                 "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    }

    [Fact]
    [Trait("rfc", "9110-15.2")]
    public void SendInformational_Http10Client_NotSent()
    {
        var h = Request("GET / HTTP/1.0\r\n\r\n");

        h.Connection.SendInformational(1, 103, [], h.Output);

        h.OutputText.Should().BeEmpty();
    }

    [Fact]
    public void RejectedRequest_DriverResponse_GetsConnectionClose()
    {
        var h = Request("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n");
        var rejected = h.Single<RequestRejected>();

        h.Connection.SendCompleteResponse(rejected.StreamId, rejected.StatusCode, Http11Harness.Fields(("server", "hyper")), B("bad"), h.Now, h.Output);

        h.OutputText.Should().Be("HTTP/1.1 400 Bad Request\r\nserver: hyper\r\ncontent-length: 3\r\nconnection: close\r\n\r\nbad");
        h.Connection.ShouldClose.Should().BeTrue();
    }
}
