using System.Buffers;
using Hyper.Core.Http.Huffman;

namespace Hyper.Http2.Hpack;

/// <summary>
/// Encodes header blocks (RFC 7541) for one connection's outbound direction, keeping the dynamic table in step with
/// the peer's decoder.
/// </summary>
/// <remarks>
/// <para>Use: call <see cref="BeginBlock"/> at the start of every header block (it emits pending dynamic table size
/// updates, which RFC 7541 §4.2 requires at the start of a block), then <see cref="EncodeStatus"/> for a response's
/// <c>:status</c> and <see cref="Encode"/> per field. Names must already be lower-case (RFC 9113 §8.2.1).</para>
/// <para>Strategy, per field: a sensitive field (the caller says so, or its name is <c>authorization</c>,
/// <c>proxy-authorization</c>, <c>cookie</c> or <c>set-cookie</c>) is a never-indexed literal (§6.2.3, §7.1.3);
/// otherwise a full match in the static, then the dynamic, table is an indexed field (§6.1); otherwise a literal that
/// reuses an indexed name, inserted with incremental indexing (§6.2.1) unless its value is over
/// <see cref="MaxIndexedValueLength"/> octets, it could not fit the table, or its name carries per-response values that
/// would only churn the table (<c>content-length</c>, <c>content-range</c>, <c>etag</c>, <c>last-modified</c>,
/// <c>age</c>, <c>:path</c>). Each string is Huffman-coded only when that is shorter (§5.2).</para>
/// </remarks>
public sealed class HpackEncoder
{
    /// <summary>Longer values are sent without indexing, so one large value does not flush the table.</summary>
    public const int MaxIndexedValueLength = 256;

    // RFC 9113 §6.5.2: SETTINGS_HEADER_TABLE_SIZE starts at 4096, so the peer's decoder starts with that table.
    private const int InitialPeerTableSize = 4096;

    private readonly int _maxTableSizeCap;
    private readonly DynamicTable _table;
    private bool _sizeUpdatePending;
    private int _pendingSmallestSize;
    private int _pendingSize;

    /// <param name="maxDynamicTableSize">Our own cap on the table we keep for the peer, whatever it allows.</param>
    public HpackEncoder(int maxDynamicTableSize = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDynamicTableSize);
        _maxTableSizeCap = maxDynamicTableSize;
        _table = new DynamicTable(InitialPeerTableSize);
        SetPeerMaxTableSize(InitialPeerTableSize);
    }

    /// <summary>The dynamic table's current size in octets (RFC 7541 §4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>The dynamic table's maximum size as last signalled to the peer.</summary>
    public int DynamicTableMaxSize => _table.MaxSize;

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>
    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE: the table becomes min(<paramref name="size"/>, our cap), signalled
    /// by a size update at the start of the next block.
    /// </summary>
    public void SetPeerMaxTableSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var target = Math.Min(size, _maxTableSizeCap);
        _pendingSmallestSize = _sizeUpdatePending ? Math.Min(_pendingSmallestSize, target) : target;
        _pendingSize = target;
        _sizeUpdatePending = true;
    }

    /// <summary>Starts a header block: writes the dynamic table size updates owed since the last block.</summary>
    public void BeginBlock(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_sizeUpdatePending) return;
        _sizeUpdatePending = false;

        // RFC 7541 §4.2: "If the maximum size is reduced and then increased between two header blocks, the encoder
        // MUST signal the smallest value, followed by the final value, in the next header block."
        if (_pendingSmallestSize < _table.MaxSize) WriteSizeUpdate(_pendingSmallestSize, output);
        if (_pendingSize != _table.MaxSize) WriteSizeUpdate(_pendingSize, output);
    }

    /// <summary>
    /// Writes <c>:status</c>: one octet for the statuses of the static table (200, 204, 206, 304, 400, 404, 500,
    /// RFC 7541 Appendix A), else a literal through <see cref="Encode"/>.
    /// </summary>
    public void EncodeStatus(int status, IBufferWriter<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        var staticIndex = status switch
        {
            200 => StaticTable.Status200,
            204 => StaticTable.Status200 + 1,
            206 => StaticTable.Status200 + 2,
            304 => StaticTable.Status200 + 3,
            400 => StaticTable.Status200 + 4,
            404 => StaticTable.Status200 + 5,
            500 => StaticTable.Status200 + 6,
            _ => 0,
        };
        if (staticIndex != 0)
        {
            WriteIndexed(staticIndex, output);
            return;
        }

        Span<byte> digits = [(byte)('0' + status / 100), (byte)('0' + status / 10 % 10), (byte)('0' + status % 10)];
        Encode(":status"u8, digits, sensitive: false, output);
    }

    /// <summary>Writes one field; <paramref name="sensitive"/> forces a never-indexed literal (RFC 7541 §7.1.3).</summary>
    public void Encode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool sensitive, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (sensitive || IsSensitiveName(name))
        {
            // RFC 7541 §6.2.3: 0001xxxx, 4-bit name index; intermediaries must keep it unindexed.
            WriteLiteral(0x10, 4, FindNameIndex(name), name, value, output);
            return;
        }

        var index = StaticTable.Find(name, value, out var fullMatch);
        if (fullMatch)
        {
            WriteIndexed(index, output);
            return;
        }

        var dynamicIndex = _table.FindFullMatch(name, value);
        if (dynamicIndex >= 0)
        {
            WriteIndexed(StaticTable.Count + 1 + dynamicIndex, output);
            return;
        }

        if (index == 0) index = FindDynamicNameIndex(name);

        if (ShouldIndex(name, value))
        {
            // RFC 7541 §6.2.1: 01xxxxxx, 6-bit name index; the decoder inserts the field as we do.
            WriteLiteral(0x40, 6, index, name, value, output);
            _table.Insert(name, value);
        }
        else
        {
            // RFC 7541 §6.2.2: 0000xxxx, 4-bit name index.
            WriteLiteral(0x00, 4, index, name, value, output);
        }
    }

    private bool ShouldIndex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        value.Length <= MaxIndexedValueLength
        && (long)name.Length + value.Length + DynamicTableEntry.Overhead <= _table.MaxSize
        && !IsVolatileName(name);

    // RFC 7541 §7.1.3: values an attacker could guess one probe at a time (credentials, cookies) must not be indexed,
    // or table-state side channels (CRIME-like) reveal them.
    private static bool IsSensitiveName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("authorization"u8) || name.SequenceEqual("proxy-authorization"u8)
        || name.SequenceEqual("cookie"u8) || name.SequenceEqual("set-cookie"u8);

    private static bool IsVolatileName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("content-length"u8) || name.SequenceEqual("content-range"u8)
        || name.SequenceEqual("etag"u8) || name.SequenceEqual("last-modified"u8)
        || name.SequenceEqual("age"u8) || name.SequenceEqual(":path"u8);

    private int FindNameIndex(ReadOnlySpan<byte> name)
    {
        var index = StaticTable.FindName(name);
        return index != 0 ? index : FindDynamicNameIndex(name);
    }

    private int FindDynamicNameIndex(ReadOnlySpan<byte> name)
    {
        var dynamicIndex = _table.FindName(name);
        return dynamicIndex >= 0 ? StaticTable.Count + 1 + dynamicIndex : 0;
    }

    // RFC 7541 §6.3: 001xxxxx, 5-bit size.
    private void WriteSizeUpdate(int size, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(HpackInteger.MaxEncodedLength);
        output.Advance(HpackInteger.Encode(size, 5, 0x20, span));
        _table.Resize(size);
    }

    // RFC 7541 §6.1: 1xxxxxxx, 7-bit index.
    private static void WriteIndexed(int index, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(HpackInteger.MaxEncodedLength);
        output.Advance(HpackInteger.Encode(index, 7, 0x80, span));
    }

    private static void WriteLiteral(byte flags, int prefixBits, int nameIndex, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, IBufferWriter<byte> output)
    {
        var maxLength = checked(HpackInteger.MaxEncodedLength * 3 + (nameIndex == 0 ? name.Length : 0) + value.Length);
        var span = output.GetSpan(maxLength);
        var written = HpackInteger.Encode(nameIndex, prefixBits, flags, span);
        if (nameIndex == 0) written += WriteString(name, span[written..]);
        written += WriteString(value, span[written..]);
        output.Advance(written);
    }

    // RFC 7541 §5.2: H = 1 and the Huffman code when it is shorter, else the raw octets.
    private static int WriteString(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var huffmanLength = HuffmanEncoder.GetEncodedLength(text);
        if (huffmanLength < text.Length)
        {
            var headerLength = HpackInteger.Encode(huffmanLength, 7, 0x80, destination);
            return headerLength + HuffmanEncoder.Encode(text, destination[headerLength..]);
        }

        var length = HpackInteger.Encode(text.Length, 7, 0x00, destination);
        text.CopyTo(destination[length..]);
        return length + text.Length;
    }
}
