using System.Buffers.Binary;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// Builds the frames a client sends (RFC 6455 §5.2), well-formed or not: any opcode, FIN and RSV bits, the length in
/// the shortest form or a longer one on purpose, and masked (§5.3, as a client must) unless the case says otherwise.
/// Written here from the RFC rather than taken from the server's writer, so the suite does not test Hyper with itself.
/// </summary>
public static class ClientFrame
{
    public const int Continuation = 0x0;
    public const int Text = 0x1;
    public const int Binary = 0x2;
    public const int Close = 0x8;
    public const int Ping = 0x9;
    public const int Pong = 0xA;

    /// <summary>The fixed masking key the suite uses, so a failing case's bytes can be replayed exactly.</summary>
    public static ReadOnlySpan<byte> MaskingKey => [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>A frame header and payload.</summary>
    /// <param name="rsv">RSV1..3 as bits 0x4, 0x2, 0x1 (RSV1 = 0x4).</param>
    /// <param name="lengthForm">7, 16 or 64: the length encoding to use; null picks the shortest (§5.2 requires it only of the sender's choice, a receiver must take any).</param>
    public static byte[] Build(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool masked = true, int? lengthForm = null)
    {
        var form = lengthForm ?? (payload.Length < 126 ? 7 : payload.Length <= ushort.MaxValue ? 16 : 64);
        var lengthBytes = form switch { 7 => 0, 16 => 2, 64 => 8, _ => throw new ArgumentOutOfRangeException(nameof(lengthForm)) };
        var frame = new byte[2 + lengthBytes + (masked ? 4 : 0) + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0x0F);
        var maskBit = masked ? 0x80 : 0;
        switch (form)
        {
            case 7:
                frame[1] = (byte)(maskBit | payload.Length);
                break;
            case 16:
                frame[1] = (byte)(maskBit | 126);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = (byte)(maskBit | 127);
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }
        var at = 2 + lengthBytes;
        if (masked)
        {
            MaskingKey.CopyTo(frame.AsSpan(at));
            at += 4;
        }
        payload.CopyTo(frame.AsSpan(at));
        if (masked)
        {
            for (var i = 0; i < payload.Length; i++) frame[at + i] ^= MaskingKey[i & 3];
        }
        return frame;
    }

    /// <summary>A frame header that announces <paramref name="length"/> bytes in the 64-bit form, with no payload after it.</summary>
    public static byte[] HeaderOnly(int opcode, ulong length, bool fin = true)
    {
        var frame = new byte[14];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        frame[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), length);
        MaskingKey.CopyTo(frame.AsSpan(10));
        return frame;
    }

    /// <summary>A Close payload (§5.5.1): the code in network order, then the reason's bytes.</summary>
    public static byte[] ClosePayload(int code, ReadOnlySpan<byte> reason = default)
    {
        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reason.CopyTo(payload.AsSpan(2));
        return payload;
    }
}
