using System.Buffers;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Finds CRLF-terminated lines in a buffer whose start stays put between calls (the driver re-feeds every
/// unconsumed byte). It remembers how far it has already searched, so input that arrives one byte at a time
/// is scanned once, not once per call.
/// </summary>
internal sealed class LineScanner
{
    private long _lineStart;
    private long _scannedTo;

    /// <summary>Offset of the first byte of the line not yet returned.</summary>
    public long LineStart => _lineStart;

    /// <summary>Bytes of the incomplete line at the end of <paramref name="buffer"/>.</summary>
    public long PendingLength(in ReadOnlySequence<byte> buffer) => buffer.Length - _lineStart;

    public void Reset()
    {
        _lineStart = 0;
        _scannedTo = 0;
    }

    /// <summary>Returns the next complete line without its CRLF, or false when its LF has not arrived yet.</summary>
    public bool TryReadLine(in ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var rest = buffer.Slice(_scannedTo);
        var lf = rest.PositionOf((byte)'\n');
        if (lf is null)
        {
            _scannedTo = buffer.Length;
            line = default;
            return false;
        }

        var lfOffset = _scannedTo + rest.Slice(0, lf.Value).Length;
        var withCr = buffer.Slice(_lineStart, lfOffset - _lineStart);
        _lineStart = _scannedTo = lfOffset + 1;

        // RFC 9112 §2.2: a bare CR MUST be rejected; a bare LF MAY be accepted, but Hyper takes CRLF only
        // (docs/security.md H1-08) so that no two parsers can disagree about where a line ends.
        if (withCr.Length == 0 || LastByte(withCr) != (byte)'\r')
            throw new Http11ProtocolException(Http11RejectReason.BareLineTerminator, "line ends in a bare LF");
        line = withCr.Slice(0, withCr.Length - 1);
        if (line.PositionOf((byte)'\r') is not null)
            throw new Http11ProtocolException(Http11RejectReason.BareLineTerminator, "bare CR inside a line");
        return true;
    }

    /// <summary>A contiguous view of <paramref name="line"/>, copied into <paramref name="scratch"/> when it spans segments.</summary>
    public static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> line, ref byte[] scratch)
    {
        if (line.IsSingleSegment) return line.FirstSpan;
        if (scratch.Length < line.Length) scratch = new byte[Math.Max(line.Length, scratch.Length * 2)];
        line.CopyTo(scratch);
        return scratch.AsSpan(0, (int)line.Length);
    }

    private static byte LastByte(in ReadOnlySequence<byte> sequence) => sequence.Slice(sequence.Length - 1).FirstSpan[0];
}
