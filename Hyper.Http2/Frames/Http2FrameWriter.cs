using System.Buffers;
using System.Buffers.Binary;

namespace Hyper.Http2.Frames;

/// <summary>
/// Writes frames (RFC 9113 §6) into an <see cref="IBufferWriter{T}"/>. Used by the server and, in tests and the
/// conformance suite, to play the client. Callers have checked sizes against the peer's limits.
/// </summary>
public static class Http2FrameWriter
{
    public static void WriteHeader(IBufferWriter<byte> output, int length, Http2FrameType type, Http2FrameFlags flags, int streamId)
    {
        var span = output.GetSpan(Http2FrameHeader.Size);
        new Http2FrameHeader(length, type, flags, streamId).Write(span);
        output.Advance(Http2FrameHeader.Size);
    }

    /// <summary>A frame with an arbitrary payload (any type, including invalid combinations for tests).</summary>
    public static void WriteFrame(IBufferWriter<byte> output, Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        WriteHeader(output, payload.Length, type, flags, streamId);
        output.Write(payload);
    }

    /// <summary>DATA (§6.1), unpadded.</summary>
    public static void WriteData(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> data, bool endStream) =>
        WriteFrame(output, Http2FrameType.Data, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, streamId, data);

    /// <summary>
    /// A header block as HEADERS (§6.2) followed by as many CONTINUATION frames (§6.10) as
    /// <paramref name="maxFrameSize"/> requires; END_HEADERS on the last.
    /// </summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> block, bool endStream, int maxFrameSize,
        Http2FrameType firstType = Http2FrameType.Headers, ReadOnlySpan<byte> firstPrefix = default)
    {
        var first = Math.Min(block.Length, maxFrameSize - firstPrefix.Length);
        var flags = endStream && firstType == Http2FrameType.Headers ? Http2FrameFlags.EndStream : Http2FrameFlags.None;
        if (first == block.Length) flags |= Http2FrameFlags.EndHeaders;
        WriteHeader(output, firstPrefix.Length + first, firstType, flags, streamId);
        output.Write(firstPrefix);
        output.Write(block[..first]);
        var rest = block[first..];
        while (!rest.IsEmpty)
        {
            var size = Math.Min(rest.Length, maxFrameSize);
            var last = size == rest.Length;
            WriteFrame(output, Http2FrameType.Continuation, last ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None, streamId, rest[..size]);
            rest = rest[size..];
        }
    }

    /// <summary>PUSH_PROMISE (§6.6) carrying <paramref name="promisedStreamId"/>, split like HEADERS.</summary>
    public static void WritePushPromise(IBufferWriter<byte> output, int streamId, int promisedStreamId, ReadOnlySpan<byte> block, int maxFrameSize)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)promisedStreamId);
        WriteHeaders(output, streamId, block, endStream: false, maxFrameSize, Http2FrameType.PushPromise, prefix);
    }

    /// <summary>RST_STREAM (§6.4).</summary>
    public static void WriteRstStream(IBufferWriter<byte> output, int streamId, Http2ErrorCode code)
    {
        WriteHeader(output, 4, Http2FrameType.RstStream, Http2FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)code);
        output.Advance(4);
    }

    /// <summary>SETTINGS (§6.5) with the given parameters.</summary>
    public static void WriteSettings(IBufferWriter<byte> output, ReadOnlySpan<(Http2SettingsParameter Id, uint Value)> settings)
    {
        WriteHeader(output, settings.Length * 6, Http2FrameType.Settings, Http2FrameFlags.None, 0);
        foreach (var (id, value) in settings)
        {
            var span = output.GetSpan(6);
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)id);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], value);
            output.Advance(6);
        }
    }

    /// <summary>SETTINGS with ACK (§6.5.3).</summary>
    public static void WriteSettingsAck(IBufferWriter<byte> output) =>
        WriteHeader(output, 0, Http2FrameType.Settings, Http2FrameFlags.Ack, 0);

    /// <summary>PING (§6.7), or its ACK carrying the same opaque data.</summary>
    public static void WritePing(IBufferWriter<byte> output, ulong opaqueData, bool ack)
    {
        WriteHeader(output, 8, Http2FrameType.Ping, ack ? Http2FrameFlags.Ack : Http2FrameFlags.None, 0);
        BinaryPrimitives.WriteUInt64BigEndian(output.GetSpan(8), opaqueData);
        output.Advance(8);
    }

    /// <summary>GOAWAY (§6.8) without debug data.</summary>
    public static void WriteGoAway(IBufferWriter<byte> output, int lastStreamId, Http2ErrorCode code)
    {
        WriteHeader(output, 8, Http2FrameType.GoAway, Http2FrameFlags.None, 0);
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)lastStreamId & 0x7FFF_FFFF);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)code);
        output.Advance(8);
    }

    /// <summary>WINDOW_UPDATE (§6.9) for a stream, or the connection when <paramref name="streamId"/> is 0.</summary>
    public static void WriteWindowUpdate(IBufferWriter<byte> output, int streamId, int increment)
    {
        WriteHeader(output, 4, Http2FrameType.WindowUpdate, Http2FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)increment & 0x7FFF_FFFF);
        output.Advance(4);
    }
}
