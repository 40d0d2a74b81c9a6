namespace Hyper.Http3.Frames;

/// <summary>
/// The QUIC variable-length integer (RFC 9000 §16) that HTTP/3 uses for frame types, lengths, settings and stream
/// types: the top two bits of the first octet give the length (1, 2, 4 or 8 octets). HTTP/3 keeps its own copy so that
/// it depends on Hyper.Core only, not on a QUIC implementation.
/// </summary>
public static class VariableLengthInteger
{
    /// <summary>The largest encodable value, 2^62 - 1.</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>The most octets an encoded value takes.</summary>
    public const int MaxLength = 8;

    /// <summary>Reads a value; false when <paramref name="source"/> ends first (then nothing is consumed).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out long value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (source.IsEmpty) return false;
        var length = 1 << (source[0] >> 6);
        if (source.Length < length) return false;

        long result = source[0] & 0x3F;
        for (var i = 1; i < length; i++) result = (result << 8) | source[i];
        value = result;
        consumed = length;
        return true;
    }

    /// <summary>The octets the shortest encoding of <paramref name="value"/> takes.</summary>
    public static int GetLength(long value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value)),
        <= 63 => 1,
        <= 16383 => 2,
        <= 1073741823 => 4,
        <= MaxValue => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Writes the shortest encoding of <paramref name="value"/>; returns the octets written.</summary>
    public static int Write(long value, Span<byte> destination)
    {
        var length = GetLength(value);
        var prefix = length switch { 1 => 0x00, 2 => 0x40, 4 => 0x80, _ => 0xC0 };
        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }

        destination[0] |= (byte)prefix;
        return length;
    }
}
