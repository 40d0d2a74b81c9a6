using System.Buffers;
using Hyper.Core.Application;
using Hyper.Core.Configuration;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Parses a request head (request line and field section, RFC 9112 §2.1) line by line, resumably: the
/// caller feeds the whole unconsumed buffer each time and the parser continues where it stopped, so the
/// head may arrive split at any byte. Limits are enforced on incomplete lines too, so no more than the
/// limits is ever buffered: a request line over the limit is refused with 414 before its CRLF arrives.
/// Each completed line is validated and copied out at once.
/// </summary>
internal sealed class Http11RequestParser(Http11Limits limits)
{
    private readonly LineScanner _lines = new();
    private readonly FieldBuffer _fields = new();
    private RequestLine? _requestLine;
    private long _headerSectionBytes;
    private byte[] _scratch = [];

    /// <summary>True once any byte of the head has been seen (it started the request-headers timer).</summary>
    public bool HasStarted { get; private set; }

    public void Reset()
    {
        _lines.Reset();
        _fields.Reset();
        _requestLine = null;
        _headerSectionBytes = 0;
        HasStarted = false;
    }

    /// <summary>
    /// Parses what <paramref name="buffer"/> holds of the head. Returns the complete head and its length in
    /// <paramref name="consumed"/>, or null when more bytes are needed. Throws <see cref="Http11ProtocolException"/>.
    /// </summary>
    public ParsedRequestHead? TryParse(in ReadOnlySequence<byte> buffer, out long consumed)
    {
        consumed = 0;
        if (buffer.Length > 0) HasStarted = true;

        while (_lines.TryReadLine(buffer, out var line))
        {
            if (_requestLine is null)
            {
                // Counted from the start of the head, so leading empty lines cannot stretch the limit.
                if (_lines.LineStart - 2 > limits.MaxRequestLineSize) throw RequestLineTooLong(line);
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
                if (line.Length == 0) continue;
                _requestLine = RequestLine.Parse(LineScanner.Contiguous(line, ref _scratch));
                continue;
            }

            if (line.Length == 0)
            {
                consumed = _lines.LineStart;
                var head = new ParsedRequestHead(_requestLine.Value, _fields.ToFields());
                Reset();
                return head;
            }

            _headerSectionBytes += line.Length + 2;
            if (_headerSectionBytes > limits.MaxHeaderSize) throw HeaderSectionTooLarge("header section exceeds the size limit");
            if (_fields.Count == limits.MaxHeaderCount) throw HeaderSectionTooLarge("too many header fields");
            FieldLineParser.ParseInto(LineScanner.Contiguous(line, ref _scratch), _fields);
        }

        // The head is incomplete: hold the limits against what is buffered so far.
        var pending = _lines.PendingLength(buffer);
        if (_requestLine is null)
        {
            // The line could still end in CR LF: only CR of it may be buffered beyond the limit.
            if (buffer.Length - 1 > limits.MaxRequestLineSize) throw RequestLineTooLong(buffer.Slice(_lines.LineStart));
        }
        // Two or more pending bytes cannot be the final empty line: they become a field line of at least
        // pending + 1 bytes (its CRLF completed).
        else if (pending >= 2 && _headerSectionBytes + pending + 1 > limits.MaxHeaderSize)
        {
            throw HeaderSectionTooLarge("header section exceeds the size limit");
        }
        return null;
    }

    /// <summary>
    /// 414 is about the request-target (RFC 9110 §15.5.15). A line over the limit that has no space yet is all method:
    /// a method token that long is no method the server implements, so it is a bad request (400), not a long URI.
    /// <paramref name="line"/> is the request line so far (leading empty lines were already read past).
    /// </summary>
    private static Http11ProtocolException RequestLineTooLong(in ReadOnlySequence<byte> line)
    {
        return line.PositionOf((byte)' ') is null
            ? new(Http11RejectReason.InvalidMethod, "method token exceeds the request-line size limit")
            : new(Http11RejectReason.RequestLineTooLong, "request line exceeds the size limit");
    }

    private static Http11ProtocolException HeaderSectionTooLarge(string detail) => new(Http11RejectReason.HeaderSectionTooLarge, detail);
}
