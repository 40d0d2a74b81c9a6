using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;
using static Hyper.Http3.Tests.Support.Http3TestPeer;

namespace Hyper.Http3.Tests.Connection;

/// <summary>Requests and responses on request streams (RFC 9114 §4.1), fed whole, split and byte by byte.</summary>
public sealed class Http3ConnectionRequestTests
{
    private static readonly NullWriter Output = new();

    private static HeaderField Field(string name, string value) => new(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));

    [Fact]
    public void Established_OpensControlStreamWithSettings_AndBothQpackStreams()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxFieldSectionSize = 8192, QpackMaxTableCapacity = 4096, QpackBlockedStreams = 16 });

        var control = peer.ControlFrames();
        control.Should().HaveCount(1);
        control[0].Type.Should().Be(Http3FrameType.Settings);
        Http3Settings.Decode(control[0].Payload).Should().Be(new Http3Settings { MaxFieldSectionSize = 8192, QpackMaxTableCapacity = 4096, QpackBlockedStreams = 16 });
        peer.Sent[Http3Connection.EncoderStreamId].Should().Equal(0x02);
        peer.Sent[Http3Connection.DecoderStreamId].Should().Equal(0x03);
        peer.Finished.Should().BeEmpty("critical streams stay open for the connection's life (RFC 9114 §6.2.1)");
    }

    [Fact]
    public void Get_IsReceivedAsARequestHead_AndAnsweredOnItsStream()
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams(new Http3Settings { MaxFieldSectionSize = 16384 });

        peer.Feed(0, Get("/search?q=h3", ("accept", "*/*"), ("cookie", "a=1"), ("cookie", "b=2")), fin: true);

        var head = peer.Single<RequestReceived>(0).Head;
        head.Method.Should().Be("GET");
        Encoding.ASCII.GetString(head.RawPath.Span).Should().Be("/search");
        Encoding.ASCII.GetString(head.QueryString.Span).Should().Be("q=h3");
        head.HttpVersion.Should().Be("3");
        Encoding.ASCII.GetString(head.Authority.Span).Should().Be("example.com");
        head.HasBody.Should().BeFalse();
        head.Headers.Select(h => $"{Encoding.ASCII.GetString(h.Name.Span)}={Encoding.ASCII.GetString(h.Value.Span)}")
            .Should().Equal("host=example.com", "accept=*/*", "cookie=a=1; b=2");
        peer.Single<RequestBodyEnded>(0).Trailers.Should().BeNull();
        peer.Server.PeerSettings!.MaxFieldSectionSize.Should().Be(16384);

        peer.Server.StartResponse(0, 200, [Field("content-type", "text/plain"), Field("Connection", "close")], endStream: false, peer.Now, Output);
        peer.Server.SendBody(0, "hello"u8, endStream: true, peer.Now, Output);
        peer.Drain();

        peer.ResponseFrames(0).Should().Equal(("HEADERS", ":status=200 content-type=text/plain"), ("DATA", "hello"));
        peer.Finished.Should().Contain(0);
        peer.Single<StreamCompleted>(0);
        peer.Server.HandlerCompleted(0, Output);
        peer.Server.TrackedStreams.Should().Be(0);
        peer.Closed.Should().BeNull();
    }

    private static byte[] PostWithTrailers() =>
    [
        .. Request("POST", "/upload", ("content-length", "11"), ("content-type", "text/plain")),
        .. Data("hello "), .. Frame(0x21, [1, 2, 3]), .. Data("world"),
        .. Headers(("x-checksum", "abc")),
    ];

    private static void ShouldHaveReadPost(Http3TestPeer peer)
    {
        peer.Closed.Should().BeNull(peer.Closed?.Reason);
        var head = peer.Single<RequestReceived>(0).Head;
        head.Method.Should().Be("POST");
        head.ContentLength.Should().Be(11);
        peer.Body(0).Should().Be("hello world");
        var ended = peer.Single<RequestBodyEnded>(0);
        ended.Trailers!.Select(t => Encoding.ASCII.GetString(t.Name.Span) + "=" + Encoding.ASCII.GetString(t.Value.Span)).Should().Equal("x-checksum=abc");
        peer.Events.OfType<ProtocolEvent>().Select(e => e.GetType().Name).Distinct().Should().Equal(nameof(RequestReceived), nameof(RequestBodyReceived), nameof(RequestBodyEnded));
    }

    [Fact]
    public void PostWithBodyAndTrailers_Whole()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, PostWithTrailers(), fin: true);
        ShouldHaveReadPost(peer);
    }

    [Fact]
    public void PostWithBodyAndTrailers_SplitAtEveryPosition()
    {
        var request = PostWithTrailers();
        for (var cut = 0; cut <= request.Length; cut++)
        {
            var peer = new Http3TestPeer();
            peer.FeedPieces(0, request, [cut], fin: true);
            ShouldHaveReadPost(peer);
        }
    }

    [Fact]
    public void PostWithBodyAndTrailers_ByteByByte_FinAlone()
    {
        var request = PostWithTrailers();
        var peer = new Http3TestPeer();
        foreach (var b in request) peer.Feed(0, [b]);
        peer.Events.OfType<RequestBodyEnded>().Should().BeEmpty("the FIN has not come");
        peer.Feed(0, [], fin: true);
        ShouldHaveReadPost(peer);
    }

    [Fact]
    public void ClientStreams_ByteByByte_ThenRequest()
    {
        var peer = new Http3TestPeer();
        var control = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(control, 0x00);
        Http3FrameWriter.WriteSettings(control, new Http3Settings { MaxFieldSectionSize = 1000, QpackBlockedStreams = 5 });
        control.Write(Frame(0x1f * 7 + 0x21, new byte[300])); // a grease frame (RFC 9114 §7.2.8)
        control.Write(Frame(Http3FrameType.MaxPushId, Varint(8)));
        foreach (var b in control.WrittenSpan.ToArray()) peer.Feed(ClientControlStream, [b]);

        peer.Server.PeerSettings.Should().Be(new Http3Settings { MaxFieldSectionSize = 1000, QpackBlockedStreams = 5 });
        peer.Feed(0, Get(), fin: true);
        peer.Single<RequestReceived>(0);
        peer.Closed.Should().BeNull();
    }

    [Fact]
    public void HostInsteadOfAuthority_IsAccepted_AndMatchingBothToo()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Headers((":method", "GET"), (":scheme", "https"), (":path", "/"), ("host", "example.org")), fin: true);
        Encoding.ASCII.GetString(peer.Single<RequestReceived>(0).Head.Authority.Span).Should().Be("example.org");
        peer.Feed(4, Get("/", ("host", "example.com")), fin: true);
        peer.Single<RequestReceived>(4).Head.Headers.Count(h => h.Name.Span.SequenceEqual("host"u8)).Should().Be(1);
    }

    [Fact]
    public void Expect100Continue_IsSentWhenTheBodyIsWanted()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("PUT", "/x", ("expect", "100-continue"), ("content-length", "2")));
        peer.Single<RequestReceived>(0).Head.ExpectsContinue.Should().BeTrue();
        peer.Sent.Should().NotContainKey(0);

        peer.Server.RequestBodyWanted(0, peer.Now, Output);
        peer.Server.RequestBodyWanted(0, peer.Now, Output);
        peer.Drain();
        peer.ResponseFrames(0).Should().Equal(("HEADERS", ":status=100"));

        peer.Feed(0, Data("ok"), fin: true);
        peer.Body(0).Should().Be("ok");
    }

    [Fact]
    public void EarlyHints_GoBeforeTheFinalResponse_AndNotAfter()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Get(), fin: true);

        peer.Server.SendInformational(0, 103, [Field("link", "</style.css>; rel=preload")], Output);
        peer.Server.SendCompleteResponse(0, 200, [], "body"u8, peer.Now, Output);
        peer.Server.SendInformational(0, 103, [], Output);
        peer.Drain();

        peer.ResponseFrames(0).Should().Equal(
            ("HEADERS", ":status=103 link=</style.css>; rel=preload"),
            ("HEADERS", ":status=200 content-length=4"),
            ("DATA", "body"));
    }

    [Fact]
    public void Head_CompleteResponse_CarriesLengthButNoBody()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("HEAD", "/"), fin: true);
        peer.Server.SendCompleteResponse(0, 200, [], "twelve bytes"u8, peer.Now, Output);
        peer.Drain();
        peer.ResponseFrames(0).Should().Equal(("HEADERS", ":status=200 content-length=12"));
        peer.Finished.Should().Contain(0);
    }

    [Fact]
    public void ResponseTrailers_EndTheStream()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Get(), fin: true);
        peer.Server.StartResponse(0, 200, [Field("trailer", "grpc-status")], endStream: false, peer.Now, Output);
        peer.Server.SendBody(0, "x"u8, endStream: false, peer.Now, Output);
        peer.Server.SendTrailers(0, [Field("grpc-status", "0")], peer.Now, Output);
        peer.Drain();
        peer.ResponseFrames(0).Should().Equal(("HEADERS", ":status=200 trailer=grpc-status"), ("DATA", "x"), ("HEADERS", "grpc-status=0"));
        peer.Finished.Should().Contain(0);
    }

    [Fact]
    public void Connect_IsAnswered501_AsOverHttp2()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Headers((":method", "CONNECT"), (":authority", "example.com:443")));
        peer.Single<RequestReceived>(0).Head.Method.Should().Be("CONNECT");
        peer.Single<RequestRejected>(0).StatusCode.Should().Be(501);

        peer.Server.StartResponse(0, 501, [], endStream: true, peer.Now, Output);
        peer.Drain();
        peer.StopSendings.Should().Contain((0, (long)Http3ErrorCode.NoError), "the tunnel's bytes are not wanted (RFC 9114 §4.1.1)");
    }

    [Fact]
    public void DeclaredBodyOverTheLimit_Is413_AndTheRestIsRefused()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxBodySize = 10 });
        peer.Feed(0, Request("POST", "/", ("content-length", "100")));
        peer.Single<RequestRejected>(0).StatusCode.Should().Be(413);
        peer.Feed(0, Data(new string('x', 50)));
        peer.Body(0).Should().BeEmpty();
        peer.Server.StartResponse(0, 413, [], endStream: true, peer.Now, Output);
        peer.Drain();
        peer.StopSendings.Should().Contain((0, (long)Http3ErrorCode.NoError));
    }

    [Fact]
    public void EncodedNulInPath_Is400()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Get("/a%00b"), fin: true);
        peer.Single<RequestRejected>(0).StatusCode.Should().Be(400);
    }

    [Fact]
    public void UnconsumedBody_StopsInput_UntilTheApplicationReads()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxUnconsumedRequestBody = 1000 });
        peer.Feed(0, [.. Request("POST", "/"), .. Data(new string('a', 600)), .. Data(new string('b', 600)), .. Data(new string('c', 600))], fin: true);

        peer.Body(0).Length.Should().Be(1200);
        peer.HeldLength(0).Should().BeGreaterThan(600, "the third frame waits with the transport, held by QUIC flow control");
        peer.Events.OfType<RequestBodyEnded>().Should().BeEmpty();

        peer.Server.RequestBodyConsumed(0, 300, peer.Now, Output);
        peer.Drain();
        peer.Resumed.Should().BeEmpty("only half the allowance free resumes input");
        peer.Server.RequestBodyConsumed(0, 900, peer.Now, Output);
        peer.Drain();
        peer.Resumed.Should().Equal(0);

        peer.Resume(0);
        peer.Body(0).Should().Be(new string('a', 600) + new string('b', 600) + new string('c', 600));
        peer.Single<RequestBodyEnded>(0);
    }

    [Fact]
    public void AbortStream_ResetsWithInternalError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("POST", "/"));
        peer.Server.StartResponse(0, 200, [], endStream: false, peer.Now, Output);
        peer.Server.AbortStream(0, Output);
        peer.Server.SendBody(0, "late"u8, endStream: true, peer.Now, Output);
        peer.Drain();
        peer.ShouldHaveStreamError(0, Http3ErrorCode.InternalError);
        peer.ResponseFrames(0).Should().HaveCount(1, "nothing is written after the reset");
    }

    [Fact]
    public void ByteStreamReceive_IsRefused()
    {
        IStreamProtocol protocol = new Http3TestPeer().Server;
        var act = () => protocol.Receive(new ReadOnlySequence<byte>([1, 2, 3]), 0, Output);
        act.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void ManyRequests_OnOneConnection_AreServedAndForgotten()
    {
        var peer = new Http3TestPeer();
        for (long id = 0; id < 400; id += 4)
        {
            peer.Feed(id, Get($"/{id}"), fin: true);
            peer.Server.SendCompleteResponse(id, 204, [], default, peer.Now, Output);
            peer.Server.HandlerCompleted(id, Output);
        }

        peer.Drain();
        peer.Events.OfType<StreamCompleted>().Should().HaveCount(100);
        peer.Server.TrackedStreams.Should().Be(0);
        peer.Server.ClosedStreams.Count.Should().Be(0, "closed ids in order collapse into the closed prefix");
    }

    private sealed class NullWriter : IBufferWriter<byte>
    {
        public void Advance(int count) => throw new InvalidOperationException("HTTP/3 writes no byte pipe");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("HTTP/3 writes no byte pipe");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("HTTP/3 writes no byte pipe");
    }
}
