namespace Hyper.Http3.Qpack;

/// <summary>
/// The decoder's copy of the dynamic table (RFC 9204 §3.2): a FIFO of entries addressed by absolute index (0 for the
/// first entry ever inserted), sized as name + value + 32 octets per entry (§3.2.1). New entries go in at the end and
/// evict from the front until they fit (§3.2.2). Entries are stored in a ring whose length is bounded by
/// capacity / 32, so a peer that inserts many empty entries cannot grow it past that.
/// </summary>
internal sealed class QpackDynamicTable
{
    /// <summary>The per-entry overhead of RFC 9204 §3.2.1.</summary>
    public const int EntryOverhead = 32;

    private readonly long _maxCapacity;
    private QpackDynamicEntry[] _ring = [];
    private int _head;
    private int _count;

    /// <param name="maxCapacity">Our SETTINGS_QPACK_MAX_TABLE_CAPACITY: the bound on Set Dynamic Table Capacity.</param>
    public QpackDynamicTable(long maxCapacity) => _maxCapacity = maxCapacity;

    /// <summary>The capacity the encoder last set (RFC 9204 §3.2.3); 0 until it sets one.</summary>
    public long Capacity { get; private set; }

    /// <summary>The sum of the entries' sizes (RFC 9204 §3.2.1).</summary>
    public long Size { get; private set; }

    /// <summary>Entries ever inserted: the Insert Count of RFC 9204 §3.2.4 (the next absolute index).</summary>
    public long InsertCount { get; private set; }

    /// <summary>Entries evicted so far: the lowest absolute index still present.</summary>
    public long DroppedCount => InsertCount - _count;

    /// <summary>The number of entries present.</summary>
    public int Count => _count;

    /// <summary>The length of the entry ring, for tests that check it stays within capacity / 32.</summary>
    internal int RingLength => _ring.Length;

    /// <summary>Sets the capacity (RFC 9204 §4.3.1); false when it exceeds our maximum. Evicts to fit.</summary>
    public bool TrySetCapacity(long capacity)
    {
        if (capacity > _maxCapacity) return false;
        Capacity = capacity;
        EvictUntil(capacity);
        return true;
    }

    /// <summary>Whether an entry of this size fits at all (RFC 9204 §3.2.2: a larger one is an error, not a clear).</summary>
    public bool Fits(long nameLength, long valueLength) => nameLength + valueLength + EntryOverhead <= Capacity;

    /// <summary>Inserts an entry, evicting from the front until it fits. The caller has checked <see cref="Fits"/>.</summary>
    public void Insert(byte[] name, byte[] value)
    {
        var size = (long)name.Length + value.Length + EntryOverhead;
        EvictUntil(Capacity - size);
        if (_count == _ring.Length) Grow();
        _ring[(_head + _count) % _ring.Length] = new QpackDynamicEntry(name, value);
        _count++;
        Size += size;
        InsertCount++;
    }

    /// <summary>Whether the entry with this absolute index is present (inserted and not evicted).</summary>
    public bool Contains(long absoluteIndex) => absoluteIndex >= DroppedCount && absoluteIndex < InsertCount;

    /// <summary>The entry with this absolute index; the caller has checked <see cref="Contains"/>.</summary>
    public ref readonly QpackDynamicEntry Get(long absoluteIndex) =>
        ref _ring[(int)((_head + (absoluteIndex - DroppedCount)) % _ring.Length)];

    private void EvictUntil(long targetSize)
    {
        while (Size > targetSize && _count > 0)
        {
            ref var oldest = ref _ring[_head];
            Size -= (long)oldest.Name.Length + oldest.Value.Length + EntryOverhead;
            oldest = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }

    private void Grow()
    {
        // Every entry costs at least 32 octets, so capacity / 32 + 1 slots always suffice.
        var limit = (int)Math.Min(int.MaxValue, Capacity / EntryOverhead + 1);
        var length = Math.Min(Math.Max(8, _ring.Length * 2), limit);
        var grown = new QpackDynamicEntry[length];
        for (var i = 0; i < _count; i++) grown[i] = _ring[(_head + i) % _ring.Length];
        _ring = grown;
        _head = 0;
    }
}

/// <summary>One dynamic table entry.</summary>
internal readonly record struct QpackDynamicEntry(byte[] Name, byte[] Value);
