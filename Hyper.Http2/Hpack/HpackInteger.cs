namespace Hyper.Http2.Hpack;

/// <summary>
/// The prefix-integer representation of RFC 7541 §5.1:
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | ? | 1   1   1   1   1 |   value &gt;= 2^N - 1: the prefix is all ones,
/// +---+---+---+-------------------+
/// | 1 |    Value-(2^N-1) LSB      |   then 7 bits per octet, least significant first,
/// +---+---------------------------+
///                ...
/// +---+---------------------------+
/// | 0 |    Value-(2^N-1) MSB      |   the last octet with its top bit clear.
/// +---+---------------------------+
/// </code>
/// </summary>
internal static class HpackInteger
{
    /// <summary>The most octets a non-negative int32 takes: the prefix octet and five continuation octets.</summary>
    public const int MaxEncodedLength = 6;

    // Five continuation octets carry 35 bits; anything past them cannot be a 31-bit value, even with leading zeros.
    private const int MaxContinuationOctets = 5;

    /// <summary>
    /// Writes <paramref name="value"/> with an <paramref name="prefixBits"/>-bit prefix; the high bits of the first octet
    /// come from <paramref name="firstOctetFlags"/>. Returns the octets written.
    /// </summary>
    public static int Encode(int value, int prefixBits, byte firstOctetFlags, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var prefixMax = (1 << prefixBits) - 1;
        if (value < prefixMax)
        {
            destination[0] = (byte)(firstOctetFlags | value);
            return 1;
        }

        destination[0] = (byte)(firstOctetFlags | prefixMax);
        var rest = (uint)(value - prefixMax);
        var written = 1;
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }

    /// <summary>
    /// Reads an integer with an <paramref name="prefixBits"/>-bit prefix starting at <paramref name="position"/>, which it
    /// advances past the integer. Throws <see cref="HpackDecodingException"/> when the source ends first or the value
    /// overflows int32.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, ref int position, int prefixBits)
    {
        if (position >= source.Length) throw Truncated();

        var prefixMax = (1 << prefixBits) - 1;
        var value = source[position++] & prefixMax;
        if (value < prefixMax) return value;

        long total = prefixMax;
        for (var octets = 0; octets < MaxContinuationOctets; octets++)
        {
            if (position >= source.Length) throw Truncated();

            var octet = source[position++];
            total += (long)(octet & 0x7F) << (7 * octets);
            if (total > int.MaxValue) break;
            if ((octet & 0x80) == 0) return (int)total;
        }

        throw new HpackDecodingException(HpackDecodingReason.IntegerOverflow, "HPACK integer overflows 31 bits (RFC 7541 §5.1).");
    }

    private static HpackDecodingException Truncated() =>
        new(HpackDecodingReason.Truncated, "Header block ends inside an integer (RFC 7541 §5.1).");
}
