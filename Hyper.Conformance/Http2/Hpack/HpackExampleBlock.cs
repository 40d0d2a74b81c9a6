namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// One header block of an RFC 7541 Appendix C example: the wire octets, the header list they decode to, and the
/// dynamic table size the RFC gives after decoding them.
/// </summary>
public sealed record HpackExampleBlock(string Section, byte[] Wire, IReadOnlyList<HeaderPair> Headers, int TableSizeAfter)
{
    public static HpackExampleBlock Of(string section, string hex, int tableSizeAfter, params (string Name, string Value)[] headers) =>
        new(section, Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)),
            headers.Select(h => new HeaderPair(h.Name, h.Value)).ToArray(), tableSizeAfter);
}
