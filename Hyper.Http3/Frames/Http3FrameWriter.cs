using System.Buffers;

namespace Hyper.Http3.Frames;

/// <summary>Writes HTTP/3 frames (RFC 9114 §7.2) and unidirectional stream type prefixes (§6.2).</summary>
public static class Http3FrameWriter
{
    /// <summary>Writes a frame header: type and payload length. Returns the octets written.</summary>
    public static int WriteFrameHeader(IBufferWriter<byte> output, long type, long payloadLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(2 * VariableLengthInteger.MaxLength);
        var length = VariableLengthInteger.Write(type, span);
        length += VariableLengthInteger.Write(payloadLength, span[length..]);
        output.Advance(length);
        return length;
    }

    /// <summary>Writes a DATA frame header; the caller writes the <paramref name="payloadLength"/> octets after it.</summary>
    public static int WriteDataHeader(IBufferWriter<byte> output, long payloadLength) => WriteFrameHeader(output, Http3FrameType.Data, payloadLength);

    /// <summary>Writes a HEADERS frame carrying an encoded field section.</summary>
    public static int WriteHeaders(IBufferWriter<byte> output, ReadOnlySpan<byte> encodedFieldSection)
    {
        var length = WriteFrameHeader(output, Http3FrameType.Headers, encodedFieldSection.Length);
        output.Write(encodedFieldSection);
        return length + encodedFieldSection.Length;
    }

    /// <summary>Writes a SETTINGS frame (RFC 9114 §7.2.4).</summary>
    public static int WriteSettings(IBufferWriter<byte> output, Http3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var length = WriteFrameHeader(output, Http3FrameType.Settings, settings.GetPayloadLength());
        return length + settings.WritePayload(output);
    }

    /// <summary>Writes GOAWAY (RFC 9114 §7.2.6) with the first request stream id the server will not process.</summary>
    public static int WriteGoAway(IBufferWriter<byte> output, long id) => WriteSingleVarintFrame(output, Http3FrameType.GoAway, id);

    /// <summary>Writes MAX_PUSH_ID (RFC 9114 §7.2.7); a client-side frame, for tests and a future client.</summary>
    public static int WriteMaxPushId(IBufferWriter<byte> output, long pushId) => WriteSingleVarintFrame(output, Http3FrameType.MaxPushId, pushId);

    /// <summary>Writes CANCEL_PUSH (RFC 9114 §7.2.3).</summary>
    public static int WriteCancelPush(IBufferWriter<byte> output, long pushId) => WriteSingleVarintFrame(output, Http3FrameType.CancelPush, pushId);

    /// <summary>Writes the type prefix that opens a unidirectional stream (RFC 9114 §6.2).</summary>
    public static int WriteStreamType(IBufferWriter<byte> output, long streamType)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(VariableLengthInteger.MaxLength);
        var length = VariableLengthInteger.Write(streamType, span);
        output.Advance(length);
        return length;
    }

    private static int WriteSingleVarintFrame(IBufferWriter<byte> output, long type, long value)
    {
        var length = WriteFrameHeader(output, type, VariableLengthInteger.GetLength(value));
        var span = output.GetSpan(VariableLengthInteger.MaxLength);
        var written = VariableLengthInteger.Write(value, span);
        output.Advance(written);
        return length + written;
    }
}
