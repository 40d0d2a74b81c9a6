using Hyper.Core.Application;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Collects the validated fields of one head in a reusable buffer (names lower-cased) and hands them out at
/// the end as one exact-size array that every field slices: two allocations per request instead of two per
/// field. The array must be new per request because the application may keep the fields.
/// </summary>
internal sealed class FieldBuffer
{
    private byte[] _bytes = new byte[1024];
    private int[] _spans = new int[64];
    private int _length;

    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        EnsureCapacity(name.Length + value.Length);
        var nameStart = _length;
        for (var i = 0; i < name.Length; i++) _bytes[_length++] = ToLowerAscii(name[i]);
        value.CopyTo(_bytes.AsSpan(_length));
        _length += value.Length;
        if (Count * 2 + 2 > _spans.Length) Array.Resize(ref _spans, _spans.Length * 2);
        _spans[Count * 2] = nameStart;
        _spans[Count * 2 + 1] = name.Length;
        Count++;
    }

    public HeaderField[] ToFields()
    {
        if (Count == 0) return [];
        var arena = _bytes.AsSpan(0, _length).ToArray();
        var fields = new HeaderField[Count];
        for (var i = 0; i < Count; i++)
        {
            var start = _spans[i * 2];
            var nameLength = _spans[i * 2 + 1];
            var end = i + 1 < Count ? _spans[(i + 1) * 2] : _length;
            fields[i] = new HeaderField(arena.AsMemory(start, nameLength), arena.AsMemory(start + nameLength, end - start - nameLength));
        }
        return fields;
    }

    public void Reset()
    {
        _length = 0;
        Count = 0;
    }

    private void EnsureCapacity(int more)
    {
        if (_length + more <= _bytes.Length) return;
        Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
    }

    private static byte ToLowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
