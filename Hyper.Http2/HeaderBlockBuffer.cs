using System.Buffers;

namespace Hyper.Http2;

/// <summary>
/// Collects the fragments of one header block (HEADERS or PUSH_PROMISE plus CONTINUATIONs, RFC 9113 §4.3) up to a
/// byte limit, so a CONTINUATION flood is refused by size before it is decoded (H2-12). The array is rented
/// per block and returned once the block is decoded.
/// </summary>
internal sealed class HeaderBlockBuffer(int limit)
{
    private byte[]? _array;
    private int _length;

    public int Length => _length;

    /// <summary>Appends a fragment; false when the block would exceed the limit.</summary>
    public bool TryAppend(in ReadOnlySequence<byte> fragment)
    {
        if (_length + fragment.Length > limit) return false;
        var needed = _length + (int)fragment.Length;
        if (_array is null || _array.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            if (_array is not null)
            {
                _array.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_array);
            }
            _array = larger;
        }
        fragment.CopyTo(_array.AsSpan(_length));
        _length = needed;
        return true;
    }

    public ReadOnlySpan<byte> Block => _array is null ? default : _array.AsSpan(0, _length);

    public void Clear()
    {
        if (_array is not null) ArrayPool<byte>.Shared.Return(_array);
        _array = null;
        _length = 0;
    }
}
