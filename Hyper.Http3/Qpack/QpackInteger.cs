namespace Hyper.Http3.Qpack;

/// <summary>
/// The prefixed integer of RFC 9204 §4.1.1, which is HPACK's (RFC 7541 §5.1) with an N-bit prefix where N is 3 to 8.
/// Values are bounded to 62 bits, the largest any QPACK field can carry (stream ids, insert counts); a longer or larger
/// encoding is refused rather than wrapped. Reading is incremental: a caller fed a few bytes at a time gets
/// <see cref="QpackIntegerStatus.NeedMoreData"/> and retries from the same position when more arrive.
/// </summary>
internal static class QpackInteger
{
    /// <summary>The largest value accepted, 2^62 - 1.</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>The most octets a 62-bit value takes after the prefix octet (9 × 7 = 63 bits).</summary>
    public const int MaxContinuationOctets = 9;

    /// <summary>The most octets an encoded integer takes, prefix included.</summary>
    public const int MaxEncodedLength = 1 + MaxContinuationOctets;

    /// <summary>Reads an integer whose prefix is the low <paramref name="prefixBits"/> of <c>source[position]</c>.</summary>
    /// <returns><see cref="QpackIntegerStatus.Done"/> with <paramref name="position"/> advanced past it; otherwise the
    /// position is unchanged.</returns>
    public static QpackIntegerStatus TryRead(ReadOnlySpan<byte> source, ref int position, int prefixBits, out long value)
    {
        value = 0;
        var at = position;
        if (at >= source.Length) return QpackIntegerStatus.NeedMoreData;

        var prefixMax = (1 << prefixBits) - 1;
        long result = source[at++] & prefixMax;
        if (result < prefixMax)
        {
            value = result;
            position = at;
            return QpackIntegerStatus.Done;
        }

        for (var shift = 0; shift < 7 * MaxContinuationOctets; shift += 7)
        {
            if (at >= source.Length) return QpackIntegerStatus.NeedMoreData;
            var octet = source[at++];
            var bits = (long)(octet & 0x7F);
            // 62 bits of room: anything that would shift past them, or add past MaxValue, is an overflow.
            if (shift > 55 && bits >> (62 - shift) != 0) return QpackIntegerStatus.Overflow;
            result += bits << shift;
            if (result > MaxValue) return QpackIntegerStatus.Overflow;
            if ((octet & 0x80) == 0)
            {
                value = result;
                position = at;
                return QpackIntegerStatus.Done;
            }
        }

        return QpackIntegerStatus.Overflow;
    }

    /// <summary>The octets <see cref="Write"/> uses for <paramref name="value"/>.</summary>
    public static int GetEncodedLength(long value, int prefixBits)
    {
        var prefixMax = (1L << prefixBits) - 1;
        if (value < prefixMax) return 1;
        var rest = (ulong)(value - prefixMax);
        var length = 2;
        while (rest >= 0x80)
        {
            rest >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>
    /// Writes <paramref name="value"/> with an <paramref name="prefixBits"/>-bit prefix; the bits above the prefix in
    /// the first octet come from <paramref name="firstOctetFlags"/>. Returns the octets written.
    /// </summary>
    public static int Write(long value, int prefixBits, byte firstOctetFlags, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        var prefixMax = (1L << prefixBits) - 1;
        if (value < prefixMax)
        {
            destination[0] = (byte)(firstOctetFlags | value);
            return 1;
        }

        destination[0] = (byte)(firstOctetFlags | prefixMax);
        var rest = (ulong)(value - prefixMax);
        var written = 1;
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }
}

/// <summary>The outcome of <see cref="QpackInteger.TryRead"/>.</summary>
internal enum QpackIntegerStatus
{
    Done,
    NeedMoreData,
    Overflow,
}
