using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;
using static Hyper.Http3.Tests.Support.Http3TestPeer;

namespace Hyper.Http3.Tests.Connection;

/// <summary>
/// Blocked QPACK streams, GOAWAY, cancellation, and the flood rows of docs/security.md (Q-10: handler accounting and
/// reset floods; Q-11: unknown streams and frames, huge lengths, QPACK table abuse).
/// </summary>
public sealed class Http3ConnectionLifecycleTests
{
    private static readonly ArrayBufferWriter<byte> Unused = new();

    private static (byte[], byte[])[] Fields(params (string, string)[] fields) =>
        fields.Select(f => (Encoding.ASCII.GetBytes(f.Item1), Encoding.ASCII.GetBytes(f.Item2))).ToArray();

    // ---- QPACK blocked streams (RFC 9204 §2.1.2) ----

    [Fact]
    public void BlockedRequest_WaitsForTheEncoderStream_ThenIsServedAndAcknowledged()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 4096, QpackBlockedStreams = 4 });
        peer.OpenClientStreams();
        var encoderStream = new ArrayBufferWriter<byte>();
        var encoder = new TestDynamicEncoder(4096, encoderStream);
        var section = encoder.EncodeSection(Fields((":method", "POST"), (":scheme", "https"), (":path", "/dyn"), (":authority", "example.com"), ("x-custom", "v")));

        // HEADERS and body arrive before the inserts they need.
        peer.Feed(0, [.. HeadersFrame(section), .. Data("body")], fin: true);
        peer.Events.Should().BeEmpty("the section is blocked");
        peer.HeldLength(0).Should().Be(Data("body").Length, "the body waits with the transport");

        // The inserts arrive one octet at a time; the request opens with the last one.
        var inserts = encoderStream.WrittenSpan.ToArray();
        foreach (var b in inserts[..^1]) peer.Feed(ClientEncoderStream, [b]);
        peer.Events.Should().BeEmpty();
        peer.Feed(ClientEncoderStream, [inserts[^1]]);

        var head = peer.Single<RequestReceived>(0).Head;
        head.Method.Should().Be("POST");
        Encoding.ASCII.GetString(head.RawPath.Span).Should().Be("/dyn");
        head.Headers.Select(h => Encoding.ASCII.GetString(h.Name.Span)).Should().Contain("x-custom");
        peer.Resumed.Should().Equal(0);
        peer.Resume(0);
        peer.Body(0).Should().Be("body");
        peer.Single<RequestBodyEnded>(0);
        // Section Acknowledgment for stream 0 on our decoder stream (RFC 9204 §4.4.1): 1 StreamId(7+) = 0x80.
        peer.Sent[Http3Connection.DecoderStreamId].Should().Equal(0x03, 0x80);
    }

    [Fact]
    public void BlockedTrailers_WithTheFinBehindThem_EndTheRequestWhenUnblocked()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 4096, QpackBlockedStreams = 4 });
        peer.OpenClientStreams();
        var encoderStream = new ArrayBufferWriter<byte>();
        var encoder = new TestDynamicEncoder(4096, encoderStream);
        var trailers = encoder.EncodeSection(Fields(("x-checksum", "42")));

        peer.Feed(0, [.. Request("POST", "/"), .. Data("abc"), .. HeadersFrame(trailers)], fin: true);
        peer.Body(0).Should().Be("abc");
        peer.Events.OfType<RequestBodyEnded>().Should().BeEmpty("the trailers wait for their insert");
        peer.HeldLength(0).Should().Be(0, "the FIN came with the blocked section and was taken");

        peer.Feed(ClientEncoderStream, encoderStream.WrittenSpan.ToArray());
        var ended = peer.Single<RequestBodyEnded>(0);
        Encoding.ASCII.GetString(ended.Trailers!.Single().Name.Span).Should().Be("x-checksum");
        peer.Resumed.Should().BeEmpty("nothing was left to feed");
    }

    [Fact]
    public void BlockedRequest_ResetByTheClient_IsCancelledOnTheDecoderStream()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 4096, QpackBlockedStreams = 4 });
        peer.OpenClientStreams();
        var encoder = new TestDynamicEncoder(4096, new ArrayBufferWriter<byte>());
        peer.Feed(4, HeadersFrame(encoder.EncodeSection(Fields((":method", "GET"), (":scheme", "https"), (":path", "/")))));

        peer.Server.ReceiveStreamReset(4, (long)Http3ErrorCode.RequestCancelled, peer.Now);
        peer.Drain();

        // Stream Cancellation (RFC 9204 §4.4.2): 01 StreamId(6+) = 0x44.
        peer.Sent[Http3Connection.DecoderStreamId].Should().Equal(0x03, 0x44);
        peer.Events.Should().BeEmpty();
        peer.Server.TrackedStreams.Should().Be(0);
    }

    [Fact]
    public void MoreBlockedStreamsThanAdvertised_IsDecompressionFailed()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 4096, QpackBlockedStreams = 1 });
        peer.OpenClientStreams();
        var encoder = new TestDynamicEncoder(4096, new ArrayBufferWriter<byte>());
        peer.Feed(0, HeadersFrame(encoder.EncodeSection(Fields((":method", "GET"), (":scheme", "https"), (":path", "/a")))));
        peer.Feed(4, HeadersFrame(encoder.EncodeSection(Fields((":method", "GET"), (":scheme", "https"), (":path", "/b")))));
        peer.ShouldBeClosedWith((long)QpackErrorCode.DecompressionFailed);
    }

    // ---- GOAWAY (RFC 9114 §5.2) ----

    [Fact]
    public void Shutdown_SendsTwoGoAways_ServesRequestsInFlight_RefusesLaterOnes_ThenCloses()
    {
        var options = new Http3ConnectionOptions { GoAwayGrace = TimeSpan.FromSeconds(1) };
        var peer = new Http3TestPeer(options);
        peer.Feed(0, Get(), fin: true);

        peer.Server.BeginShutdown(peer.Now, Unused);
        peer.Drain();
        peer.ControlFrames().Where(f => f.Type == Http3FrameType.GoAway).Select(f => ReadVarint(f.Payload)).Should().Equal(Http3Connection.MaxRequestStreamId);
        peer.Server.NextDeadline.Should().Be(peer.Now + TimeSpan.TicksPerSecond);

        // A request already on its way when the first GOAWAY left is still served.
        peer.Feed(4, Get(), fin: true);
        peer.Single<RequestReceived>(4);

        peer.Now += TimeSpan.TicksPerSecond;
        peer.Server.OnTimer(peer.Now, Unused);
        peer.Drain();
        peer.ControlFrames().Where(f => f.Type == Http3FrameType.GoAway).Select(f => ReadVarint(f.Payload)).Should().Equal(Http3Connection.MaxRequestStreamId, 8L);

        // One sent after the final GOAWAY is refused, safe to retry elsewhere (RFC 9114 §4.1.1).
        peer.Feed(8, Get(), fin: true);
        peer.Events.OfType<RequestReceived>().Should().NotContain(e => e.StreamId == 8);
        peer.ShouldHaveStreamError(8, Http3ErrorCode.RequestRejected);

        foreach (var id in new long[] { 0, 4 })
        {
            peer.Closed.Should().BeNull("requests are still in flight");
            peer.Server.SendCompleteResponse(id, 200, [], "ok"u8, peer.Now, Unused);
            peer.Server.HandlerCompleted(id, Unused);
            peer.Drain();
        }

        peer.ShouldBeClosedWith(Http3ErrorCode.NoError);
    }

    [Fact]
    public void MaxRequests_SendsTheFinalGoAwayAtOnce()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxRequests = 2 });
        peer.Feed(0, Get(), fin: true);
        peer.Feed(4, Get(), fin: true);
        peer.ControlFrames().Where(f => f.Type == Http3FrameType.GoAway).Select(f => ReadVarint(f.Payload)).Should().Equal(8L);
        peer.Feed(8, Get(), fin: true);
        peer.Resets.Should().Contain((8, (long)Http3ErrorCode.RequestRejected));
    }

    private static long ReadVarint(byte[] payload)
    {
        VariableLengthInteger.TryRead(payload, out var value, out _).Should().BeTrue();
        return value;
    }

    // ---- cancellation (RFC 9114 §4.1.1) ----

    [Fact]
    public void ClientReset_AbortsTheRequest_AndCancelsTheResponse()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("POST", "/"));
        peer.Server.StartResponse(0, 200, [], endStream: false, peer.Now, Unused);

        peer.Server.ReceiveStreamReset(0, (long)Http3ErrorCode.RequestCancelled, peer.Now);
        peer.Drain();

        peer.Single<StreamAborted>(0);
        peer.Resets.Should().Equal((0L, (long)Http3ErrorCode.RequestCancelled));
        peer.Server.HandlersRunning.Should().Be(1, "the handler keeps its slot until it returns (Q-10)");
        peer.Server.SendBody(0, "late"u8, endStream: true, peer.Now, Unused);
        peer.Server.HandlerCompleted(0, Unused);
        peer.Drain();
        peer.Server.HandlersRunning.Should().Be(0);
        peer.Server.TrackedStreams.Should().Be(0);
        peer.ResponseFrames(0).Should().HaveCount(1, "nothing is written after the cancellation");

        // Bytes still in flight on the stream are dropped.
        peer.Feed(0, Data("more"), fin: true);
        peer.Events.OfType<RequestBodyReceived>().Should().BeEmpty();
    }

    [Fact]
    public void ClientStopSending_AbortsTheRequest_AndStopsItsInput()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("POST", "/"));
        peer.Server.ReceiveStopSending(0, (long)Http3ErrorCode.RequestCancelled, peer.Now);
        peer.Drain();
        peer.Single<StreamAborted>(0);
        peer.StopSendings.Should().Equal((0L, (long)Http3ErrorCode.RequestCancelled));
        peer.Resets.Should().BeEmpty("QUIC already answered STOP_SENDING with RESET_STREAM (RFC 9000 §3.5)");
    }

    [Fact]
    public void ResponseCompleteBeforeTheRequest_ClientIsAskedToStop_OnceTheHandlerReturns()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/"), .. Data("part")]);
        peer.Server.SendCompleteResponse(0, 200, [], "done"u8, peer.Now, Unused);
        peer.Drain();
        peer.StopSendings.Should().BeEmpty("the handler may still read the body");
        peer.Feed(0, Data(" more"));
        peer.Body(0).Should().Be("part more");

        peer.Server.HandlerCompleted(0, Unused);
        peer.Drain();
        peer.StopSendings.Should().Equal((0L, (long)Http3ErrorCode.NoError));
        peer.Server.TrackedStreams.Should().Be(0);
    }

    // ---- floods (docs/security.md) ----

    [Fact]
    public void ResetFlood_ClosesWithExcessiveLoad()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { ResetBurst = 20, ResetRate = 1 });
        for (long id = 0; id < 4 * 20; id += 4)
        {
            peer.Feed(id, Get());
            peer.Server.ReceiveStreamReset(id, (long)Http3ErrorCode.RequestCancelled, peer.Now);
            peer.Server.HandlerCompleted(id, Unused);
            peer.Drain();
        }

        peer.Closed.Should().BeNull("twenty resets fit the bucket");
        peer.Server.ReceiveStopSending(80, (long)Http3ErrorCode.RequestCancelled, peer.Now);
        peer.Drain();
        peer.ShouldBeClosedWith(Http3ErrorCode.ExcessiveLoad);
    }

    [Fact]
    public void ResetStreams_KeepCountingWhileTheirHandlersRun_NewOnesAreRefused()
    {
        // Kestrel CVE-2023-38178: reset streams return their QUIC credit, the handlers still run.
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxConcurrentRequests = 3 });
        for (long id = 0; id < 12; id += 4)
        {
            peer.Feed(id, Get());
            peer.Server.ReceiveStreamReset(id, (long)Http3ErrorCode.RequestCancelled, peer.Now);
        }

        peer.Drain();
        peer.Server.HandlersRunning.Should().Be(3);
        peer.Feed(12, Get(), fin: true);
        peer.ShouldHaveStreamError(12, Http3ErrorCode.RequestRejected);
        peer.Events.OfType<RequestReceived>().Should().HaveCount(3);

        peer.Server.HandlerCompleted(0, Unused);
        peer.Feed(16, Get(), fin: true);
        peer.Single<RequestReceived>(16);
    }

    [Fact]
    public void UnknownUnidirectionalStream_IsStopped_AndItsDataDiscarded()
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        var grease = Varint(0x1f * 3 + 0x21);
        peer.Feed(14, [.. grease, .. new byte[5000]]);
        peer.Feed(14, new byte[5000], fin: true);

        peer.StopSendings.Should().Equal((14L, (long)Http3ErrorCode.StreamCreationError));
        peer.Server.DiscardedOctets.Should().Be(10_000);
        peer.Closed.Should().BeNull();
        peer.Feed(0, Get(), fin: true);
        peer.Single<RequestReceived>(0);
    }

    [Fact]
    public void UnknownUnidirectionalStreamFlood_ClosesWithExcessiveLoad()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { GlitchBurst = 10, GlitchRate = 1 });
        for (long i = 0; i < 10; i++) peer.Feed(14 + 4 * i, [0x21], fin: true);
        peer.Closed.Should().BeNull();
        peer.Feed(54, [0x21], fin: true);
        peer.ShouldBeClosedWith(Http3ErrorCode.ExcessiveLoad);
    }

    [Fact]
    public void UnknownFrameWithAHugeLength_IsSkippedWithoutBuffering()
    {
        var peer = new Http3TestPeer();
        var header = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(header, 0);
        Http3FrameWriter.WriteSettings(header, new Http3Settings());
        Http3FrameWriter.WriteFrameHeader(header, 0x21, VariableLengthInteger.MaxValue);
        peer.Feed(ClientControlStream, header.WrittenSpan.ToArray());
        var chunk = new byte[64 * 1024];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var consumed = 0L;
        for (var i = 0; i < 256; i++) consumed += peer.Server.ReceiveStreamData(ClientControlStream, chunk, fin: false, peer.Now);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        peer.Drain();

        consumed.Should().Be(256 * chunk.Length);
        peer.Closed.Should().BeNull();
        allocated.Should().BeLessThan(16 * 1024, "16 MiB of skipped payload is neither copied nor buffered");
        peer.Feed(0, [.. Get(), .. HugeUnknownFrameHeader()]);
        peer.Single<RequestReceived>(0);
        peer.Closed.Should().BeNull();
    }

    private static byte[] HugeUnknownFrameHeader()
    {
        var header = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteFrameHeader(header, 0x21, 1L << 40);
        return header.WrittenSpan.ToArray();
    }

    [Fact]
    public void UnknownFrameFlood_ClosesWithExcessiveLoad()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { GlitchBurst = 50, GlitchRate = 1 });
        var frames = Enumerable.Range(0, 50).SelectMany(_ => Frame(0x21, [])).ToArray();
        peer.Feed(ClientControlStream, [0x00, .. new ArrayBufferWriterWith(w => Http3FrameWriter.WriteSettings(w, new Http3Settings())).Bytes, .. frames]);
        peer.Closed.Should().BeNull("fifty unknown frames fit the budget");
        peer.Feed(0, [.. Get(), .. Frame(0x21, [])]);
        peer.ShouldBeClosedWith(Http3ErrorCode.ExcessiveLoad);
    }

    [Fact]
    public void QpackInsertLargerThanTheTable_IsRefusedFromItsLengthPrefix()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 256, QpackBlockedStreams = 1 });
        peer.OpenClientStreams();
        // Set capacity 256, then Insert With Literal Name whose name claims 1000 octets (RFC 9204 §4.3.3), none sent.
        peer.Feed(ClientEncoderStream, [0x3f, 0xe1, 0x01, 0x5f, 0xc9, 0x07]);
        peer.ShouldBeClosedWith((long)QpackErrorCode.EncoderStreamError);
    }

    private sealed class ArrayBufferWriterWith
    {
        public ArrayBufferWriterWith(Action<ArrayBufferWriter<byte>> write)
        {
            var writer = new ArrayBufferWriter<byte>();
            write(writer);
            Bytes = writer.WrittenSpan.ToArray();
        }

        public byte[] Bytes { get; }
    }
}
