using System.Buffers;

namespace Hyper.Http3.Qpack;

/// <summary>
/// The encoding half of one HTTP/3 connection's QPACK state. It uses the static table and literals only: every
/// section starts with Required Insert Count 0 and Base 0, it never writes to its encoder stream, and a peer's decoder
/// never blocks on it (docs/http3.md explains the choice).
/// </summary>
/// <remarks>
/// Each field line is the shortest of: an Indexed Field Line on an exact static match (RFC 9204 §4.5.2), a Literal
/// with a static Name Reference (§4.5.4), or a Literal with a Literal Name (§4.5.6); strings are Huffman-coded when
/// that is shorter. It still reads the peer's decoder stream (<see cref="ReceiveDecoderStream"/>), whose instructions
/// must make sense against what we sent: since we never insert nor reference the dynamic table, a Section
/// Acknowledgment or an Insert Count Increment is a QPACK_DECODER_STREAM_ERROR (§4.4.1, §4.4.3).
/// </remarks>
public sealed class QpackEncoder
{
    // The most octets one field line's framing takes beyond its name and value: a prefix octet with an index, two
    // string lengths.
    private const int LineOverhead = 3 * QpackInteger.MaxEncodedLength;

    private readonly byte[] _decoderTail = new byte[QpackInteger.MaxEncodedLength];
    private int _decoderTailLength;

    /// <summary>Stream Cancellations the peer sent; they release nothing here, but show the stream is done with.</summary>
    public long StreamCancellationsReceived { get; private set; }

    /// <summary>Writes the section prefix: Required Insert Count 0, Base 0 (RFC 9204 §4.5.1).</summary>
    public static void WriteSectionPrefix(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(2);
        span[0] = 0x00;
        span[1] = 0x00;
        output.Advance(2);
    }

    /// <summary>Writes one field line after <see cref="WriteSectionPrefix"/>. Returns the octets written.</summary>
    public static int WriteFieldLine(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(LineOverhead + name.Length + value.Length);
        var written = WriteFieldLine(span, name, value);
        output.Advance(written);
        return written;
    }

    /// <summary>The most octets <see cref="WriteFieldLine(Span{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> may use.</summary>
    public static int GetMaxFieldLineLength(int nameLength, int valueLength) => LineOverhead + nameLength + valueLength;

    /// <summary>Writes one field line into <paramref name="destination"/>, sized by <see cref="GetMaxFieldLineLength"/>.</summary>
    public static int WriteFieldLine(Span<byte> destination, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var index = QpackStaticTable.Find(name, value, out var exact);
        if (exact)
        {
            // §4.5.2 Indexed Field Line, static: 1 1 Index(6+).
            return QpackInteger.Write(index, 6, 0xC0, destination);
        }

        if (index >= 0)
        {
            // §4.5.4 Literal Field Line with Name Reference, static, N = 0: 0 1 0 1 Index(4+), value (H, 7+).
            var written = QpackInteger.Write(index, 4, 0x50, destination);
            return written + QpackString.Write(value, 7, 0x00, destination[written..]);
        }

        // §4.5.6 Literal Field Line with Literal Name, N = 0: 0 0 1 0 H NameLength(3+), name, value (H, 7+).
        var nameWritten = QpackString.Write(name, 3, 0x20, destination);
        return nameWritten + QpackString.Write(value, 7, 0x00, destination[nameWritten..]);
    }

    /// <summary>
    /// Writes <c>:status</c>: the static entry when there is one (103, 200, 304, 404, 503, 100, 204, 206, 302, 400, 403,
    /// 421, 425, 500), else a literal on the static name <c>:status</c>.
    /// </summary>
    public static int WriteStatus(IBufferWriter<byte> output, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        Span<byte> digits = [(byte)('0' + statusCode / 100), (byte)('0' + statusCode / 10 % 10), (byte)('0' + statusCode % 10)];
        return WriteFieldLine(output, ":status"u8, digits);
    }

    /// <summary>Feeds bytes of the peer's decoder stream, in order, split anywhere.</summary>
    /// <exception cref="QpackException">QPACK_DECODER_STREAM_ERROR.</exception>
    public void ReceiveDecoderStream(ReadOnlySpan<byte> data)
    {
        // Each instruction is one integer, at most 10 octets: finish a held partial one octet by octet, then parse in place.
        while (_decoderTailLength > 0 && !data.IsEmpty)
        {
            _decoderTail[_decoderTailLength++] = data[0];
            data = data[1..];
            var position = 0;
            if (TryParseDecoderInstruction(_decoderTail.AsSpan(0, _decoderTailLength), ref position)) _decoderTailLength = 0;
            else if (_decoderTailLength == _decoderTail.Length) throw DecoderStreamError("Decoder instruction integer exceeds 62 bits (RFC 9204 §4.1.1).");
        }

        if (_decoderTailLength > 0) return; // still partial, and every octet went into it

        var at = 0;
        while (at < data.Length && TryParseDecoderInstruction(data, ref at))
        {
        }

        var tail = data[at..];
        tail.CopyTo(_decoderTail);
        _decoderTailLength = tail.Length;
    }

    private bool TryParseDecoderInstruction(ReadOnlySpan<byte> data, ref int position)
    {
        var first = data[position];
        var prefixBits = (first & 0x80) != 0 ? 7 : 6;
        var p = position;
        var status = QpackInteger.TryRead(data, ref p, prefixBits, out var value);
        if (status == QpackIntegerStatus.Overflow) throw DecoderStreamError("Decoder instruction integer exceeds 62 bits (RFC 9204 §4.1.1).");
        if (status == QpackIntegerStatus.NeedMoreData) return false;

        if ((first & 0x80) != 0)
        {
            // §4.4.1: "If an encoder receives a Section Acknowledgment instruction referring to a stream on which every
            // encoded field section with a non-zero Required Insert Count has already been acknowledged, this MUST be
            // treated as a connection error of type QPACK_DECODER_STREAM_ERROR." No section of ours has one.
            throw DecoderStreamError($"Section Acknowledgment for stream {value}, but no section we sent referenced the dynamic table (RFC 9204 §4.4.1).");
        }

        if ((first & 0x40) != 0)
        {
            StreamCancellationsReceived++;
        }
        else
        {
            // §4.4.3: an increment of 0, or one past what we inserted (nothing), is QPACK_DECODER_STREAM_ERROR.
            throw DecoderStreamError($"Insert Count Increment of {value}, but we never insert into the dynamic table (RFC 9204 §4.4.3).");
        }

        position = p;
        return true;
    }

    private static QpackException DecoderStreamError(string message) => new(QpackErrorCode.DecoderStreamError, message);
}
