using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Hyper.Http2.Frames;
using Hyper.Http2.Hpack;

namespace Hyper.Conformance.Http2.Client;

/// <summary>
/// The client half of HTTP/2 for tests and the conformance suite: builds the frames a client (well-behaved or
/// not) sends, with its own HPACK encoder, and parses what a server sends back, with its own HPACK decoder.
/// Transport-agnostic: bytes in, frames out, so the same codec drives an in-memory connection or a socket.
/// </summary>
public sealed class Http2ClientCodec
{
    private readonly HpackEncoder _encoder = new();
    private readonly HpackDecoder _decoder = new(4096, 1024 * 1024, 10_000);
    private readonly List<byte> _inbound = [];
    private readonly List<byte> _block = [];
    private (Http2FrameType Type, Http2FrameFlags Flags, int StreamId)? _blockStart;

    public static byte[] Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>The preface plus an empty SETTINGS: what a client sends first.</summary>
    public static byte[] Hello() => [.. Preface, .. Settings()];

    public static byte[] Frame(Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteFrame(output, type, flags, streamId, payload);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Settings(params (Http2SettingsParameter Id, uint Value)[] settings)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteSettings(output, settings);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] SettingsAck() => Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, []);

    public static byte[] Ping(ulong data, bool ack = false)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WritePing(output, data, ack);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Data(int streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteData(output, streamId, data, endStream);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Data(int streamId, string text, bool endStream) => Data(streamId, Encoding.UTF8.GetBytes(text), endStream);

    public static byte[] RstStream(int streamId, Http2ErrorCode code)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteRstStream(output, streamId, code);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] WindowUpdate(int streamId, int increment)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteWindowUpdate(output, streamId, increment);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] GoAway(int lastStreamId, Http2ErrorCode code)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteGoAway(output, lastStreamId, code);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Priority(int streamId, int dependency, byte weight = 15, bool exclusive = false)
    {
        Span<byte> payload = stackalloc byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)dependency | (exclusive ? 0x8000_0000u : 0));
        payload[4] = weight;
        return Frame(Http2FrameType.Priority, Http2FrameFlags.None, streamId, payload);
    }

    /// <summary>An HPACK header block for these fields (names as given: tests send upper case on purpose).</summary>
    public byte[] EncodeBlock(IEnumerable<(string Name, string Value)> fields)
    {
        var output = new ArrayBufferWriter<byte>();
        _encoder.BeginBlock(output);
        foreach (var (name, value) in fields)
            _encoder.Encode(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value), sensitive: false, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The pseudo-headers of a GET (or <paramref name="method"/>) for <paramref name="path"/>, plus extra fields.</summary>
    public static List<(string, string)> Request(string path = "/", string method = "GET", string authority = "localhost", params (string, string)[] extra)
    {
        var fields = new List<(string, string)> { (":method", method), (":scheme", "http"), (":path", path), (":authority", authority) };
        fields.AddRange(extra);
        return fields;
    }

    /// <summary>HEADERS with END_HEADERS (and END_STREAM when asked), as one frame.</summary>
    public byte[] Headers(int streamId, IEnumerable<(string Name, string Value)> fields, bool endStream = true) =>
        Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | (endStream ? Http2FrameFlags.EndStream : 0), streamId, EncodeBlock(fields));

    /// <summary>Parses server bytes (any split); returns the frames completed by them.</summary>
    public List<ReceivedFrame> Read(ReadOnlySpan<byte> bytes)
    {
        _inbound.AddRange(bytes.ToArray());
        var frames = new List<ReceivedFrame>();
        var buffer = _inbound.ToArray();
        var at = 0;
        while (buffer.Length - at >= Http2FrameHeader.Size)
        {
            var header = Http2FrameHeader.Read(buffer.AsSpan(at));
            if (buffer.Length - at - Http2FrameHeader.Size < header.Length) break;
            var payload = buffer.AsSpan(at + Http2FrameHeader.Size, header.Length).ToArray();
            at += Http2FrameHeader.Size + header.Length;
            if (ToFrame(header, payload) is { } frame) frames.Add(frame);
        }
        _inbound.RemoveRange(0, at);
        return frames;
    }

    private ReceivedFrame? ToFrame(Http2FrameHeader header, byte[] payload)
    {
        switch (header.Type)
        {
            case Http2FrameType.Headers or Http2FrameType.PushPromise:
                _blockStart = (header.Type, header.Flags, header.StreamId);
                _block.Clear();
                var fragment = payload.AsSpan();
                if (header.Has(Http2FrameFlags.Padded)) fragment = fragment[1..^payload[0]];
                if (header.Type == Http2FrameType.Headers && header.Has(Http2FrameFlags.Priority)) fragment = fragment[5..];
                if (header.Type == Http2FrameType.PushPromise) fragment = fragment[4..];
                _block.AddRange(fragment.ToArray());
                return header.Has(Http2FrameFlags.EndHeaders) ? CompleteBlock(payload) : null;
            case Http2FrameType.Continuation:
                _block.AddRange(payload);
                return header.Has(Http2FrameFlags.EndHeaders) ? CompleteBlock(payload) : null;
            case Http2FrameType.RstStream:
                return new ReceivedFrame(header.Type, header.Flags, header.StreamId, payload)
                {
                    ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload),
                };
            case Http2FrameType.GoAway:
                return new ReceivedFrame(header.Type, header.Flags, header.StreamId, payload)
                {
                    LastStreamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF),
                    ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4)),
                };
            default:
                return new ReceivedFrame(header.Type, header.Flags, header.StreamId, payload);
        }
    }

    private ReceivedFrame CompleteBlock(byte[] lastPayload)
    {
        var (type, flags, streamId) = _blockStart!.Value;
        var sink = new FieldList();
        _decoder.Decode(_block.ToArray(), sink);
        _blockStart = null;
        return new ReceivedFrame(type, flags | Http2FrameFlags.EndHeaders, streamId, lastPayload) { Headers = sink.Fields };
    }

    private sealed class FieldList : IHeaderSink
    {
        public List<(string Name, string Value)> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
            Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
