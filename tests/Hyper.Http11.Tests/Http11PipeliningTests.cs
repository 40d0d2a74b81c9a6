using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>One request at a time: pipelining, unread bodies, 100-continue, EOF, abort and shutdown.</summary>
public sealed class Http11PipeliningTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Pipelined_SecondParsedOnlyAfterFirstResponseWritten()
    {
        var h = new Http11Harness();
        h.Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");

        Transcript.Describe(h.Events).Should().HaveCount(2, "request 2 waits for response 1");
        h.Connection.WantsInput.Should().BeFalse();
        h.PendingBytes.Should().Be("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n".Length);

        h.Respond(1);
        h.Pump();

        Transcript.Describe(h.Events).Should().Equal(
            "received 1 GET /1 HTTP/1.1 authority=h body=False length=- continue=False [host: h]",
            "ended 1 trailers=[]",
            "completed 1",
            "received 2 GET /2 HTTP/1.1 authority=h body=False length=- continue=False [host: h]",
            "ended 2 trailers=[]");
        h.PendingBytes.Should().Be(0);
    }

    [Fact]
    public void Pipelined_ThreeRequestsWithBodies_AnsweredInOrder()
    {
        var t = FeedVariants.Run(
            "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
            "POST /2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ndef\r\n0\r\n\r\n" +
            "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");

        t.Events.Where(e => !e.StartsWith("received", StringComparison.Ordinal)).Should().Equal(
            "body 1 abc", "ended 1 trailers=[]", "completed 1",
            "body 2 def", "ended 2 trailers=[]", "completed 2",
            "ended 3 trailers=[]", "completed 3");
        t.Output.Should().Be(string.Concat(Enumerable.Repeat("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", 3)));
    }

    [Fact]
    [Trait("rfc", "9112-6.3")]
    public void GetWithContentLengthBody_BodyReadPerLengthNeverAsRequest()
    {
        // docs/security.md H1-14: a GET body is read per its Content-Length; the smuggled head inside it stays body.
        var smuggled = "GET /admin HTTP/1.1\r\nHost: h\r\n\r\n";
        var t = FeedVariants.Run($"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: {smuggled.Length}\r\n\r\n{smuggled}");

        t.Events.Should().Contain("body 1 " + smuggled);
        t.Events.Count(e => e.StartsWith("received", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public void ResponseBeforeBody_RestOfBodyDrainedThenNextRequestParsed()
    {
        var h = new Http11Harness();
        h.Feed("POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123");
        h.Respond(1);
        h.CollectEvents().Should().BeEmpty("the stream completes only once the body is drained");
        h.Connection.WantsInput.Should().BeTrue();

        h.Feed("456789GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");

        Transcript.Describe(h.Events).Should().Equal(
            "received 1 POST /1 HTTP/1.1 authority=h body=True length=10 continue=False [host: h; content-length: 10]",
            "body 1 0123",
            "completed 1",
            "received 2 GET /2 HTTP/1.1 authority=h body=False length=- continue=False [host: h]",
            "ended 2 trailers=[]");
    }

    [Fact]
    public void ResponseBeforeChunkedBody_DrainedPerFraming()
    {
        var h = new Http11Harness();
        h.Feed("POST /1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        h.Respond(1);

        // The smuggled-looking head inside a chunk is body, and is discarded.
        var evil = "GET /evil HTTP/1.1\r\nHost: h\r\n\r\n";
        h.Feed($"{evil.Length:x}\r\n{evil}\r\n0\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");

        Transcript.Describe(h.Events).Should().Equal(
            "received 1 POST /1 HTTP/1.1 authority=h body=True length=- continue=False [host: h; transfer-encoding: chunked]",
            "completed 1",
            "received 2 GET /2 HTTP/1.1 authority=h body=False length=- continue=False [host: h]",
            "ended 2 trailers=[]");
    }

    [Fact]
    public void Drain_MalformedChunk_ClosesWithoutRejection()
    {
        var h = new Http11Harness();
        h.Feed("POST /1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        h.Respond(1);

        h.Feed("zz\r\n");

        h.Events.OfType<RequestRejected>().Should().BeEmpty("the response is already written");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void BodyErrorAfterResponseStarted_StreamAbortedAndClosed()
    {
        var h = new Http11Harness();
        h.Feed("POST /1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        h.Feed("5\r\nhelloXX");

        h.Events.OfType<StreamAborted>().Should().ContainSingle().Which.StreamId.Should().Be(1);
        h.Events.OfType<RequestRejected>().Should().BeEmpty();
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    [Trait("rfc", "9110-10.1.1")]
    public void Expect100_RequestBodyWanted_ContinueWrittenOnce()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        h.Connection.RequestBodyWanted(1, h.Now, h.Output);
        h.Connection.RequestBodyWanted(1, h.Now, h.Output);
        h.Connection.SendInformational(1, 100, [], h.Output);

        h.TakeOutput().Should().Be("HTTP/1.1 100 Continue\r\n\r\n");
        h.Feed("abc");
        h.Respond(1);
        h.TakeOutput().Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void Expect100_WithoutExpectation_RequestBodyWantedWritesNothing()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n");

        h.Connection.RequestBodyWanted(1, h.Now, h.Output);

        h.OutputText.Should().BeEmpty();
    }

    [Fact]
    [Trait("rfc", "9110-10.1.1")]
    public void Expect100_FinalResponseFirst_NoContinueAndConnectionCloses()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        h.Respond(1, 417, "");
        h.Connection.RequestBodyWanted(1, h.Now, h.Output);
        h.Feed("GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");

        h.OutputText.Should().Be("HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        h.Connection.ShouldClose.Should().BeTrue();
        h.Events.OfType<RequestReceived>().Should().ContainSingle();
    }

    [Fact]
    public void ReceiveCompleted_MidBody_StreamAborted()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");

        h.Connection.ReceiveCompleted(h.Now, h.Output);

        h.CollectEvents().Should().ContainSingle().Which.Should().Be(new StreamAborted(1, "client disconnected"));
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void ReceiveCompleted_ResponseNotFinished_StreamAborted()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.ReceiveCompleted(h.Now, h.Output);

        h.CollectEvents().Should().ContainSingle().Which.Should().BeOfType<StreamAborted>();
        h.Connection.SendBody(1, B("late"), endStream: true, h.Now, h.Output);
        h.OutputText.Should().BeEmpty("nothing is written once the connection must close");
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HT")]
    public void ReceiveCompleted_IdleOrPartialHead_ClosesSilently(string partial)
    {
        var h = new Http11Harness();
        h.Feed(partial);

        h.Connection.ReceiveCompleted(h.Now, h.Output);

        h.CollectEvents().Should().BeEmpty();
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void AbortStream_ConnectionCloses()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        h.Connection.AbortStream(1, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
        h.Connection.WantsInput.Should().BeFalse();
    }

    [Fact]
    public void BeginShutdown_Idle_ClosesNow()
    {
        var h = new Http11Harness();

        h.Connection.BeginShutdown(h.Now, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void BeginShutdown_InFlight_ResponseSaysCloseAndNoMoreRequests()
    {
        var h = new Http11Harness();
        h.Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Connection.BeginShutdown(h.Now, h.Output);
        h.Connection.ShouldClose.Should().BeFalse();
        h.Respond(1);
        h.Pump();

        h.OutputText.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        h.Connection.ShouldClose.Should().BeTrue();
        h.Events.OfType<RequestReceived>().Should().ContainSingle();
    }

    [Fact]
    public void BeginShutdown_ResponseAlreadyStarted_ClosesWhenItEnds()
    {
        var h = new Http11Harness();
        h.Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        h.Connection.BeginShutdown(h.Now, h.Output);
        h.Connection.SendBody(1, B("x"), endStream: true, h.Now, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Response_ForUnknownStream_InvalidOperation()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        var act = () => h.Connection.StartResponse(2, 200, [], endStream: true, h.Now, h.Output);

        act.Should().Throw<InvalidOperationException>();
    }
}
