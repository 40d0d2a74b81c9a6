using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "hpack": decoding errors of RFC 7541, each a connection error COMPRESSION_ERROR (RFC 9113 §4.3). Every case
// appends (or prepends) one faulty representation to a valid request block.
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> Hpack()
    {
        var compressionError = ConnectionError(Http2ErrorCode.CompressionError);

        // §2.3.3: an index beyond both tables (61 static + empty dynamic).
        yield return Case("hpack/2.3.3/1", "RFC 7541 §2.3.3", "Sends a header field representation with invalid index", compressionError,
            Append(0xFE));

        // §4.2: a dynamic table size update may only open a block.
        yield return Case("hpack/4.2/1", "RFC 7541 §4.2", "Sends a dynamic table size update at the end of header block", compressionError,
            Append(0x21));

        // §5.2: Huffman padding longer than 7 bits, padding not of EOS's most significant bits, the EOS symbol itself.
        yield return Case("hpack/5.2/1", "RFC 7541 §5.2", "Sends a Huffman-encoded string literal representation with padding longer than 7 bits",
            compressionError, Append(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x49, 0x50, 0x9f, 0xff));
        yield return Case("hpack/5.2/2", "RFC 7541 §5.2", "Sends a Huffman-encoded string literal representation padded by zero",
            compressionError, Append(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x83, 0x49, 0x50, 0x90));
        yield return Case("hpack/5.2/3", "RFC 7541 §5.2", "Sends a Huffman-encoded string literal representation containing the EOS symbol",
            compressionError, Append(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x87, 0xff, 0xff, 0xff, 0xfd, 0x25, 0x42, 0x7f));

        // §6.1: index 0 is not used.
        yield return Case("hpack/6.1/1", "RFC 7541 §6.1", "Sends a indexed header field representation with index 0", compressionError,
            Append(0x80));

        // §6.3: a size update above SETTINGS_HEADER_TABLE_SIZE.
        yield return Case("hpack/6.3/1", "RFC 7541 §6.3", "Sends a dynamic table size update larger than the value of SETTINGS_HEADER_TABLE_SIZE",
            compressionError,
            Send(c => H2SpecContext.HeadersFrame(1, [.. H2SpecContext.HpackInteger(c.HeaderTableSize + 1UL, 5, 0x20), .. c.Block(c.CommonHeaders())],
                endStream: true, endHeaders: true)));
    }

    private static H2SpecStep Append(params byte[] representation) =>
        Send(c => H2SpecContext.HeadersFrame(1, [.. c.Block(c.CommonHeaders()), .. representation], endStream: true, endHeaders: true));
}
