using Hyper.Core.Http.Huffman;

namespace Hyper.Http3.Qpack;

/// <summary>
/// The string literal of RFC 9204 §4.1.2: an 'H' flag just above an N-bit length prefix, then the octets, Huffman-coded
/// (RFC 7541 Appendix B) when H is set. N is 7 for values and standalone names, 5 for the name of Insert With Literal
/// Name and 3 for the name of a Literal Field Line with Literal Name.
/// </summary>
/// <remarks>
/// Reading is split in two so that limits are checked before anything is allocated or decoded (security catalogue
/// <see cref="TryReadHeader"/> returns the flag and the declared length; the caller compares that length with
/// its budget, and only then copies or decodes the octets.
/// </remarks>
internal static class QpackString
{
    /// <summary>Reads the H flag and length of a string literal starting at <paramref name="position"/>.</summary>
    /// <returns>Done with <paramref name="position"/> at the first string octet (which may lie past the end of
    /// <paramref name="source"/>: the caller checks that the octets have arrived); otherwise the position is unchanged.</returns>
    public static QpackIntegerStatus TryReadHeader(ReadOnlySpan<byte> source, ref int position, int prefixBits, out bool huffman, out long length)
    {
        huffman = false;
        length = 0;
        if (position >= source.Length) return QpackIntegerStatus.NeedMoreData;
        var flag = (source[position] & (1 << prefixBits)) != 0;
        var status = QpackInteger.TryRead(source, ref position, prefixBits, out length);
        huffman = flag;
        return status;
    }

    /// <summary>
    /// The fewest octets a Huffman string of <paramref name="encodedLength"/> octets can decode to: the longest code is
    /// 30 bits, and at most 7 bits of padding end the string (RFC 7541 §5.2). Lets a length be refused before decoding.
    /// </summary>
    public static long GetMinDecodedLength(long encodedLength) => Math.Max(0, (encodedLength * 8 - 7) / 30);

    /// <summary>The decoded length of a raw or Huffman string, at most; for sizing a destination.</summary>
    public static int GetMaxDecodedLength(bool huffman, int encodedLength) =>
        huffman ? HuffmanDecoder.GetMaxDecodedLength(encodedLength) : encodedLength;

    /// <summary>
    /// Writes <paramref name="value"/> as a string literal whose length has an <paramref name="prefixBits"/>-bit
    /// prefix; <paramref name="firstOctetFlags"/> are the bits above the H flag. Huffman is used when it is shorter.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> value, int prefixBits, byte firstOctetFlags, Span<byte> destination)
    {
        var huffmanLength = HuffmanEncoder.GetEncodedLength(value);
        if (huffmanLength < value.Length)
        {
            var written = QpackInteger.Write(huffmanLength, prefixBits, (byte)(firstOctetFlags | (1 << prefixBits)), destination);
            return written + HuffmanEncoder.Encode(value, destination[written..]);
        }

        var headerLength = QpackInteger.Write(value.Length, prefixBits, firstOctetFlags, destination);
        value.CopyTo(destination[headerLength..]);
        return headerLength + value.Length;
    }

    /// <summary>The most octets <see cref="Write"/> may use for a value of <paramref name="valueLength"/> octets.</summary>
    public static int GetMaxEncodedLength(int valueLength) => QpackInteger.MaxEncodedLength + valueLength;
}
