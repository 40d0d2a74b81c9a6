using System.Buffers;

namespace Hyper.Core.WebSockets;

/// <summary>
/// Collects one data message as it arrives (frame payloads, or inflated output) in pooled 64 KiB segments, and
/// validates text as UTF-8 on every write, so an invalid byte fails the connection when it arrives (RFC 6455
/// §8.1). Segments rather than one growing array: a message at the size limit costs the limit plus one segment,
/// never a doubled copy.
/// </summary>
internal sealed class WebSocketMessageBuffer : IBufferWriter<byte>
{
    private const int SegmentSize = 64 * 1024;

    private readonly List<byte[]> _segments = [];
    private int _lastUsed;
    private bool _isText;
    private Utf8Validator _utf8;

    /// <summary>Bytes collected since the last <see cref="Clear"/>.</summary>
    public long Length { get; private set; }

    /// <summary>The text so far ends on a character boundary.</summary>
    public bool IsCompleteText => _utf8.IsComplete;

    /// <summary>Starts a new message; text is validated from here on.</summary>
    public void StartMessage(bool isText)
    {
        Clear();
        _isText = isText;
        _utf8.Reset();
    }

    /// <summary>Drops the bytes but keeps the message's UTF-8 state (the next fragment of a streamed message continues it).</summary>
    public void Clear()
    {
        // Every segment goes back to the pool: an idle connection holds no message memory.
        foreach (var segment in _segments) ArrayPool<byte>.Shared.Return(segment);
        _segments.Clear();
        _lastUsed = 0;
        Length = 0;
    }

    /// <summary>A free span in the current segment (never empty); its length may be less than <paramref name="sizeHint"/>.</summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (_segments.Count == 0 || _lastUsed == SegmentSize)
        {
            _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
            _lastUsed = 0;
        }
        return _segments[^1].AsSpan(_lastUsed, SegmentSize - _lastUsed);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpan(sizeHint);
        return _segments[^1].AsMemory(_lastUsed, SegmentSize - _lastUsed);
    }

    /// <exception cref="WebSocketProtocolException">1007 when text stops being valid UTF-8.</exception>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        var written = _segments[^1].AsSpan(_lastUsed, count);
        _lastUsed += count;
        Length += count;
        if (_isText && !_utf8.Feed(written))
            throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Text message is not valid UTF-8.");
    }

    /// <summary>The collected bytes as one new array the receiver may keep.</summary>
    public byte[] ToArray()
    {
        if (_segments.Count == 0) return [];
        var result = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        var position = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = i == _segments.Count - 1 ? _lastUsed : SegmentSize;
            _segments[i].AsSpan(0, used).CopyTo(result.AsSpan(position));
            position += used;
        }
        return result;
    }
}
