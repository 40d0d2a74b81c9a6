using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http3;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;
using Hyper.Quic.Frames;
using Hyper.Quic.Tests.Connection;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Http3;

/// <summary>
/// HTTP/3 end to end in memory: the managed test client speaks HTTP/3 over QUIC packets to a real
/// <see cref="QuicConnection"/>, whose streams drive an <see cref="Http3Connection"/> (glue: <see cref="Http3OverQuic"/>).
/// </summary>
public sealed class Http3OverQuicTests
{
    private static (QuicTestNetwork Network, Http3OverQuic Glue) Established(Http3ConnectionOptions? options = null)
    {
        var network = new QuicTestNetwork();
        var glue = new Http3OverQuic(network, options);
        network.Start();
        glue.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();

        // The client's control stream with SETTINGS, and its QPACK streams (RFC 9114 §6.2.1).
        var control = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(control, Http3UnidirectionalStreamType.Control);
        Http3FrameWriter.WriteSettings(control, new Http3Settings { MaxFieldSectionSize = 16384 });
        network.Client.SendStream(2, control.WrittenSpan, fin: false);
        network.Client.SendStream(6, [(byte)Http3UnidirectionalStreamType.QpackEncoder], fin: false);
        network.Client.SendStream(10, [(byte)Http3UnidirectionalStreamType.QpackDecoder], fin: false);
        glue.RunUntil(() => glue.Http3.PeerSettings is not null).Should().BeTrue();
        return (network, glue);
    }

    private static byte[] Request(string method, string path, byte[]? body = null, (string, string)[]? trailers = null, params (string, string)[] extra)
    {
        var frames = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteHeaders(frames, Section([(":method", method), (":scheme", "https"), (":authority", "localhost"), (":path", path), .. extra]));
        if (body is not null)
        {
            // Two DATA frames, so the body crosses a frame boundary and, at this size, QUIC packets.
            var half = body.Length / 2;
            Http3FrameWriter.WriteDataHeader(frames, half);
            frames.Write(body.AsSpan(0, half));
            Http3FrameWriter.WriteDataHeader(frames, body.Length - half);
            frames.Write(body.AsSpan(half));
        }

        if (trailers is not null) Http3FrameWriter.WriteHeaders(frames, Section(trailers));
        return frames.WrittenSpan.ToArray();
    }

    private static byte[] Section(IEnumerable<(string Name, string Value)> fields)
    {
        var section = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(section);
        foreach (var (name, value) in fields) QpackEncoder.WriteFieldLine(section, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        return section.WrittenSpan.ToArray();
    }

    /// <summary>The response on a client stream: each HEADERS decoded ("name=value" lines), and the DATA concatenated.</summary>
    private static (List<string> Headers, byte[] Body) Response(QuicTestNetwork network, ulong streamId)
    {
        var headers = new List<string>();
        var body = new List<byte>();
        ReadOnlySpan<byte> data = network.Client.Streams[streamId].Data;
        var decoder = new QpackDecoder(new QpackDecoderOptions());
        while (!data.IsEmpty)
        {
            VariableLengthInteger.TryRead(data, out var type, out var typeLength).Should().BeTrue();
            VariableLengthInteger.TryRead(data[typeLength..], out var length, out var lengthLength).Should().BeTrue();
            var payload = data.Slice(typeLength + lengthLength, (int)length);
            data = data[(typeLength + lengthLength + (int)length)..];
            if (type == Http3FrameType.Headers)
            {
                var sink = new LineSink();
                decoder.DecodeFieldSection((long)streamId, payload, sink).Should().Be(FieldSectionStatus.Decoded);
                headers.Add(string.Join(" ", sink.Lines));
            }
            else if (type == Http3FrameType.Data)
            {
                body.AddRange(payload);
            }
        }

        return (headers, body.ToArray());
    }

    private static bool Complete(QuicTestNetwork network, ulong streamId) => network.Client.Streams.TryGetValue(streamId, out var s) && s.IsComplete;

    [Fact]
    public void Get_IsServedOverQuic()
    {
        var (network, glue) = Established();
        using var _ = network;
        glue.Application = (head, _) => (200, Encoding.ASCII.GetBytes($"{head.Method} {Encoding.ASCII.GetString(head.RawPath.Span)} over HTTP/{head.HttpVersion}"), null);

        network.Client.SendStream(0, Request("GET", "/hello"), fin: true);
        glue.RunUntil(() => Complete(network, 0)).Should().BeTrue();

        var (headers, body) = Response(network, 0);
        headers.Should().Equal(":status=200 content-length=22");
        Encoding.ASCII.GetString(body).Should().Be("GET /hello over HTTP/3");
        // The server opened its control stream with SETTINGS and its two QPACK streams (RFC 9114 §6.2).
        network.Client.Streams[3].Data[0].Should().Be(0x00);
        network.Client.Streams[7].Data.Should().Equal(0x02);
        network.Client.Streams[11].Data.Should().Equal(0x03);
        network.Client.CloseReceived.Should().BeNull();
    }

    [Fact]
    public void PostWithALargeBody_IsEchoed()
    {
        var (network, glue) = Established();
        using var _ = network;
        // Within the server's 256 KiB stream window: the test client does not follow flow control.
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);

        network.Client.SendStream(0, Request("POST", "/echo", payload, extra: ("content-length", payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))), fin: true);
        glue.RunUntil(() => Complete(network, 0)).Should().BeTrue();

        var (headers, body) = Response(network, 0);
        headers.Should().Equal(":status=200 content-length=200000");
        body.Should().Equal(payload);
        glue.Events.OfType<RequestBodyEnded>().Should().ContainSingle();
    }

    [Fact]
    public void Trailers_GoBothWays()
    {
        var (network, glue) = Established();
        using var _ = network;
        glue.Application = (_, body) => (200, body, [("x-sum", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        network.Client.SendStream(0, Request("POST", "/t", "abcdef"u8.ToArray(), trailers: [("x-client", "done")]), fin: true);
        glue.RunUntil(() => Complete(network, 0)).Should().BeTrue();

        var ended = glue.Events.OfType<RequestBodyEnded>().Single();
        ended.Trailers!.Select(t => Encoding.ASCII.GetString(t.Name.Span) + "=" + Encoding.ASCII.GetString(t.Value.Span)).Should().Equal("x-client=done");
        var (headers, body) = Response(network, 0);
        headers.Should().Equal(":status=200", "x-sum=6");
        Encoding.ASCII.GetString(body).Should().Be("abcdef");
    }

    [Fact]
    public void ClientReset_CancelsTheRequest_AndTheConnectionServesTheNextOne()
    {
        var (network, glue) = Established();
        using var _ = network;
        glue.HoldRequests = true;

        var sent = Request("POST", "/slow");
        network.Client.SendStream(0, sent, fin: false);
        glue.RunUntil(() => glue.Events.OfType<RequestReceived>().Any()).Should().BeTrue();
        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWriteResetStream(0, (ulong)Http3ErrorCode.RequestCancelled, (ulong)sent.Length));
        glue.RunUntil(() => glue.Events.OfType<StreamAborted>().Any()).Should().BeTrue();
        glue.RunUntil(() => network.Client.ResetsReceived.Count > 0).Should().BeTrue();

        network.Client.ResetsReceived.Should().Contain(r => r.StreamId == 0 && r.ErrorCode == (ulong)Http3ErrorCode.RequestCancelled);

        glue.HoldRequests = false;
        network.Client.SendStream(4, Request("GET", "/next"), fin: true);
        glue.RunUntil(() => Complete(network, 4)).Should().BeTrue();
        Response(network, 4).Headers.Should().Equal(":status=200 content-length=0");
        network.Client.CloseReceived.Should().BeNull();
    }

    [Fact]
    public void ProtocolError_ClosesTheQuicConnectionWithItsH3Code()
    {
        var (network, glue) = Established();
        using var _ = network;

        // DATA before HEADERS on a request stream: H3_FRAME_UNEXPECTED (RFC 9114 §4.1).
        network.Client.SendStream(0, [0x00, 0x01, 0x61], fin: true);
        glue.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();

        network.Client.CloseReceived!.Value.IsApplication.Should().BeTrue();
        network.Client.CloseReceived.Value.ErrorCode.Should().Be((ulong)Http3ErrorCode.FrameUnexpected);
    }

    private sealed class LineSink : IFieldLineSink
    {
        public List<string> Lines { get; } = [];

        public void OnFieldLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
            Lines.Add(Encoding.ASCII.GetString(name) + "=" + Encoding.ASCII.GetString(value));
    }
}
