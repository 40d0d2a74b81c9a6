namespace Hyper.Http2.Tests.Support;

/// <summary>Hand-made HPACK representations (RFC 7541 §6) for attacks an encoder would never produce.</summary>
internal static class HpackBytes
{
    /// <summary>Indexed field (§6.1): one byte for indices below 127. Index 62 is the newest dynamic entry.</summary>
    public static byte Indexed(int index) => (byte)(0x80 | index);

    /// <summary>:method GET, :scheme http, :path / from the static table (Appendix A).</summary>
    public static readonly byte[] GetPseudoHeaders = [0x82, 0x86, 0x84];

    /// <summary>Literal with incremental indexing, new name (§6.2.1), lengths as §5.1 integers, no Huffman.</summary>
    public static byte[] LiteralIndexed(string name, int valueLength) =>
        [0x40, .. Integer(name.Length, 7), .. System.Text.Encoding.ASCII.GetBytes(name), .. Integer(valueLength, 7), .. Enumerable.Repeat((byte)'v', valueLength)];

    /// <summary>Literal with incremental indexing of the static name at <paramref name="nameIndex"/> (§6.2.1).</summary>
    public static byte[] LiteralIndexedName(int nameIndex, string value) =>
        [(byte)(0x40 | nameIndex), .. Integer(value.Length, 7), .. System.Text.Encoding.ASCII.GetBytes(value)];

    /// <summary>Literal without indexing, empty name and empty value (§6.2.2): the 0-length header <c>00 00 00</c>.</summary>
    public static readonly byte[] EmptyLiteral = [0x00, 0x00, 0x00];

    /// <summary>An integer with an N-bit prefix (§5.1), prefix bits zero.</summary>
    public static byte[] Integer(int value, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max) return [(byte)value];
        var bytes = new List<byte> { (byte)max };
        value -= max;
        while (value >= 128)
        {
            bytes.Add((byte)(value % 128 | 0x80));
            value /= 128;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
