using Hyper.Core.Http.Huffman;

namespace Hyper.Http2.Hpack;

/// <summary>
/// Decodes complete HPACK header blocks (RFC 7541) into an <see cref="IHeaderSink"/>, keeping the dynamic table
/// across blocks of one connection.
/// </summary>
/// <remarks>
/// <para>Theory of operation: the caller concatenates HEADERS/PUSH_PROMISE and CONTINUATION fragments and hands over one
/// complete block. Each representation is told apart by its first octet (RFC 7541 §6):</para>
/// <code>
/// 1xxxxxxx  indexed field                      §6.1   (7-bit index)
/// 01xxxxxx  literal, incremental indexing      §6.2.1 (6-bit name index, 0 = literal name)
/// 001xxxxx  dynamic table size update          §6.3   (5-bit size)
/// 0001xxxx  literal, never indexed             §6.2.3 (4-bit name index)
/// 0000xxxx  literal, without indexing          §6.2.2 (4-bit name index)
/// </code>
/// <para>Limits are enforced while decoding (docs/security.md B1.6, B1.9, B1.10): before a field is decoded its count is
/// checked, and before each string is copied or Huffman-decoded its size is checked against what is left of the header
/// list budget (RFC 9113 §6.5.2: name + value + 32 per field). A Huffman string decodes into a scratch buffer no larger
/// than that budget, so neither a bomb of indexed references nor a flood of empty literals allocates past the limit.
/// Raw literals are passed to the sink straight from the input block; only dynamic-table insertions allocate.</para>
/// <para>Any exception leaves the dynamic table unusable; the caller ends the connection (RFC 9113 §4.3).</para>
/// </remarks>
public sealed class HpackDecoder
{
    private const int InitialScratchSize = 256;

    private readonly DynamicTable _table;
    private readonly int _maxHeaderListSize;
    private readonly int _maxFieldCount;
    private int _maxDynamicTableSize;
    private bool _sizeUpdateRequired;
    private byte[] _scratch = [];

    /// <param name="maxDynamicTableSize">The SETTINGS_HEADER_TABLE_SIZE we advertise (default 4096, RFC 9113 §6.5.2).</param>
    /// <param name="maxHeaderListSize">Decoded header list limit, 32 octets counted per field (Hypercorn's h2_max_header_list_size is 65,536).</param>
    /// <param name="maxFieldCount">Fields per block (100: Kestrel, Gunicorn; docs/security.md (defaults)).</param>
    public HpackDecoder(int maxDynamicTableSize = 4096, int maxHeaderListSize = 64 * 1024, int maxFieldCount = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDynamicTableSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeaderListSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFieldCount);
        _maxDynamicTableSize = maxDynamicTableSize;
        _maxHeaderListSize = maxHeaderListSize;
        _maxFieldCount = maxFieldCount;
        _table = new DynamicTable(maxDynamicTableSize);
    }

    /// <summary>
    /// The SETTINGS_HEADER_TABLE_SIZE we advertised: the bound on the peer's size updates (RFC 7541 §6.3). Set it when
    /// the peer acknowledges a SETTINGS frame that changes it. Lowering it below the table's current maximum makes a
    /// size update at the start of the next block mandatory (RFC 7541 §4.2).
    /// </summary>
    public int MaxDynamicTableSize
    {
        get => _maxDynamicTableSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxDynamicTableSize = value;
            if (value < _table.MaxSize) _sizeUpdateRequired = true;
        }
    }

    /// <summary>The decoded header list limit in octets (RFC 9113 §6.5.2).</summary>
    public int MaxHeaderListSize => _maxHeaderListSize;

    /// <summary>The maximum number of fields per block.</summary>
    public int MaxFieldCount => _maxFieldCount;

    /// <summary>The dynamic table's current size in octets (RFC 7541 §4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>The dynamic table's current maximum size, as last set by the peer's size update.</summary>
    public int DynamicTableMaxSize => _table.MaxSize;

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>The scratch buffer's current length, for tests that check it never outgrows the header list limit.</summary>
    internal int ScratchCapacity => _scratch.Length;

    /// <summary>Decodes one complete header block, reporting each field to <paramref name="sink"/> in order.</summary>
    /// <exception cref="HpackDecodingException">The block is invalid; <see cref="HeaderListTooLargeException"/> when a limit is hit.</exception>
    public void Decode(ReadOnlySpan<byte> headerBlock, IHeaderSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var position = 0;
        var fieldCount = 0;
        long listSize = 0;

        while (position < headerBlock.Length)
        {
            var first = headerBlock[position];
            if ((first & 0xE0) == 0x20)
            {
                ReadSizeUpdate(headerBlock, ref position, fieldCount);
                continue;
            }

            // RFC 7541 §4.2: after our limit was lowered, the change "MUST occur at the beginning of the first header
            // block following the change".
            if (_sizeUpdateRequired) throw SizeUpdateMissing();

            fieldCount++;
            if (fieldCount > _maxFieldCount)
            {
                throw new HeaderListTooLargeException(HpackDecodingReason.TooManyFields, fieldCount, listSize);
            }

            if ((first & 0x80) != 0)
            {
                ReadIndexedField(headerBlock, ref position, sink, fieldCount, ref listSize);
            }
            else if ((first & 0x40) != 0)
            {
                ReadLiteralField(headerBlock, ref position, sink, prefixBits: 6, fieldCount, ref listSize);
            }
            else
            {
                ReadLiteralField(headerBlock, ref position, sink, prefixBits: 4, fieldCount, ref listSize);
            }
        }

        if (_sizeUpdateRequired) throw SizeUpdateMissing();
    }

    // RFC 7541 §6.1
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 |        Index (7+)         |
    // +---+---------------------------+
    private void ReadIndexedField(ReadOnlySpan<byte> block, ref int position, IHeaderSink sink, int fieldCount, ref long listSize)
    {
        var index = HpackInteger.Decode(block, ref position, 7);
        GetEntry(index, out var name, out var value);
        listSize += (long)name.Length + value.Length + DynamicTableEntry.Overhead;
        if (listSize > _maxHeaderListSize) throw ListTooLarge(fieldCount, listSize);
        sink.OnHeader(name, value, neverIndexed: false);
    }

    // RFC 7541 §6.2.1 (01, 6-bit index), §6.2.2 (0000, 4-bit), §6.2.3 (0001, 4-bit):
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 |      Index (6+)       |     or  | 0 | 0 | 0 | N |  Index (4+)   |
    // +---+---+-----------------------+
    // | H |     Value Length (7+)     |     preceded, when Index is 0, by the name as a string literal
    // +---+---------------------------+
    // | Value String (Length octets)  |
    // +-------------------------------+
    private void ReadLiteralField(ReadOnlySpan<byte> block, ref int position, IHeaderSink sink, int prefixBits, int fieldCount, ref long listSize)
    {
        var first = block[position];
        var incrementalIndexing = prefixBits == 6;
        var neverIndexed = !incrementalIndexing && (first & 0x10) != 0;

        listSize += DynamicTableEntry.Overhead;
        if (listSize > _maxHeaderListSize) throw ListTooLarge(fieldCount, listSize);

        var nameIndex = HpackInteger.Decode(block, ref position, prefixBits);
        ReadOnlySpan<byte> name;
        var scratchUsed = 0;
        if (nameIndex == 0)
        {
            name = ReadString(block, ref position, scratchOffset: 0, fieldCount, listSize, out var nameInScratch);
            if (nameInScratch) scratchUsed = name.Length;
        }
        else
        {
            GetEntry(nameIndex, out name, out _);
        }

        listSize += name.Length;
        if (listSize > _maxHeaderListSize) throw ListTooLarge(fieldCount, listSize);

        var value = ReadString(block, ref position, scratchUsed, fieldCount, listSize, out _);
        listSize += value.Length;

        if (incrementalIndexing)
        {
            // The spans stay valid: entries never rewrite their arrays, and the scratch buffer is not touched here.
            _table.Insert(name, value);
        }

        sink.OnHeader(name, value, neverIndexed);
    }

    // RFC 7541 §5.2
    // +---+---+---+---+---+---+---+---+
    // | H |    String Length (7+)     |
    // +---+---------------------------+
    // |  String Data (Length octets)  |
    // +-------------------------------+
    private ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, scoped ref int position, int scratchOffset, int fieldCount, long listSize, out bool inScratch)
    {
        if (position >= block.Length) throw Truncated();
        var huffman = (block[position] & 0x80) != 0;
        var length = HpackInteger.Decode(block, ref position, 7);
        if (length > block.Length - position) throw Truncated();

        var encoded = block.Slice(position, length);
        position += length;
        var budget = _maxHeaderListSize - listSize;

        if (!huffman)
        {
            inScratch = false;
            if (length > budget) throw ListTooLarge(fieldCount, listSize + length);
            return encoded;
        }

        // Decode into at most what the budget allows: a string that would exceed it fails inside the decoder,
        // before any further octet is produced or any buffer grows past the limit.
        var capacity = (int)Math.Min(budget, HuffmanDecoder.GetMaxDecodedLength(length));
        var destination = Scratch(scratchOffset, capacity);
        try
        {
            inScratch = true;
            return destination[..HuffmanDecoder.Decode(encoded, destination)];
        }
        catch (HuffmanDecodingException e) when (e.IsDestinationTooSmall)
        {
            throw ListTooLarge(fieldCount, listSize + capacity + 1);
        }
        catch (HuffmanDecodingException e)
        {
            throw new HpackDecodingException(HpackDecodingReason.InvalidHuffman, e.Message, e);
        }
    }

    // RFC 7541 §6.3
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Max size (5+)   |
    // +---+---------------------------+
    private void ReadSizeUpdate(ReadOnlySpan<byte> block, ref int position, int fieldCount)
    {
        // RFC 7541 §4.2: "This dynamic table size update MUST occur at the beginning of the first header block
        // following the change to the dynamic table size."
        if (fieldCount > 0)
        {
            throw new HpackDecodingException(HpackDecodingReason.TableSizeUpdateNotAtStart,
                "Dynamic table size update after a header field (RFC 7541 §4.2).");
        }

        var size = HpackInteger.Decode(block, ref position, 5);

        // RFC 7541 §6.3: "The new maximum size MUST be lower than or equal to the limit ... Setting a value that
        // exceeds this limit MUST be treated as a decoding error."
        if (size > _maxDynamicTableSize)
        {
            throw new HpackDecodingException(HpackDecodingReason.TableSizeUpdateTooLarge,
                $"Dynamic table size update to {size} exceeds the advertised {_maxDynamicTableSize} (RFC 7541 §6.3).");
        }

        _table.Resize(size);
        _sizeUpdateRequired = false;
    }

    // RFC 7541 §2.3.3: indices 1..61 are static, 62.. dynamic; "Indices strictly greater than the sum of the lengths
    // of both tables MUST be treated as a decoding error", and §6.1: "The index value of 0 is not used."
    private void GetEntry(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index >= 1 && index <= StaticTable.Count)
        {
            var entry = StaticTable.Get(index);
            name = entry.Name;
            value = entry.Value;
            return;
        }

        var dynamicIndex = index - StaticTable.Count - 1;
        if (index == 0 || dynamicIndex >= _table.Count)
        {
            throw new HpackDecodingException(HpackDecodingReason.InvalidIndex,
                $"Index {index} is outside the static and dynamic tables (RFC 7541 §2.3.3).");
        }

        ref readonly var dynamicEntry = ref _table[dynamicIndex];
        name = dynamicEntry.Name;
        value = dynamicEntry.Value;
    }

    // The scratch buffer grows on demand, and never past the header list limit: callers cap what they ask for by the
    // remaining budget, and a field's name and value together fit in it.
    private Span<byte> Scratch(int offset, int length)
    {
        var needed = offset + length;
        if (needed > _scratch.Length)
        {
            var size = Math.Max(needed, Math.Min(Math.Max(InitialScratchSize, _scratch.Length * 2), _maxHeaderListSize));
            var grown = new byte[size];
            _scratch.AsSpan(0, offset).CopyTo(grown);
            _scratch = grown;
        }

        return _scratch.AsSpan(offset, length);
    }

    private static HeaderListTooLargeException ListTooLarge(int fieldCount, long size) =>
        new(HpackDecodingReason.HeaderListTooLarge, fieldCount, size);

    private static HpackDecodingException Truncated() =>
        new(HpackDecodingReason.Truncated, "Header block ends inside a string literal (RFC 7541 §5.2).");

    private static HpackDecodingException SizeUpdateMissing() =>
        new(HpackDecodingReason.TableSizeUpdateMissing,
            "Header block does not start with the dynamic table size update our lowered limit requires (RFC 7541 §4.2).");
}
