namespace Hyper.Core.Http.Huffman;

/// <summary>Why a Huffman-encoded string literal was rejected (RFC 7541 §5.2).</summary>
public enum HuffmanDecodingReason
{
    /// <summary>The string contains the EOS symbol, which MUST be treated as a decoding error.</summary>
    EndOfStringSymbol,

    /// <summary>The padding at the end is longer than 7 bits.</summary>
    PaddingTooLong,

    /// <summary>The padding at the end is not the most significant bits of EOS (all ones).</summary>
    PaddingNotOnes,

    /// <summary>The decoded string does not fit the destination; callers size it from a limit, so this is a limit hit.</summary>
    DestinationTooSmall,
}
