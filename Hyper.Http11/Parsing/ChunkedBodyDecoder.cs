using System.Buffers;
using Hyper.Core.Application;
using Hyper.Core.Configuration;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 §7.1), one step per call:
/// <code>
/// chunked-body = *chunk last-chunk trailer-section CRLF
/// chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
/// last-chunk   = 1*("0") [ chunk-ext ] CRLF
/// </code>
/// Each call gets the unconsumed input starting where the previous call's consumption ended. A chunk line and
/// the trailer section are consumed only once complete (bounded by <see cref="Http11Limits.MaxChunkLineSize"/>
/// and <see cref="Http11Limits.MaxTrailerSize"/>); chunk data is handed out as slices of the input.
/// </summary>
internal sealed class ChunkedBodyDecoder(Http11Limits limits)
{
    private readonly LineScanner _lines = new();
    private readonly List<HeaderField> _trailers = [];
    private long _chunkRemaining;
    private long _trailerBytes;
    private int _trailerCount;
    private byte[] _scratch = [];

    public ChunkedDecoderState State { get; private set; } = ChunkedDecoderState.ChunkLine;

    /// <summary>Chunk-data bytes received so far (what counts against the body limit).</summary>
    public long BodyBytes { get; private set; }

    /// <summary>The accepted trailer fields, once <see cref="ChunkedStep.Completed"/>; null when there were none.</summary>
    public IReadOnlyList<HeaderField>? Trailers => _trailers.Count == 0 ? null : _trailers.ToArray();

    public ChunkedStep Decode(in ReadOnlySequence<byte> buffer, out long consumed, out ReadOnlySequence<byte> data)
    {
        consumed = 0;
        data = default;
        return State switch
        {
            ChunkedDecoderState.ChunkLine => ReadChunkLine(buffer, out consumed),
            ChunkedDecoderState.ChunkData => ReadChunkData(buffer, out consumed, out data),
            ChunkedDecoderState.ChunkDataEnd => ReadChunkDataEnd(buffer, out consumed),
            ChunkedDecoderState.Trailers => ReadTrailers(buffer, out consumed),
            _ => ChunkedStep.Completed,
        };
    }

    private ChunkedStep ReadChunkLine(in ReadOnlySequence<byte> buffer, out long consumed)
    {
        consumed = 0;
        if (!_lines.TryReadLine(buffer, out var line))
        {
            // docs/security.md H1-06: the chunk-size line, extensions included, is bounded (4 KiB by default).
            if (_lines.PendingLength(buffer) - 1 > limits.MaxChunkLineSize) throw new Http11ProtocolException(Http11RejectReason.InvalidChunkLine, "chunk-size line too long");
            return ChunkedStep.NeedMore;
        }
        if (line.Length > limits.MaxChunkLineSize) throw new Http11ProtocolException(Http11RejectReason.InvalidChunkLine, "chunk-size line too long");

        var size = ChunkLine.ParseSize(LineScanner.Contiguous(line, ref _scratch));
        consumed = _lines.LineStart;
        _lines.Reset();

        if (size == 0)
        {
            State = ChunkedDecoderState.Trailers;
            return ChunkedStep.Progress;
        }
        if (limits.MaxBodySize > 0 && size > limits.MaxBodySize - BodyBytes)
            throw new Http11ProtocolException(Http11RejectReason.BodyTooLarge, "chunked body exceeds the body limit");
        _chunkRemaining = size;
        State = ChunkedDecoderState.ChunkData;
        return ChunkedStep.Progress;
    }

    private ChunkedStep ReadChunkData(in ReadOnlySequence<byte> buffer, out long consumed, out ReadOnlySequence<byte> data)
    {
        consumed = Math.Min(_chunkRemaining, buffer.Length);
        data = buffer.Slice(0, consumed);
        _chunkRemaining -= consumed;
        BodyBytes += consumed;
        if (_chunkRemaining == 0) State = ChunkedDecoderState.ChunkDataEnd;
        return consumed == 0 ? ChunkedStep.NeedMore : ChunkedStep.Data;
    }

    private ChunkedStep ReadChunkDataEnd(in ReadOnlySequence<byte> buffer, out long consumed)
    {
        consumed = 0;
        // RFC 9112 §7.1: chunk-data is followed by exactly CRLF. Anything else means the size lied and the
        // rest would be parsed as something else (TERM.SPILL, h11 CVE-2025-43859; docs/security.md H1-07).
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryRead(out var cr) && cr != (byte)'\r') throw Spill();
        if (reader.TryRead(out var lf) && lf != (byte)'\n') throw Spill();
        if (reader.Consumed < 2) return ChunkedStep.NeedMore;
        consumed = 2;
        State = ChunkedDecoderState.ChunkLine;
        return ChunkedStep.Progress;
    }

    private ChunkedStep ReadTrailers(in ReadOnlySequence<byte> buffer, out long consumed)
    {
        consumed = 0;
        while (_lines.TryReadLine(buffer, out var line))
        {
            if (line.Length == 0)
            {
                consumed = _lines.LineStart;
                _lines.Reset();
                State = ChunkedDecoderState.Done;
                return ChunkedStep.Completed;
            }

            _trailerBytes += line.Length + 2;
            if (_trailerBytes > limits.MaxTrailerSize) throw TrailersTooLarge();
            if (++_trailerCount > limits.MaxHeaderCount) throw TrailersTooLarge();
            var field = FieldLineParser.Parse(LineScanner.Contiguous(line, ref _scratch));
            if (TrailerFieldFilter.IsAllowed(field)) _trailers.Add(field);
        }

        // As for the header section: two or more pending bytes will be a field line of at least pending + 1 bytes.
        var pending = _lines.PendingLength(buffer);
        if (pending >= 2 && _trailerBytes + pending + 1 > limits.MaxTrailerSize) throw TrailersTooLarge();
        return ChunkedStep.NeedMore;
    }

    private static Http11ProtocolException Spill() => new(Http11RejectReason.InvalidChunkTerminator, "chunk data not followed by CRLF");

    private static Http11ProtocolException TrailersTooLarge() => new(Http11RejectReason.TrailerSectionTooLarge, "trailer section too large");
}
