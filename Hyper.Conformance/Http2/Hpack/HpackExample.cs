namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// An RFC 7541 Appendix C example: blocks decoded in order on one connection whose decoder advertised
/// <paramref name="TableSize"/> as SETTINGS_HEADER_TABLE_SIZE.
/// </summary>
public sealed record HpackExample(string Section, string Title, int TableSize, IReadOnlyList<HpackExampleBlock> Blocks)
{
    public override string ToString() => $"{Section} {Title}";
}
