namespace Hyper.Core.Http.Huffman;

/// <summary>
/// A Huffman-encoded string literal that cannot be decoded (RFC 7541 §5.2), or whose decoded form exceeds the
/// destination the caller sized from its limit. HPACK maps this to COMPRESSION_ERROR, QPACK to QPACK_DECOMPRESSION_FAILED,
/// unless <see cref="IsDestinationTooSmall"/> says a size limit was hit instead.
/// </summary>
public sealed class HuffmanDecodingException : Exception
{
    public HuffmanDecodingException(HuffmanDecodingReason reason)
        : base(Describe(reason))
    {
        Reason = reason;
    }

    /// <summary>The rule the input broke.</summary>
    public HuffmanDecodingReason Reason { get; }

    /// <summary>True when the input may be valid but decodes to more bytes than the destination holds.</summary>
    public bool IsDestinationTooSmall => Reason == HuffmanDecodingReason.DestinationTooSmall;

    private static string Describe(HuffmanDecodingReason reason) => reason switch
    {
        HuffmanDecodingReason.EndOfStringSymbol => "Huffman string contains the EOS symbol (RFC 7541 §5.2).",
        HuffmanDecodingReason.PaddingTooLong => "Huffman padding is longer than 7 bits (RFC 7541 §5.2).",
        HuffmanDecodingReason.PaddingNotOnes => "Huffman padding is not a prefix of EOS (RFC 7541 §5.2).",
        HuffmanDecodingReason.DestinationTooSmall => "Huffman-decoded string is larger than the destination buffer.",
        _ => reason.ToString(),
    };
}
