namespace Hyper.Http2.Hpack;

/// <summary>
/// The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of entries, newest first, bounded by a maximum size in
/// octets where each entry counts name + value + 32 (§4.1). Stored as a ring of entries so that insertion and eviction
/// move nothing; the ring holds at most <c>maxSize / 32</c> entries, the most that can ever fit.
/// </summary>
internal sealed class DynamicTable
{
    private DynamicTableEntry[] _ring;
    private int _next; // slot the next insertion goes to; the newest entry is just before it
    private int _count;
    private int _size;
    private int _maxSize;

    public DynamicTable(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        _maxSize = maxSize;
        _ring = new DynamicTableEntry[RingCapacity(maxSize)];
    }

    /// <summary>The number of entries.</summary>
    public int Count => _count;

    /// <summary>The sum of the entries' sizes (RFC 7541 §4.1).</summary>
    public int Size => _size;

    /// <summary>The maximum size set by the last size update (RFC 7541 §4.2).</summary>
    public int MaxSize => _maxSize;

    /// <summary>The entry at the 0-based <paramref name="index"/>, 0 being the newest (RFC 7541 §2.3.3).</summary>
    public ref readonly DynamicTableEntry this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            var slot = _next - 1 - index;
            if (slot < 0) slot += _ring.Length;
            return ref _ring[slot];
        }
    }

    /// <summary>
    /// Adds an entry at the front, evicting from the end until it fits (RFC 7541 §4.4). An entry larger than the
    /// maximum size empties the table and is not added.
    /// </summary>
    public void Insert(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var entrySize = (long)name.Length + value.Length + DynamicTableEntry.Overhead;

        // RFC 7541 §4.4: "an attempt to add an entry larger than the maximum size causes the table to be emptied of
        // all existing entries and results in an empty table."
        if (entrySize > _maxSize)
        {
            EvictUntil(0);
            return;
        }

        // §4.4: the name may belong to an entry this insertion evicts, so copy it before evicting.
        var entry = new DynamicTableEntry(name, value);
        EvictUntil(_maxSize - entry.Size);
        _ring[_next] = entry;
        _next = (_next + 1) % _ring.Length;
        _count++;
        _size += entry.Size;
    }

    /// <summary>Applies a new maximum size, evicting from the end until the table fits it (RFC 7541 §4.3).</summary>
    public void Resize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        EvictUntil(maxSize);
        _maxSize = maxSize;

        var capacity = RingCapacity(maxSize);
        if (capacity == _ring.Length) return;

        var ring = new DynamicTableEntry[capacity];
        for (var i = 0; i < _count; i++)
        {
            ring[_count - 1 - i] = this[i];
        }

        _ring = ring;
        _next = _count % capacity;
    }

    /// <summary>The 0-based index of the newest entry with this name and value, or -1.</summary>
    public int FindFullMatch(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _count; i++)
        {
            ref readonly var entry = ref this[i];
            if (entry.Name.SequenceEqual(name) && entry.Value.SequenceEqual(value)) return i;
        }

        return -1;
    }

    /// <summary>The 0-based index of the newest entry with this name, or -1.</summary>
    public int FindName(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _count; i++)
        {
            if (this[i].Name.SequenceEqual(name)) return i;
        }

        return -1;
    }

    private void EvictUntil(long size)
    {
        while (_size > size)
        {
            var oldest = _next - _count;
            if (oldest < 0) oldest += _ring.Length;
            _size -= _ring[oldest].Size;
            _ring[oldest] = default; // let the evicted bytes be collected
            _count--;
        }
    }

    private static int RingCapacity(int maxSize) => Math.Max(1, maxSize / DynamicTableEntry.Overhead);
}
