using System.Buffers;
using System.Buffers.Binary;

namespace Hyper.Core.WebSockets;

/// <summary>Writes RFC 6455 §5.2 frames: the shortest length encoding, and the payload masked when a key is given.</summary>
internal static class WebSocketFrameWriter
{
    /// <summary>The header size for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int HeaderSize(long payloadLength, bool masked) =>
        (payloadLength switch { <= 125 => 2, <= ushort.MaxValue => 4, _ => 10 }) + (masked ? 4 : 0);

    /// <summary>
    /// Writes one frame. With <paramref name="maskKey"/> (client role, RFC 6455 §5.3) the payload is masked
    /// in the output; the caller's bytes are not touched.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, WebSocketOpcode opcode, bool fin, bool rsv1,
        ReadOnlySpan<byte> payload, uint? maskKey = null)
    {
        var headerSize = HeaderSize(payload.Length, maskKey.HasValue);
        var span = output.GetSpan(headerSize + payload.Length);
        span[0] = (byte)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (byte)opcode);
        var maskBit = maskKey.HasValue ? 0x80 : 0;
        var position = 2;
        if (payload.Length <= 125)
        {
            span[1] = (byte)(maskBit | payload.Length);
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            span[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)payload.Length);
            position = 4;
        }
        else
        {
            span[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(span[2..], (ulong)payload.Length);
            position = 10;
        }
        if (maskKey is { } key)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[position..], key);
            position += 4;
        }
        var body = span.Slice(position, payload.Length);
        payload.CopyTo(body);
        if (maskKey is { } k) WebSocketMask.Apply(body, k, 0);
        output.Advance(position + payload.Length);
    }
}
