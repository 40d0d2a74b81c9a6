using System.Buffers.Binary;
using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// What a case's steps build their bytes from: the connection's client codec (one HPACK encoder per connection,
/// so dynamic-table state follows the wire) and the SETTINGS the server sent in its preface.
/// </summary>
public sealed class H2SpecContext(Http2ClientCodec codec, IReadOnlyDictionary<Http2SettingsParameter, uint> serverSettings, string authority)
{
    /// <summary>h2spec's dummy header value length (its <c>--max-header-length</c> default).</summary>
    public const int DummyValueLength = 4000;

    public Http2ClientCodec Codec => codec;

    public IReadOnlyDictionary<Http2SettingsParameter, uint> ServerSettings => serverSettings;

    /// <summary>The server's SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2 default 2^14 when absent).</summary>
    public int MaxFrameSize => serverSettings.TryGetValue(Http2SettingsParameter.MaxFrameSize, out var v) ? (int)v : 16_384;

    /// <summary>The server's SETTINGS_MAX_CONCURRENT_STREAMS; null means unlimited.</summary>
    public uint? MaxConcurrentStreams => serverSettings.TryGetValue(Http2SettingsParameter.MaxConcurrentStreams, out var v) ? v : null;

    /// <summary>The server's SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2 default 4096 when absent).</summary>
    public uint HeaderTableSize => serverSettings.TryGetValue(Http2SettingsParameter.HeaderTableSize, out var v) ? v : 4096;

    /// <summary>h2spec's common request: <c>:method</c>, <c>:scheme</c>, <c>:path</c>, <c>:authority</c> in that order.</summary>
    public List<(string Name, string Value)> CommonHeaders(string method = "GET") =>
        [(":method", method), (":scheme", "http"), (":path", "/"), (":authority", authority)];

    /// <summary>h2spec's filler fields <c>x-dummyN</c>, each <see cref="DummyValueLength"/> bytes long.</summary>
    public static List<(string Name, string Value)> DummyHeaders(int count) =>
        Enumerable.Range(0, count).Select(i => ($"x-dummy{i}", new string('x', DummyValueLength))).ToList();

    public byte[] Block(IEnumerable<(string Name, string Value)> fields) => codec.EncodeBlock(fields);

    /// <summary>HEADERS carrying <paramref name="fields"/>, encoded when called.</summary>
    public byte[] Headers(int streamId, IEnumerable<(string Name, string Value)> fields, bool endStream = true, bool endHeaders = true) =>
        HeadersFrame(streamId, Block(fields), endStream, endHeaders);

    /// <summary>HEADERS around a ready block, optionally padded (§6.2 Pad Length) or with priority fields.</summary>
    public static byte[] HeadersFrame(int streamId, byte[] block, bool endStream, bool endHeaders, int padding = -1,
        (int Dependency, byte Weight, bool Exclusive)? priority = null)
    {
        var flags = (endStream ? Http2FrameFlags.EndStream : 0) | (endHeaders ? Http2FrameFlags.EndHeaders : 0);
        var payload = new List<byte>();
        if (padding >= 0)
        {
            flags |= Http2FrameFlags.Padded;
            payload.Add((byte)padding);
        }
        if (priority is { } p)
        {
            flags |= Http2FrameFlags.Priority;
            payload.AddRange(PriorityFields(p.Dependency, p.Weight, p.Exclusive));
        }
        payload.AddRange(block);
        if (padding > 0) payload.AddRange(new byte[padding]);
        return Http2ClientCodec.Frame(Http2FrameType.Headers, flags, streamId, payload.ToArray());
    }

    public byte[] Continuation(int streamId, IEnumerable<(string Name, string Value)> fields, bool endHeaders) =>
        Http2ClientCodec.Frame(Http2FrameType.Continuation, endHeaders ? Http2FrameFlags.EndHeaders : 0, streamId, Block(fields));

    /// <summary>DATA with a Pad Length and <paramref name="padding"/> zero octets (§6.1).</summary>
    public static byte[] PaddedData(int streamId, byte[] data, int padding, bool endStream) =>
        Http2ClientCodec.Frame(Http2FrameType.Data, Http2FrameFlags.Padded | (endStream ? Http2FrameFlags.EndStream : 0), streamId,
            [(byte)padding, .. data, .. new byte[padding]]);

    /// <summary>PRIORITY with a dependency, weight (wire value) and exclusive bit (§6.3).</summary>
    public static byte[] Priority(int streamId, int dependency, byte weight, bool exclusive = false) =>
        Http2ClientCodec.Frame(Http2FrameType.Priority, 0, streamId, PriorityFields(dependency, weight, exclusive));

    public static byte[] PriorityFields(int dependency, byte weight, bool exclusive)
    {
        var fields = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(fields, (uint)dependency | (exclusive ? 0x8000_0000u : 0));
        fields[4] = weight;
        return fields;
    }

    /// <summary>A PING with an 8-octet payload given as text (h2spec writes its payloads as ASCII).</summary>
    public static byte[] Ping(string payload, bool ack = false) =>
        Http2ClientCodec.Frame(Http2FrameType.Ping, ack ? Http2FrameFlags.Ack : 0, 0, PingPayload(payload));

    public static byte[] PingPayload(string payload) => System.Text.Encoding.ASCII.GetBytes(payload.PadRight(8, '\0')[..8]);

    /// <summary>
    /// A frame written octet by octet: any length, type, flags, and a 32-bit stream word whose top (reserved) bit
    /// may be set. For the malformed frames the typed builders refuse to make.
    /// </summary>
    public static byte[] RawFrame(int length, byte type, byte flags, uint streamWord, params byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), streamWord);
        payload.CopyTo(frame, 9);
        return frame;
    }

    /// <summary>RFC 7541 §5.1 integer with an N-bit prefix, the first octet's high bits set to <paramref name="pattern"/>.</summary>
    public static byte[] HpackInteger(ulong value, int prefixBits, byte pattern)
    {
        var max = (1UL << prefixBits) - 1;
        if (value < max) return [(byte)(pattern | (byte)value)];
        var bytes = new List<byte> { (byte)(pattern | (byte)max) };
        value -= max;
        for (; value >= 128; value >>= 7) bytes.Add((byte)(0x80 | (value & 0x7F)));
        bytes.Add((byte)value);
        return bytes.ToArray();
    }
}
