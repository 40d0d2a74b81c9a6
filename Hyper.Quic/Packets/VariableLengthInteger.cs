using System.Buffers.Binary;

namespace Hyper.Quic.Packets;

/// <summary>
/// QUIC's variable-length integer (RFC 9000 §16): the two high bits of the first byte give the length (1, 2, 4 or 8
/// bytes), the remaining 6, 14, 30 or 62 bits the value, in network byte order.
/// </summary>
public static class VariableLengthInteger
{
    /// <summary>The largest value a varint can carry, 2^62 - 1.</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>The number of bytes a varint takes, read from the two high bits of its first byte.</summary>
    public static int GetLengthFromFirstByte(byte first) => 1 << (first >> 6);

    /// <summary>The number of bytes of the shortest encoding of <paramref name="value"/>.</summary>
    public static int GetEncodedLength(ulong value) => value switch
    {
        <= 0x3f => 1,
        <= 0x3fff => 2,
        <= 0x3fff_ffff => 4,
        <= MaxValue => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A QUIC varint holds at most 2^62 - 1."),
    };

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>. False when the source ends inside it; the caller
    /// decides what a truncated integer means in its context (usually FRAME_ENCODING_ERROR).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            value = 0;
            bytesRead = 0;
            return false;
        }

        var length = GetLengthFromFirstByte(source[0]);
        if (source.Length < length)
        {
            value = 0;
            bytesRead = 0;
            return false;
        }

        value = length switch
        {
            1 => source[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3fffUL,
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3fff_ffffUL,
            _ => BinaryPrimitives.ReadUInt64BigEndian(source) & MaxValue,
        };
        bytesRead = length;
        return true;
    }

    /// <summary>True when <paramref name="value"/> read in <paramref name="length"/> bytes is the shortest encoding.</summary>
    public static bool IsMinimal(ulong value, int length) => GetEncodedLength(value) == length;

    /// <summary>Writes the shortest encoding of <paramref name="value"/>; false when the destination is too small.</summary>
    public static bool TryWrite(Span<byte> destination, ulong value, out int bytesWritten) =>
        TryWrite(destination, value, GetEncodedLength(value), out bytesWritten);

    /// <summary>
    /// Writes <paramref name="value"/> in exactly <paramref name="length"/> bytes (1, 2, 4 or 8). A longer than needed
    /// encoding is legal for most fields (RFC 9000 §16) and lets a packet's Length field be written before the payload
    /// size is final.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ulong value, int length, out int bytesWritten)
    {
        if (length is not (1 or 2 or 4 or 8))
            throw new ArgumentOutOfRangeException(nameof(length), length, "A QUIC varint is 1, 2, 4 or 8 bytes long.");
        if (GetEncodedLength(value) > length)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The value does not fit in {length} bytes.");
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        switch (length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000));
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xc000_0000_0000_0000);
                break;
        }
        bytesWritten = length;
        return true;
    }
}
