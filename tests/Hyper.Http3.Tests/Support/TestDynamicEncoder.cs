using System.Buffers;
using Hyper.Http3.Qpack;

namespace Hyper.Http3.Tests.Support;

/// <summary>
/// A QPACK encoder that uses the dynamic table, for round-trip tests of <see cref="QpackDecoder"/> (the product encoder
/// is static-only). For each field: an exact dynamic match is referenced (relative to the Base, or post-Base when it was
/// inserted for this section); otherwise the field is inserted (with a static or dynamic name reference when there is
/// one, else a literal name) and referenced post-Base; a field that would evict an entry this section references, or
/// that does not fit, goes out as a literal. It never evicts an entry an unacknowledged section references, because
/// the tests decode each section before encoding the next.
/// </summary>
internal sealed class TestDynamicEncoder
{
    private readonly long _capacity;
    private readonly List<(long Absolute, byte[] Name, byte[] Value)> _entries = [];
    private long _insertCount;
    private long _size;

    public TestDynamicEncoder(long capacity, ArrayBufferWriter<byte> encoderStream)
    {
        _capacity = capacity;
        EncoderStream = encoderStream;
        var span = encoderStream.GetSpan(QpackInteger.MaxEncodedLength);
        encoderStream.Advance(QpackInteger.Write(capacity, 5, 0x20, span));
    }

    public ArrayBufferWriter<byte> EncoderStream { get; }

    public byte[] EncodeSection(IReadOnlyList<(byte[] Name, byte[] Value)> fields, bool neverIndexedLiterals = false)
    {
        var baseIndex = _insertCount;
        var lines = new ArrayBufferWriter<byte>();
        long largest = -1;
        long smallest = long.MaxValue;

        foreach (var (name, value) in fields)
        {
            var exact = _entries.FindLastIndex(e => e.Name.AsSpan().SequenceEqual(name) && e.Value.AsSpan().SequenceEqual(value));
            if (exact < 0 && TryInsert(name, value, smallest)) exact = _entries.Count - 1;

            if (exact >= 0)
            {
                var absolute = _entries[exact].Absolute;
                largest = Math.Max(largest, absolute);
                smallest = Math.Min(smallest, absolute);
                var span = lines.GetSpan(QpackInteger.MaxEncodedLength);
                lines.Advance(absolute < baseIndex
                    ? QpackInteger.Write(baseIndex - 1 - absolute, 6, 0x80, span) // §4.5.2, T = 0
                    : QpackInteger.Write(absolute - baseIndex, 4, 0x10, span));   // §4.5.3
                continue;
            }

            var literal = lines.GetSpan(2 * QpackInteger.MaxEncodedLength + name.Length + value.Length);
            var flags = (byte)(neverIndexedLiterals ? 0x30 : 0x20);
            var written = QpackString.Write(name, 3, flags, literal);
            written += QpackString.Write(value, 7, 0x00, literal[written..]);
            lines.Advance(written);
        }

        var required = largest + 1;
        var section = new ArrayBufferWriter<byte>();
        var prefix = section.GetSpan(2 * QpackInteger.MaxEncodedLength);
        var length = QpackInteger.Write(RequiredInsertCount.Encode(required, _capacity), 8, 0x00, prefix);
        length += required <= baseIndex || required == 0
            ? QpackInteger.Write(required == 0 ? 0 : baseIndex - required, 7, 0x00, prefix[length..])
            : QpackInteger.Write(required - baseIndex - 1, 7, 0x80, prefix[length..]);
        section.Advance(length);
        section.Write(lines.WrittenSpan);
        return section.WrittenSpan.ToArray();
    }

    private bool TryInsert(byte[] name, byte[] value, long smallestReferenced)
    {
        var size = name.Length + value.Length + 32L;
        if (size > _capacity) return false;

        // Would the eviction this insert causes drop an entry this section references?
        var freed = 0L;
        var evict = 0;
        while (_size - freed + size > _capacity)
        {
            if (_entries[evict].Absolute >= smallestReferenced) return false;
            freed += _entries[evict].Name.Length + _entries[evict].Value.Length + 32L;
            evict++;
        }

        _entries.RemoveRange(0, evict);
        _size -= freed;

        var span = EncoderStream.GetSpan(3 * QpackInteger.MaxEncodedLength + name.Length + value.Length);
        int written;
        var staticIndex = QpackStaticTable.Find(name, [], out _);
        var dynamicName = _entries.FindLastIndex(e => e.Name.AsSpan().SequenceEqual(name));
        if (dynamicName >= 0)
        {
            written = QpackInteger.Write(_insertCount - 1 - _entries[dynamicName].Absolute, 6, 0x80, span); // §4.3.2, T = 0
            written += QpackString.Write(value, 7, 0x00, span[written..]);
        }
        else if (staticIndex >= 0)
        {
            written = QpackInteger.Write(staticIndex, 6, 0xC0, span); // §4.3.2, T = 1
            written += QpackString.Write(value, 7, 0x00, span[written..]);
        }
        else
        {
            written = QpackString.Write(name, 5, 0x40, span); // §4.3.3
            written += QpackString.Write(value, 7, 0x00, span[written..]);
        }

        EncoderStream.Advance(written);
        _entries.Add((_insertCount++, name, value));
        _size += size;
        return true;
    }

    /// <summary>Writes a Duplicate (§4.3.4) of the newest entry with this name and value; false when there is none.</summary>
    public bool Duplicate(byte[] name, byte[] value)
    {
        var index = _entries.FindLastIndex(e => e.Name.AsSpan().SequenceEqual(name) && e.Value.AsSpan().SequenceEqual(value));
        if (index < 0 || !TryEvictFor(name.Length + value.Length + 32L, _entries[index].Absolute)) return false;
        var span = EncoderStream.GetSpan(QpackInteger.MaxEncodedLength);
        EncoderStream.Advance(QpackInteger.Write(_insertCount - 1 - _entries[index].Absolute, 5, 0x00, span));
        _entries.Add((_insertCount++, name, value));
        _size += name.Length + value.Length + 32L;
        return true;
    }

    private bool TryEvictFor(long size, long keep)
    {
        var freed = 0L;
        var evict = 0;
        while (_size - freed + size > _capacity)
        {
            if (evict >= _entries.Count || _entries[evict].Absolute >= keep) return false;
            freed += _entries[evict].Name.Length + _entries[evict].Value.Length + 32L;
            evict++;
        }

        _entries.RemoveRange(0, evict);
        _size -= freed;
        return true;
    }
}
