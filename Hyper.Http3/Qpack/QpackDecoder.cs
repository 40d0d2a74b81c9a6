using System.Buffers;
using Hyper.Core.Http.Huffman;

namespace Hyper.Http3.Qpack;

/// <summary>
/// The decoding half of one HTTP/3 connection's QPACK state (RFC 9204): the dynamic table fed by the peer's encoder
/// stream, the field sections of request streams, the instructions we owe on our decoder stream, and the streams
/// blocked on inserts that have not arrived yet.
/// </summary>
/// <remarks>
/// <para>Theory of operation. The connection hands over three kinds of input, each whenever it arrives:</para>
/// <list type="bullet">
/// <item><see cref="ReceiveEncoderStream"/>: bytes of the peer's encoder stream, split anywhere. Complete instructions
/// change the table; an incomplete tail is kept (bounded: an instruction's lengths are checked against the table
/// capacity as soon as they are read, before its octets are waited for).</item>
/// <item><see cref="DecodeFieldSection"/>: one complete HEADERS payload of a request stream. Either it is decoded into
/// the sink now, or it needs entries not yet inserted and waits (a copy is kept) until
/// <see cref="TryTakeUnblockedStream"/> names its stream.</item>
/// <item><see cref="CancelStream"/>: the stream was reset or abandoned.</item>
/// </list>
/// <para>And takes one output: <see cref="WriteDecoderStreamInstructions"/>, the bytes for our decoder stream (Section
/// Acknowledgments and Stream Cancellations in the order they arose, then one Insert Count Increment for inserts no
/// acknowledgment has covered). Deferring the increment to the flush lets an acknowledgment cover the inserts it
/// depended on, as RFC 9204 Appendix B.2 shows.</para>
/// <para>Bounds (security catalogue Q-11): table capacity at most <see cref="QpackDecoderOptions.MaxTableCapacity"/>;
/// an entry larger than the capacity is refused from its length prefix; at most
/// <see cref="QpackDecoderOptions.MaxBlockedStreams"/> sections wait, each at most
/// <see cref="QpackDecoderOptions.MaxFieldSectionSize"/> octets; decoded sections are counted while decoding, and a
/// string longer than what remains of the budget is refused before it is copied or Huffman-decoded.</para>
/// <para>Errors: <see cref="QpackException"/> is a connection error (QPACK_ENCODER_STREAM_ERROR or
/// QPACK_DECOMPRESSION_FAILED); <see cref="FieldSectionTooLargeException"/> concerns one stream only.</para>
/// </remarks>
public sealed class QpackDecoder
{
    private const int InitialScratchSize = 256;

    private readonly QpackDecoderOptions _options;
    private readonly QpackDynamicTable _table;
    private readonly int _maxEncoderInstructionLength;
    private readonly Dictionary<long, BlockedSection> _blocked = [];
    private readonly Dictionary<long, BlockedSection> _unblocked = [];
    private readonly Queue<long> _unblockedOrder = new();
    private byte[] _encoderTail = [];
    private int _encoderTailLength;
    private byte[] _instructions = new byte[32];
    private int _instructionsLength;
    private byte[] _scratch = [];

    public QpackDecoder(QpackDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTableCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxTableCapacity, (long)int.MaxValue / 8);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBlockedStreams);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxFieldSectionSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxFieldCount);
        _options = options;
        _table = new QpackDynamicTable(options.MaxTableCapacity);
        // The longest instruction that can be valid: two length prefixes, and a name and value that together fit the
        // table, Huffman-coded at worst 30 bits per octet (RFC 7541 Appendix B), so under 4 octets per octet.
        _maxEncoderInstructionLength = (int)(2 * QpackInteger.MaxEncodedLength + 4 * options.MaxTableCapacity);
    }

    /// <summary>The options this decoder enforces.</summary>
    public QpackDecoderOptions Options => _options;

    /// <summary>The entries inserted so far (RFC 9204 §3.2.4).</summary>
    public long InsertCount => _table.InsertCount;

    /// <summary>Inserts the encoder knows we received: acknowledged or covered by an increment (RFC 9204 §2.1.4).</summary>
    public long KnownReceivedCount { get; private set; }

    /// <summary>The dynamic table's size in octets (RFC 9204 §3.2.1).</summary>
    public long DynamicTableSize => _table.Size;

    /// <summary>The capacity the peer's encoder set (RFC 9204 §3.2.3).</summary>
    public long DynamicTableCapacity => _table.Capacity;

    /// <summary>The entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>Sections waiting for inserts, including those whose inserts have arrived but that were not yet taken.</summary>
    public int BlockedStreamCount => _blocked.Count + _unblocked.Count;

    /// <summary>The octets of an incomplete encoder instruction being held, for tests of the bound.</summary>
    internal int EncoderTailLength => _encoderTailLength;

    /// <summary>The scratch buffer's length, for tests that check it never outgrows the field section limit.</summary>
    internal int ScratchCapacity => _scratch.Length;

    /// <summary>The length of the dynamic table's entry ring, for tests of its bound.</summary>
    internal int DynamicTableRingLength => _table.RingLength;

    /// <summary>The entry with this absolute index, for tests.</summary>
    internal (byte[] Name, byte[] Value) GetDynamicEntry(long absoluteIndex)
    {
        ref readonly var entry = ref _table.Get(absoluteIndex);
        return (entry.Name, entry.Value);
    }

    /// <summary>Octets waiting for our decoder stream, not counting the Insert Count Increment a flush may add.</summary>
    public int PendingInstructionsLength => _instructionsLength;

    // ---------------------------------------------------------------- encoder stream (RFC 9204 §4.3)

    /// <summary>Feeds bytes of the peer's encoder stream, in order, split anywhere.</summary>
    /// <exception cref="QpackException">QPACK_ENCODER_STREAM_ERROR.</exception>
    public void ReceiveEncoderStream(ReadOnlySpan<byte> data)
    {
        if (_encoderTailLength == 0)
        {
            var consumed = ParseEncoderInstructions(data);
            KeepTail(data[consumed..]);
            return;
        }

        if (_encoderTailLength + (long)data.Length > _encoderTail.Length)
        {
            var grown = new byte[Math.Max(_encoderTailLength + data.Length, _encoderTail.Length * 2)];
            _encoderTail.AsSpan(0, _encoderTailLength).CopyTo(grown);
            _encoderTail = grown;
        }

        data.CopyTo(_encoderTail.AsSpan(_encoderTailLength));
        var pending = _encoderTail.AsSpan(0, _encoderTailLength + data.Length);
        var used = ParseEncoderInstructions(pending);
        _encoderTailLength = 0;
        KeepTail(pending[used..]);
    }

    private void KeepTail(ReadOnlySpan<byte> tail)
    {
        if (tail.IsEmpty)
        {
            _encoderTailLength = 0;
            return;
        }

        // Cannot happen for an instruction whose lengths passed the checks; kept as the memory bound's last line.
        if (tail.Length > _maxEncoderInstructionLength) throw EncoderStreamError("An encoder instruction is longer than any valid one.");
        if (_encoderTail.Length < tail.Length) _encoderTail = new byte[Math.Max(tail.Length, 64)];
        tail.CopyTo(_encoderTail);
        _encoderTailLength = tail.Length;
    }

    private int ParseEncoderInstructions(ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (position < data.Length && TryParseEncoderInstruction(data, ref position))
        {
        }

        return position;
    }

    // One instruction, or false (position unchanged) when it has not fully arrived.
    private bool TryParseEncoderInstruction(ReadOnlySpan<byte> data, ref int position)
    {
        var p = position;
        var first = data[p];
        if ((first & 0x80) != 0)
        {
            // RFC 9204 §4.3.2 Insert with Name Reference: 1 T Index(6+), then the value (H, 7+).
            var isStatic = (first & 0x40) != 0;
            if (!ReadEncoderInteger(data, ref p, 6, out var index)) return false;
            byte[] name;
            if (isStatic)
            {
                if (index >= QpackStaticTable.Count) throw EncoderStreamError($"Insert refers to static index {index}, past the table (RFC 9204 §3.1).");
                name = QpackStaticTable.Get((int)index).Name;
            }
            else
            {
                name = _table.Get(EncoderRelativeToAbsolute(index)).Name;
            }

            if (!TryReadEntryString(data, ref p, 7, name.Length, out var value)) return false;
            Insert(name, value);
        }
        else if ((first & 0x40) != 0)
        {
            // RFC 9204 §4.3.3 Insert with Literal Name: 0 1 H NameLength(5+), name, then the value (H, 7+).
            if (!TryReadEntryString(data, ref p, 5, 0, out var name)) return false;
            if (!TryReadEntryString(data, ref p, 7, name.Length, out var value)) return false;
            Insert(name, value);
        }
        else if ((first & 0x20) != 0)
        {
            // RFC 9204 §4.3.1 Set Dynamic Table Capacity: 0 0 1 Capacity(5+).
            if (!ReadEncoderInteger(data, ref p, 5, out var capacity)) return false;
            if (!_table.TrySetCapacity(capacity))
            {
                throw EncoderStreamError($"Set Dynamic Table Capacity {capacity} exceeds our SETTINGS_QPACK_MAX_TABLE_CAPACITY {_options.MaxTableCapacity} (RFC 9204 §4.3.1).");
            }
        }
        else
        {
            // RFC 9204 §4.3.4 Duplicate: 0 0 0 Index(5+).
            if (!ReadEncoderInteger(data, ref p, 5, out var index)) return false;
            ref readonly var entry = ref _table.Get(EncoderRelativeToAbsolute(index));
            if (!_table.Fits(entry.Name.Length, entry.Value.Length)) throw EntryTooLarge();
            Insert(entry.Name, entry.Value);
        }

        position = p;
        return true;
    }

    // RFC 9204 §3.2.5: on the encoder stream, relative index 0 is the most recently inserted entry.
    private long EncoderRelativeToAbsolute(long relativeIndex)
    {
        var absolute = _table.InsertCount - 1 - relativeIndex;
        if (!_table.Contains(absolute))
        {
            throw EncoderStreamError($"Encoder instruction refers to relative index {relativeIndex}, which is not in the dynamic table (RFC 9204 §4.3).");
        }

        return absolute;
    }

    private static bool ReadEncoderInteger(ReadOnlySpan<byte> data, ref int position, int prefixBits, out long value)
    {
        var status = QpackInteger.TryRead(data, ref position, prefixBits, out value);
        if (status == QpackIntegerStatus.Overflow) throw EncoderStreamError("Encoder instruction integer exceeds 62 bits (RFC 9204 §4.1.1).");
        return status == QpackIntegerStatus.Done;
    }

    // A name or value destined for the table: its length is checked against the capacity (what is left of it after
    // the name already read) as soon as the length is known, so no octet of an oversized entry is ever buffered.
    private bool TryReadEntryString(ReadOnlySpan<byte> data, ref int position, int prefixBits, int usedByName, out byte[] result)
    {
        result = [];
        var p = position;
        var status = QpackString.TryReadHeader(data, ref p, prefixBits, out var huffman, out var length);
        if (status == QpackIntegerStatus.Overflow) throw EncoderStreamError("String length exceeds 62 bits (RFC 9204 §4.1.1).");
        if (status == QpackIntegerStatus.NeedMoreData) return false;

        var room = _table.Capacity - QpackDynamicTable.EntryOverhead - usedByName;
        var leastDecoded = huffman ? QpackString.GetMinDecodedLength(length) : length;
        if (leastDecoded > room) throw EntryTooLarge();
        if (data.Length - p < length) return false;

        var encoded = data.Slice(p, (int)length);
        if (!huffman)
        {
            result = encoded.ToArray();
        }
        else
        {
            var destination = Scratch(0, (int)Math.Min(room, HuffmanDecoder.GetMaxDecodedLength(encoded.Length)));
            try
            {
                result = destination[..HuffmanDecoder.Decode(encoded, destination)].ToArray();
            }
            catch (HuffmanDecodingException e) when (e.IsDestinationTooSmall)
            {
                throw EntryTooLarge();
            }
            catch (HuffmanDecodingException e)
            {
                throw new QpackException(QpackErrorCode.EncoderStreamError, $"Invalid Huffman string on the encoder stream: {e.Message}", e);
            }
        }

        position = p + (int)length;
        return true;
    }

    private void Insert(byte[] name, byte[] value)
    {
        // RFC 9204 §3.2.2: "It is an error if the encoder attempts to add an entry that is larger than the dynamic
        // table capacity; the decoder MUST treat this as a connection error of type QPACK_ENCODER_STREAM_ERROR."
        if (!_table.Fits(name.Length, value.Length)) throw EntryTooLarge();
        _table.Insert(name, value);
        if (_blocked.Count > 0) ReleaseUnblocked();
    }

    private void ReleaseUnblocked()
    {
        List<long>? ready = null;
        foreach (var (streamId, section) in _blocked)
        {
            if (section.RequiredInsertCount <= _table.InsertCount) (ready ??= []).Add(streamId);
        }

        if (ready is null) return;
        // Streams that blocked first are released first.
        ready.Sort((a, b) => _blocked[a].Sequence.CompareTo(_blocked[b].Sequence));
        foreach (var streamId in ready)
        {
            _unblocked[streamId] = _blocked[streamId];
            _blocked.Remove(streamId);
            _unblockedOrder.Enqueue(streamId);
        }
    }

    // ---------------------------------------------------------------- field sections (RFC 9204 §4.5)

    private long _blockSequence;

    /// <summary>Decodes one complete encoded field section of <paramref name="streamId"/>, or keeps it until it can be.</summary>
    /// <exception cref="QpackException">QPACK_DECOMPRESSION_FAILED: a connection error.</exception>
    /// <exception cref="FieldSectionTooLargeException">The section exceeds our limits: a stream matter.</exception>
    public FieldSectionStatus DecodeFieldSection(long streamId, ReadOnlySpan<byte> section, IFieldLineSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_blocked.ContainsKey(streamId) || _unblocked.ContainsKey(streamId))
        {
            throw new InvalidOperationException($"Stream {streamId} already has a section waiting; a stream reads nothing past a blocked section.");
        }

        var position = 0;
        var requiredInsertCount = ReadPrefix(section, ref position, out var baseIndex);

        if (section.Length > _options.MaxFieldSectionSize)
        {
            throw SectionTooLarge(streamId, requiredInsertCount, $"Encoded field section of {section.Length} octets exceeds {_options.MaxFieldSectionSize}.");
        }

        if (requiredInsertCount > _table.InsertCount)
        {
            // RFC 9204 §2.1.2: "If the decoder encounters more blocked streams than it promised to support, it MUST
            // treat this as a connection error of type QPACK_DECOMPRESSION_FAILED."
            if (BlockedStreamCount >= _options.MaxBlockedStreams)
            {
                throw DecompressionFailed($"Stream {streamId} would block, and {BlockedStreamCount} of the {_options.MaxBlockedStreams} blocked streams we allow already are (RFC 9204 §2.1.2).");
            }

            _blocked[streamId] = new BlockedSection(section.ToArray(), requiredInsertCount, _blockSequence++);
            return FieldSectionStatus.Blocked;
        }

        DecodeLines(streamId, section, position, requiredInsertCount, baseIndex, sink);
        return FieldSectionStatus.Decoded;
    }

    /// <summary>The next stream whose blocked section can now be decoded with <see cref="DecodeUnblocked"/>.</summary>
    public bool TryTakeUnblockedStream(out long streamId)
    {
        while (_unblockedOrder.TryDequeue(out streamId))
        {
            if (_unblocked.ContainsKey(streamId)) return true;
        }

        return false;
    }

    /// <summary>Decodes the section that blocked <paramref name="streamId"/>, once its inserts have arrived.</summary>
    public void DecodeUnblocked(long streamId, IFieldLineSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (!_unblocked.Remove(streamId, out var section))
        {
            throw new InvalidOperationException($"Stream {streamId} has no section ready to decode.");
        }

        var position = 0;
        var requiredInsertCount = ReadPrefix(section.Bytes, ref position, out var baseIndex);
        DecodeLines(streamId, section.Bytes, position, requiredInsertCount, baseIndex, sink);
    }

    /// <summary>
    /// The stream was reset or its reading abandoned: drops a waiting section and tells the encoder (RFC 9204 §4.4.2),
    /// so it releases the entries the stream's sections pinned. Skipped when our table capacity is 0, as §4.4.2 allows.
    /// </summary>
    public void CancelStream(long streamId)
    {
        _blocked.Remove(streamId);
        _unblocked.Remove(streamId);
        if (_options.MaxTableCapacity == 0) return;
        WriteStreamCancellation(streamId);
    }

    // RFC 9204 §4.5.1: Required Insert Count (8+), then S and Delta Base (7+).
    private long ReadPrefix(ReadOnlySpan<byte> section, ref int position, out long baseIndex)
    {
        var encoded = ReadSectionInteger(section, ref position, 8);
        if (!RequiredInsertCount.TryDecode(encoded, _options.MaxTableCapacity, _table.InsertCount, out var requiredInsertCount))
        {
            throw DecompressionFailed($"Encoded Required Insert Count {encoded} is impossible here (RFC 9204 §4.5.1.1).");
        }

        if (position >= section.Length) throw DecompressionFailed("Field section ends inside its prefix (RFC 9204 §4.5.1).");
        var negative = (section[position] & 0x80) != 0;
        var deltaBase = ReadSectionInteger(section, ref position, 7);

        // RFC 9204 §4.5.1.2: Base = RIC + DeltaBase, or RIC - DeltaBase - 1 when S is set; a negative Base is an error.
        if (negative)
        {
            if (deltaBase >= requiredInsertCount) throw DecompressionFailed("Field section Base is negative (RFC 9204 §4.5.1.2).");
            baseIndex = requiredInsertCount - deltaBase - 1;
        }
        else
        {
            if (deltaBase > QpackInteger.MaxValue - requiredInsertCount) throw DecompressionFailed("Field section Base overflows (RFC 9204 §4.5.1.2).");
            baseIndex = requiredInsertCount + deltaBase;
        }

        return requiredInsertCount;
    }

    private void DecodeLines(long streamId, ReadOnlySpan<byte> section, int position, long requiredInsertCount, long baseIndex, IFieldLineSink sink)
    {
        var fieldCount = 0;
        long size = 0;
        long largestReference = -1;

        while (position < section.Length)
        {
            if (++fieldCount > _options.MaxFieldCount)
            {
                throw SectionTooLarge(streamId, requiredInsertCount, $"Field section has more than {_options.MaxFieldCount} lines.");
            }

            var first = section[position];
            ReadOnlySpan<byte> name;
            ReadOnlySpan<byte> value;
            var neverIndexed = false;

            if ((first & 0x80) != 0)
            {
                // §4.5.2 Indexed Field Line: 1 T Index(6+).
                var isStatic = (first & 0x40) != 0;
                var index = ReadSectionInteger(section, ref position, 6);
                GetEntry(isStatic, isStatic ? index : RelativeToAbsolute(index, baseIndex), requiredInsertCount, ref largestReference, out name, out value);
            }
            else if ((first & 0x40) != 0)
            {
                // §4.5.4 Literal Field Line with Name Reference: 0 1 N T Index(4+), then the value.
                neverIndexed = (first & 0x20) != 0;
                var isStatic = (first & 0x10) != 0;
                var index = ReadSectionInteger(section, ref position, 4);
                GetEntry(isStatic, isStatic ? index : RelativeToAbsolute(index, baseIndex), requiredInsertCount, ref largestReference, out name, out _);
                value = ReadSectionString(streamId, section, ref position, 7, scratchOffset: 0, requiredInsertCount, size + name.Length + QpackDynamicTable.EntryOverhead);
            }
            else if ((first & 0x20) != 0)
            {
                // §4.5.6 Literal Field Line with Literal Name: 0 0 1 N H NameLength(3+), name, then the value.
                neverIndexed = (first & 0x10) != 0;
                name = ReadSectionString(streamId, section, ref position, 3, scratchOffset: 0, requiredInsertCount, size + QpackDynamicTable.EntryOverhead);
                var nameInScratch = (first & 0x08) != 0;
                value = ReadSectionString(streamId, section, ref position, 7, nameInScratch ? name.Length : 0, requiredInsertCount,
                    size + name.Length + QpackDynamicTable.EntryOverhead);
            }
            else if ((first & 0x10) != 0)
            {
                // §4.5.3 Indexed Field Line with Post-Base Index: 0 0 0 1 Index(4+).
                var index = ReadSectionInteger(section, ref position, 4);
                GetEntry(isStatic: false, PostBaseToAbsolute(index, baseIndex), requiredInsertCount, ref largestReference, out name, out value);
            }
            else
            {
                // §4.5.5 Literal Field Line with Post-Base Name Reference: 0 0 0 0 N NameIndex(3+), then the value.
                neverIndexed = (first & 0x08) != 0;
                var index = ReadSectionInteger(section, ref position, 3);
                GetEntry(isStatic: false, PostBaseToAbsolute(index, baseIndex), requiredInsertCount, ref largestReference, out name, out _);
                value = ReadSectionString(streamId, section, ref position, 7, scratchOffset: 0, requiredInsertCount, size + name.Length + QpackDynamicTable.EntryOverhead);
            }

            // RFC 9114 §4.2.2: the size of a field line is name + value + 32.
            size += (long)name.Length + value.Length + QpackDynamicTable.EntryOverhead;
            if (size > _options.MaxFieldSectionSize)
            {
                throw SectionTooLarge(streamId, requiredInsertCount, $"Decoded field section exceeds {_options.MaxFieldSectionSize} octets.");
            }

            sink.OnFieldLine(name, value, neverIndexed);
        }

        if (requiredInsertCount == 0) return;

        // RFC 9204 §4.5.1.1: a Required Insert Count larger than the references need is an error (the encoder
        // "MUST" use the smallest one), as is the one below them, caught per reference in GetEntry.
        if (largestReference + 1 != requiredInsertCount)
        {
            throw DecompressionFailed($"Required Insert Count {requiredInsertCount} but the largest reference is {largestReference} (RFC 9204 §4.5.1.1).");
        }

        // RFC 9204 §4.4.1: acknowledge a section that referenced the dynamic table.
        WriteSectionAcknowledgment(streamId);
        if (requiredInsertCount > KnownReceivedCount) KnownReceivedCount = requiredInsertCount;
    }

    // §3.2.5: in a field section, relative index 0 is the entry just below the Base.
    private static long RelativeToAbsolute(long relativeIndex, long baseIndex) => baseIndex - 1 - relativeIndex;

    // §3.2.6: post-base index 0 is the entry at the Base.
    private static long PostBaseToAbsolute(long postBaseIndex, long baseIndex) =>
        postBaseIndex > QpackInteger.MaxValue - baseIndex ? long.MaxValue : baseIndex + postBaseIndex;

    private void GetEntry(bool isStatic, long index, long requiredInsertCount, scoped ref long largestReference, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (isStatic)
        {
            if (index >= QpackStaticTable.Count) throw DecompressionFailed($"Static index {index} is past the table (RFC 9204 §3.1).");
            ref readonly var entry = ref QpackStaticTable.Get((int)index);
            name = entry.Name;
            value = entry.Value;
            return;
        }

        // RFC 9204 §2.2.3: a reference to an evicted entry, or to one at or past the Required Insert Count, is
        // QPACK_DECOMPRESSION_FAILED.
        if (index < 0 || index >= requiredInsertCount || !_table.Contains(index))
        {
            throw DecompressionFailed($"Dynamic reference to absolute index {index} is invalid (Required Insert Count {requiredInsertCount}, table {_table.DroppedCount}..{_table.InsertCount - 1}) (RFC 9204 §2.2.3).");
        }

        if (index > largestReference) largestReference = index;
        ref readonly var dynamicEntry = ref _table.Get(index);
        name = dynamicEntry.Name;
        value = dynamicEntry.Value;
    }

    private static long ReadSectionInteger(ReadOnlySpan<byte> section, ref int position, int prefixBits)
    {
        return QpackInteger.TryRead(section, ref position, prefixBits, out var value) switch
        {
            QpackIntegerStatus.Done => value,
            QpackIntegerStatus.NeedMoreData => throw DecompressionFailed("Field section ends inside an integer (RFC 9204 §4.1.1)."),
            _ => throw DecompressionFailed("Field section integer exceeds 62 bits (RFC 9204 §4.1.1)."),
        };
    }

    // A literal: refused before it is copied or decoded if it cannot fit what remains of the section budget.
    private ReadOnlySpan<byte> ReadSectionString(long streamId, ReadOnlySpan<byte> section, scoped ref int position, int prefixBits, int scratchOffset,
        long requiredInsertCount, long sizeSoFar)
    {
        var status = QpackString.TryReadHeader(section, ref position, prefixBits, out var huffman, out var length);
        if (status == QpackIntegerStatus.Overflow) throw DecompressionFailed("String length exceeds 62 bits (RFC 9204 §4.1.1).");
        if (status == QpackIntegerStatus.NeedMoreData || length > section.Length - position)
        {
            throw DecompressionFailed("Field section ends inside a string literal (RFC 9204 §4.1.2).");
        }

        var budget = _options.MaxFieldSectionSize - sizeSoFar;
        var encoded = section.Slice(position, (int)length);
        position += (int)length;
        var leastDecoded = huffman ? QpackString.GetMinDecodedLength(length) : length;
        if (leastDecoded > budget) throw SectionTooLarge(streamId, requiredInsertCount, $"Decoded field section exceeds {_options.MaxFieldSectionSize} octets.");
        if (!huffman) return encoded;

        var destination = Scratch(scratchOffset, (int)Math.Min(budget, HuffmanDecoder.GetMaxDecodedLength(encoded.Length)));
        try
        {
            return destination[..HuffmanDecoder.Decode(encoded, destination)];
        }
        catch (HuffmanDecodingException e) when (e.IsDestinationTooSmall)
        {
            throw SectionTooLarge(streamId, requiredInsertCount, $"Decoded field section exceeds {_options.MaxFieldSectionSize} octets.");
        }
        catch (HuffmanDecodingException e)
        {
            throw new QpackException(QpackErrorCode.DecompressionFailed, $"Invalid Huffman string in a field section: {e.Message}", e);
        }
    }

    // The scratch buffer grows on demand; callers ask only within their budget.
    private Span<byte> Scratch(int offset, int length)
    {
        var needed = offset + length;
        if (needed > _scratch.Length)
        {
            // Doubling, but never past the larger of the two budgets a caller can ask within (a section's decoded
            // size, an entry's size), unless one request itself needs more (it cannot: callers cap by their budget).
            var cap = Math.Max(_options.MaxFieldSectionSize, _options.MaxTableCapacity);
            var grown = new byte[Math.Max(needed, Math.Min(Math.Max(InitialScratchSize, _scratch.Length * 2), cap))];
            _scratch.AsSpan(0, offset).CopyTo(grown);
            _scratch = grown;
        }

        return _scratch.AsSpan(offset, length);
    }

    private FieldSectionTooLargeException SectionTooLarge(long streamId, long requiredInsertCount, string message)
    {
        // The stream will be answered with an error or reset; release the entries its section pinned.
        if (requiredInsertCount > 0) WriteStreamCancellation(streamId);
        return new FieldSectionTooLargeException(message, streamId);
    }

    // ---------------------------------------------------------------- decoder stream (RFC 9204 §4.4)

    /// <summary>
    /// Appends the instructions owed on our decoder stream to <paramref name="output"/>: acknowledgments and
    /// cancellations, then one Insert Count Increment for inserts nothing acknowledged. Returns the octets written.
    /// </summary>
    public int WriteDecoderStreamInstructions(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var written = _instructionsLength;
        if (_instructionsLength > 0)
        {
            output.Write(_instructions.AsSpan(0, _instructionsLength));
            _instructionsLength = 0;
        }

        // RFC 9204 §4.4.3 Insert Count Increment: 0 0 Increment(6+).
        var increment = _table.InsertCount - KnownReceivedCount;
        if (increment > 0)
        {
            var span = output.GetSpan(QpackInteger.MaxEncodedLength);
            var length = QpackInteger.Write(increment, 6, 0x00, span);
            output.Advance(length);
            written += length;
            KnownReceivedCount = _table.InsertCount;
        }

        return written;
    }

    // RFC 9204 §4.4.1 Section Acknowledgment: 1 StreamID(7+).
    private void WriteSectionAcknowledgment(long streamId) => AppendInstruction(streamId, 7, 0x80);

    // RFC 9204 §4.4.2 Stream Cancellation: 0 1 StreamID(6+).
    private void WriteStreamCancellation(long streamId) => AppendInstruction(streamId, 6, 0x40);

    private void AppendInstruction(long value, int prefixBits, byte flags)
    {
        if (_instructions.Length - _instructionsLength < QpackInteger.MaxEncodedLength)
        {
            Array.Resize(ref _instructions, _instructions.Length * 2);
        }

        _instructionsLength += QpackInteger.Write(value, prefixBits, flags, _instructions.AsSpan(_instructionsLength));
    }

    private static QpackException DecompressionFailed(string message) => new(QpackErrorCode.DecompressionFailed, message);

    private static QpackException EncoderStreamError(string message) => new(QpackErrorCode.EncoderStreamError, message);

    private QpackException EntryTooLarge() =>
        EncoderStreamError($"Encoder inserts an entry larger than the table capacity {_table.Capacity} (RFC 9204 §3.2.2).");

    private readonly record struct BlockedSection(byte[] Bytes, long RequiredInsertCount, long Sequence);
}
