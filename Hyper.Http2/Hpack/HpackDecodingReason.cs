namespace Hyper.Http2.Hpack;

/// <summary>Why a header block was rejected. Every reason is a connection error (RFC 9113 §4.3).</summary>
public enum HpackDecodingReason
{
    /// <summary>The block ends inside a representation, integer or string literal.</summary>
    Truncated,

    /// <summary>An integer (RFC 7541 §5.1) does not fit 31 bits or uses more continuation octets than that needs.</summary>
    IntegerOverflow,

    /// <summary>Index 0, or an index past the static plus dynamic table (RFC 7541 §2.3.3, §6.1).</summary>
    InvalidIndex,

    /// <summary>A Huffman string literal breaks RFC 7541 §5.2 (EOS, padding longer than 7 bits or not all ones).</summary>
    InvalidHuffman,

    /// <summary>A dynamic table size update after the first field of a block (RFC 7541 §4.2).</summary>
    TableSizeUpdateNotAtStart,

    /// <summary>A dynamic table size update above the limit we advertised (RFC 7541 §6.3).</summary>
    TableSizeUpdateTooLarge,

    /// <summary>We lowered our limit below the table's size, and the next block did not start with a size update (RFC 7541 §4.2).</summary>
    TableSizeUpdateMissing,

    /// <summary>The decoded header list exceeds the size limit (RFC 9113 §6.5.2, 32 octets of overhead per field).</summary>
    HeaderListTooLarge,

    /// <summary>The block holds more fields than the field-count limit (docs/security.md B1.6, B1.10).</summary>
    TooManyFields,
}
