namespace Hyper.Http2.Hpack;

/// <summary>
/// One dynamic-table entry: name and value stored back to back in one array, so an insertion costs one allocation.
/// The array is never written after construction, so spans handed out stay valid after the entry is evicted.
/// </summary>
internal readonly struct DynamicTableEntry
{
    // RFC 7541 §4.1: "The size of an entry is the sum of its name's length in octets, its value's length in octets, and 32."
    public const int Overhead = 32;

    private readonly byte[] _bytes;
    private readonly int _nameLength;

    public DynamicTableEntry(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _bytes = new byte[name.Length + value.Length];
        name.CopyTo(_bytes);
        value.CopyTo(_bytes.AsSpan(name.Length));
        _nameLength = name.Length;
    }

    public ReadOnlySpan<byte> Name => _bytes.AsSpan(0, _nameLength);

    public ReadOnlySpan<byte> Value => _bytes.AsSpan(_nameLength);

    /// <summary>The entry's size as RFC 7541 §4.1 counts it.</summary>
    public int Size => _bytes.Length + Overhead;
}
