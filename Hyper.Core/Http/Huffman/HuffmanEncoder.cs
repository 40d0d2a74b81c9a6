namespace Hyper.Core.Http.Huffman;

/// <summary>
/// Encodes octet strings with the static Huffman code of RFC 7541 Appendix B, padding the last octet with the
/// most significant bits of EOS (all ones, RFC 7541 §5.2).
/// </summary>
public static class HuffmanEncoder
{
    /// <summary>The number of octets <see cref="Encode"/> writes for <paramref name="source"/>.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        var table = HuffmanCode.Table;
        long bits = 0;
        foreach (var b in source)
        {
            bits += table[b].Length;
        }

        return checked((int)((bits + 7) >> 3));
    }

    /// <summary>
    /// Writes the Huffman code of <paramref name="source"/> into <paramref name="destination"/> and returns the
    /// octets written. Throws <see cref="ArgumentException"/> when the destination is shorter than
    /// <see cref="GetEncodedLength"/>.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var table = HuffmanCode.Table;

        // Pending bits sit in the low bitCount bits of the accumulator; the longest code is 30 bits and fewer
        // than 8 bits are ever left pending, so 64 bits never overflow in a way that matters.
        ulong accumulator = 0;
        var bitCount = 0;
        var written = 0;
        foreach (var b in source)
        {
            var (code, length) = table[b];
            accumulator = (accumulator << length) | code;
            bitCount += length;
            while (bitCount >= 8)
            {
                bitCount -= 8;
                if ((uint)written >= (uint)destination.Length) ThrowDestinationTooSmall();
                destination[written++] = (byte)(accumulator >> bitCount);
            }
        }

        if (bitCount > 0)
        {
            // RFC 7541 §5.2: padding "corresponding to the most significant bits of the code for the EOS symbol".
            if ((uint)written >= (uint)destination.Length) ThrowDestinationTooSmall();
            destination[written++] = (byte)((accumulator << (8 - bitCount)) | (0xFFu >> bitCount));
        }

        return written;
    }

    private static void ThrowDestinationTooSmall() =>
        throw new ArgumentException("Destination is shorter than the Huffman-encoded length.", "destination");
}
