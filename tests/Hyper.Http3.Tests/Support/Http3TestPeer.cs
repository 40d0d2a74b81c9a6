using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;

namespace Hyper.Http3.Tests.Support;

/// <summary>
/// Plays the QUIC side and the client for one <see cref="Http3Connection"/>: feeds client stream bytes (holding what
/// the connection leaves unconsumed, as the transport glue does), collects every action and event, and builds and
/// parses the frames a client sends and receives.
/// </summary>
internal sealed class Http3TestPeer
{
    public const long ClientControlStream = 2;
    public const long ClientEncoderStream = 6;
    public const long ClientDecoderStream = 10;

    private readonly Dictionary<long, byte[]> _held = [];
    private readonly Dictionary<long, bool> _heldFin = [];

    public Http3TestPeer(Http3ConnectionOptions? options = null, bool establish = true)
    {
        Server = new Http3Connection(options ?? new Http3ConnectionOptions(), new ConnectionInfo(null, null, IsTls: true, "h3"));
        if (establish)
        {
            Server.ConnectionEstablished(Now);
            Drain();
        }
    }

    public Http3Connection Server { get; }

    /// <summary>MonotonicTime ticks.</summary>
    public long Now { get; set; } = 10 * TimeSpan.TicksPerSecond;

    public List<ProtocolEvent> Events { get; } = [];

    public Dictionary<long, List<byte>> Sent { get; } = [];

    public HashSet<long> Finished { get; } = [];

    public List<(long StreamId, long Code)> Resets { get; } = [];

    public List<(long StreamId, long Code)> StopSendings { get; } = [];

    public List<long> Resumed { get; } = [];

    public CloseQuicConnection? Closed { get; private set; }

    /// <summary>Opens the client's control stream with SETTINGS, and its QPACK streams.</summary>
    public void OpenClientStreams(Http3Settings? settings = null)
    {
        var control = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(control, Http3UnidirectionalStreamType.Control);
        Http3FrameWriter.WriteSettings(control, settings ?? new Http3Settings());
        Feed(ClientControlStream, control.WrittenSpan.ToArray());
        Feed(ClientEncoderStream, [(byte)Http3UnidirectionalStreamType.QpackEncoder]);
        Feed(ClientDecoderStream, [(byte)Http3UnidirectionalStreamType.QpackDecoder]);
    }

    /// <summary>Feeds bytes as the transport would: with what the connection left unconsumed before them.</summary>
    public void Feed(long streamId, byte[] data, bool fin = false)
    {
        var all = _held.TryGetValue(streamId, out var held) ? [.. held, .. data] : data;
        var consumed = Server.ReceiveStreamData(streamId, all, fin, Now);
        consumed.Should().BeInRange(0, all.Length);
        if (consumed < all.Length)
        {
            _held[streamId] = all[consumed..];
            _heldFin[streamId] = fin;
        }
        else
        {
            _held.Remove(streamId);
            _heldFin.Remove(streamId);
        }

        Drain();
    }

    /// <summary>Bytes the connection has not consumed on the stream (the transport keeps them).</summary>
    public int HeldLength(long streamId) => _held.TryGetValue(streamId, out var held) ? held.Length : 0;

    /// <summary>Feeds the held bytes again, as the transport does on ResumeStreamInput.</summary>
    public void Resume(long streamId)
    {
        if (!_held.TryGetValue(streamId, out var held)) return;
        var fin = _heldFin[streamId];
        _held.Remove(streamId);
        Feed(streamId, held, fin);
    }

    /// <summary>Feeds <paramref name="data"/> in the given pieces; the FIN rides on the last.</summary>
    public void FeedPieces(long streamId, byte[] data, IEnumerable<int> cuts, bool fin)
    {
        var start = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            Feed(streamId, data[start..cut], fin && cut == data.Length);
            start = cut;
        }
    }

    public void Drain()
    {
        while (Server.TryDequeueEvent(out var e)) Events.Add(e!);
        while (Server.TryDequeueStreamAction(out var action))
        {
            switch (action)
            {
                case SendStreamData send:
                    if (!Sent.TryGetValue(send.StreamId, out var list)) Sent[send.StreamId] = list = [];
                    Finished.Contains(send.StreamId).Should().BeFalse("nothing is sent after a FIN");
                    list.AddRange(send.Data.ToArray());
                    if (send.Fin) Finished.Add(send.StreamId);
                    break;
                case ResetSendingStream reset:
                    Resets.Add((reset.StreamId, reset.ErrorCode));
                    break;
                case StopReceivingStream stop:
                    StopSendings.Add((stop.StreamId, stop.ErrorCode));
                    break;
                case ResumeStreamInput resume:
                    Resumed.Add(resume.StreamId);
                    break;
                case CloseQuicConnection close:
                    Closed.Should().BeNull("the connection closes once");
                    Closed = close;
                    break;
            }
        }
    }

    public T Single<T>(long streamId) where T : ProtocolEvent => Events.OfType<T>().Single(e => e.StreamId == streamId);

    public void ShouldBeClosedWith(Http3ErrorCode code) => ShouldBeClosedWith((long)code);

    public void ShouldBeClosedWith(long code)
    {
        Closed.Should().NotBeNull(Server.LastStreamError);
        Closed!.ErrorCode.Should().Be(code, Closed.Reason);
        Server.ShouldClose.Should().BeTrue();
    }

    public void ShouldHaveStreamError(long streamId, Http3ErrorCode code)
    {
        Closed.Should().BeNull(Closed?.Reason);
        Resets.Should().Contain((streamId, (long)code), Server.LastStreamError);
        StopSendings.Should().Contain((streamId, (long)code));
    }

    // ---- frames a client sends ----

    public static byte[] Headers(params (string Name, string Value)[] fields)
    {
        var section = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(section);
        foreach (var (name, value) in fields) QpackEncoder.WriteFieldLine(section, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        return HeadersFrame(section.WrittenSpan);
    }

    public static byte[] HeadersFrame(ReadOnlySpan<byte> section)
    {
        var frame = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteHeaders(frame, section);
        return frame.WrittenSpan.ToArray();
    }

    public static byte[] Get(string path = "/", params (string, string)[] extra) =>
        Headers([(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", path), .. extra]);

    public static byte[] Request(string method, string path, params (string, string)[] extra) =>
        Headers([(":method", method), (":scheme", "https"), (":authority", "example.com"), (":path", path), .. extra]);

    public static byte[] Data(byte[] payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteDataHeader(frame, payload.Length);
        frame.Write(payload);
        return frame.WrittenSpan.ToArray();
    }

    public static byte[] Data(string text) => Data(Encoding.ASCII.GetBytes(text));

    public static byte[] Frame(long type, byte[] payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteFrameHeader(frame, type, payload.Length);
        frame.Write(payload);
        return frame.WrittenSpan.ToArray();
    }

    public static byte[] Varint(long value)
    {
        var bytes = new byte[VariableLengthInteger.GetLength(value)];
        VariableLengthInteger.Write(value, bytes);
        return bytes;
    }

    // ---- frames the server sent ----

    /// <summary>The frames on a server stream: ("HEADERS", decoded lines) or ("DATA", text) in order.</summary>
    public List<(string Kind, string Content)> ResponseFrames(long streamId)
    {
        var frames = new List<(string, string)>();
        if (!Sent.TryGetValue(streamId, out var bytes)) return frames;
        ReadOnlySpan<byte> data = bytes.ToArray();
        while (!data.IsEmpty)
        {
            VariableLengthInteger.TryRead(data, out var type, out var typeLength).Should().BeTrue();
            VariableLengthInteger.TryRead(data[typeLength..], out var length, out var lengthLength).Should().BeTrue();
            var payload = data.Slice(typeLength + lengthLength, (int)length);
            data = data[(typeLength + lengthLength + (int)length)..];
            if (type == Http3FrameType.Headers)
            {
                var sink = new RecordingSink();
                new QpackDecoder(new QpackDecoderOptions()).DecodeFieldSection(streamId, payload, sink).Should().Be(FieldSectionStatus.Decoded);
                frames.Add(("HEADERS", string.Join(" ", sink.Lines)));
            }
            else
            {
                frames.Add((type == Http3FrameType.Data ? "DATA" : $"0x{type:x}", Encoding.ASCII.GetString(payload)));
            }
        }

        return frames;
    }

    /// <summary>The control stream's frames after its type octet.</summary>
    public List<(long Type, byte[] Payload)> ControlFrames()
    {
        var frames = new List<(long, byte[])>();
        ReadOnlySpan<byte> data = Sent[Http3Connection.ControlStreamId].ToArray();
        data[0].Should().Be(0x00);
        data = data[1..];
        while (!data.IsEmpty)
        {
            VariableLengthInteger.TryRead(data, out var type, out var typeLength);
            VariableLengthInteger.TryRead(data[typeLength..], out var length, out var lengthLength);
            frames.Add((type, data.Slice(typeLength + lengthLength, (int)length).ToArray()));
            data = data[(typeLength + lengthLength + (int)length)..];
        }

        return frames;
    }

    public static string Text(RequestBodyReceived body) => Encoding.ASCII.GetString(body.Data.ToArray());

    public string Body(long streamId) => string.Concat(Events.OfType<RequestBodyReceived>().Where(e => e.StreamId == streamId).Select(Text));
}
