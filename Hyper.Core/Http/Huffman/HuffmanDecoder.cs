namespace Hyper.Core.Http.Huffman;

/// <summary>
/// Decodes octet strings encoded with the static Huffman code of RFC 7541 Appendix B, enforcing the padding and EOS
/// rules of RFC 7541 §5.2. Table-driven, four bits per step (<see cref="HuffmanDecodingTable"/>).
/// </summary>
public static class HuffmanDecoder
{
    /// <summary>An upper bound on the decoded length: every code is at least 5 bits long.</summary>
    public static int GetMaxDecodedLength(int encodedLength) => (int)(encodedLength * 8L / 5);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> and returns the octets written.
    /// Throws <see cref="HuffmanDecodingException"/> on EOS, bad padding, or a destination too small.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var transitions = HuffmanDecodingTable.Transitions;
        var state = 0u;
        var written = 0;
        foreach (var b in source)
        {
            var high = transitions[(state << 4) | (uint)(b >> 4)];
            if ((high & (HuffmanDecodingTable.EmitFlag | HuffmanDecodingTable.EndOfStringFlag)) != 0)
            {
                written = Emit(high, destination, written);
            }

            var low = transitions[((high & HuffmanDecodingTable.StateMask) << 4) | (uint)(b & 0xF)];
            if ((low & (HuffmanDecodingTable.EmitFlag | HuffmanDecodingTable.EndOfStringFlag)) != 0)
            {
                written = Emit(low, destination, written);
            }

            state = low & HuffmanDecodingTable.StateMask;
        }

        // RFC 7541 §5.2: padding longer than 7 bits, or not matching the MSBs of EOS, MUST be treated as an error.
        if (HuffmanDecodingTable.GetEndReason((int)state) is { } reason)
        {
            throw new HuffmanDecodingException(reason);
        }

        return written;
    }

    private static int Emit(uint transition, Span<byte> destination, int written)
    {
        // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
        if ((transition & HuffmanDecodingTable.EndOfStringFlag) != 0)
        {
            throw new HuffmanDecodingException(HuffmanDecodingReason.EndOfStringSymbol);
        }

        if ((uint)written >= (uint)destination.Length)
        {
            throw new HuffmanDecodingException(HuffmanDecodingReason.DestinationTooSmall);
        }

        destination[written] = (byte)(transition >> HuffmanDecodingTable.SymbolShift);
        return written + 1;
    }
}
