using Hyper.Core.Configuration;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>Valid requests, each fed whole, byte by byte and split at every position.</summary>
public sealed class Http11RequestTests
{
    [Fact]
    public void Get_OriginForm_ReceivedWithEmptyBodyAndAnswered()
    {
        var t = FeedVariants.Run("GET /a/b?x=1&y HTTP/1.1\r\nHost: example.com\r\nX-Thing:  two words \t\r\n\r\n");

        t.Events.Should().Equal(
            "received 1 GET /a/b?x=1&y HTTP/1.1 authority=example.com body=False length=- continue=False [host: example.com; x-thing: two words]",
            "ended 1 trailers=[]",
            "completed 1");
        t.Output.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        t.ShouldClose.Should().BeFalse();
        t.WantsInput.Should().BeTrue();
    }

    [Fact]
    public void Post_ContentLength_BodyDeliveredThenEnded()
    {
        var t = FeedVariants.Run("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");

        t.Events.Should().Equal(
            "received 1 POST /upload HTTP/1.1 authority=h body=True length=11 continue=False [host: h; content-length: 11]",
            "body 1 hello world",
            "ended 1 trailers=[]",
            "completed 1");
    }

    [Fact]
    public void Post_ContentLengthZero_NoBody()
    {
        var t = FeedVariants.Run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");

        t.Events.Should().Equal(
            "received 1 POST / HTTP/1.1 authority=h body=False length=0 continue=False [host: h; content-length: 0]",
            "ended 1 trailers=[]",
            "completed 1");
    }

    [Fact]
    [Trait("rfc", "9112-7.1")]
    public void Post_ChunkedWithExtensionsAndTrailers_DataJoinedAndTrailersKept()
    {
        var t = FeedVariants.Run(
            "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value;flag\r\nhello\r\n" +
            "1 ; q=\"a \\\"quoted\\\" ;x\"\r\n \r\n" +
            "A\r\n0123456789\r\n" +
            "000;last\r\nX-Checksum: abc\r\nContent-Length: 99\r\nHost: evil\r\n\r\n");

        t.Events.Should().Equal(
            "received 1 POST /c HTTP/1.1 authority=h body=True length=- continue=False [host: h; transfer-encoding: chunked]",
            "body 1 hello 0123456789",
            "ended 1 trailers=[x-checksum: abc]",
            "completed 1");
    }

    [Fact]
    public void Post_ChunkedUpperCaseHexAndCodingName_Accepted()
    {
        var t = FeedVariants.Run("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: CHUNKED\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n");

        t.Events.Should().Contain("body 1 abcdefghijklmnopqrstuvwxyz").And.Contain("ended 1 trailers=[]");
    }

    [Fact]
    [Trait("rfc", "9112-6.1")]
    public void TransferEncoding_ChunkedWithSurroundingWhitespace_IsOwsAndAccepted()
    {
        // "chunked " and " chunked": the spaces are OWS around the value (RFC 9110 §5.5), not part of it.
        var t = FeedVariants.Run("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:  chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n");

        t.Events.Should().Contain("body 1 ok");
        t.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void Http10_WithoutHost_AcceptedAndClosedAfterResponse()
    {
        var t = FeedVariants.Run("GET /old HTTP/1.0\r\n\r\n");

        t.Events.Should().Equal(
            "received 1 GET /old HTTP/1.0 authority= body=False length=- continue=False []",
            "ended 1 trailers=[]",
            "completed 1");
        t.Output.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        t.ShouldClose.Should().BeTrue();
    }

    [Fact]
    [Trait("rfc", "9112-3.2.2")]
    public void AbsoluteForm_PathAndAuthorityFromTarget()
    {
        var t = FeedVariants.Run("GET http://Example.com:8080/p/q?z=9 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");

        t.Events[0].Should().Be("received 1 GET /p/q?z=9 HTTP/1.1 authority=Example.com:8080 body=False length=- continue=False [host: example.com:8080]");
    }

    [Fact]
    public void AbsoluteForm_EmptyPath_IsSlash()
    {
        var t = FeedVariants.Run("GET https://h?q HTTP/1.1\r\nHost: h\r\n\r\n");

        t.Events[0].Should().StartWith("received 1 GET /?q HTTP/1.1 authority=h ");
    }

    [Fact]
    [Trait("rfc", "9112-3.2.4")]
    public void Options_AsteriskForm_PathIsAsterisk()
    {
        var t = FeedVariants.Run("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");

        t.Events[0].Should().StartWith("received 1 OPTIONS * HTTP/1.1 ");
    }

    [Fact]
    [Trait("rfc", "9112-2.2")]
    public void LeadingEmptyLines_BeforeRequestLine_Ignored()
    {
        var t = FeedVariants.Run("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");

        t.Events[0].Should().StartWith("received 1 GET / HTTP/1.1 ");
    }

    [Fact]
    public void HeaderNames_LowerCased_ValuesKeptAndObsTextAllowed()
    {
        var t = FeedVariants.Run("GET / HTTP/1.1\r\nHOST: h\r\nX-Mixed-Case: V\xe9lue\r\nEmpty:\r\n\r\n");

        t.Events[0].Should().EndWith("[host: h; x-mixed-case: V\xe9lue; empty: ]");
    }

    [Fact]
    public void Host_IPv6Literal_Accepted()
    {
        var t = FeedVariants.Run("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n");

        t.Events[0].Should().Contain("authority=[::1]:80");
    }

    [Fact]
    [Trait("rfc", "9110-10.1.1")]
    public void Expect100Continue_Http11WithBody_FlagSet()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n");

        h.Single<Hyper.Core.Protocols.RequestReceived>().Head.ExpectsContinue.Should().BeTrue();
        h.OutputText.Should().BeEmpty("100 Continue waits until the application reads the body");
    }

    [Fact]
    public void Expect100Continue_Http10_Ignored()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        h.Single<Hyper.Core.Protocols.RequestReceived>().Head.ExpectsContinue.Should().BeFalse();
    }

    [Fact]
    public void Body_AtExactlyMaxBodySize_Accepted()
    {
        var settings = Http11Harness.DefaultSettings(new Http11Limits { MaxBodySize = 4 });

        var t = FeedVariants.Run("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n", settings);

        t.Events.Should().Contain("body 1 abcd");
    }

    [Fact]
    public void Head_AtExactlyTheLimits_Accepted()
    {
        var limits = new Http11Limits { MaxRequestLineSize = 16, MaxHeaderSize = 20, MaxHeaderCount = 2 };
        // "GET /123456 HTTP/1.1" is 20 bytes: over 16. "GET /12 HTTP/1.1" is 16 bytes: at the limit.
        // The field lines "Host: h\r\n" (9) + "A: 123456\r\n" (11) are 20 bytes: at the limit.
        var t = FeedVariants.Run("GET /12 HTTP/1.1\r\nHost: h\r\nA: 123456\r\n\r\n", Http11Harness.DefaultSettings(limits));

        t.Events[0].Should().StartWith("received 1 GET /12 HTTP/1.1");
    }
}
