using System.Buffers;

namespace Hyper.Http2;

/// <summary>
/// Response bytes a stream has accepted but the peer's flow-control window has not let out yet (RFC 9113 §5.2).
/// Segments are rented from the shared pool and returned as they drain; the stream layer stops the application
/// at <c>h2_max_stream_response_buffer</c>, so the buffer stays bounded (H2-01, H2-07).
/// </summary>
internal sealed class ResponseBuffer
{
    private readonly Queue<(byte[] Array, int Offset, int Length)> _segments = new();
    private long _length;
    private int _headOffset;

    public long Length => _length;

    public bool IsEmpty => _length == 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        var array = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(array);
        _segments.Enqueue((array, 0, data.Length));
        _length += data.Length;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length bytes out and drops them from the buffer.</summary>
    public int Drain(Span<byte> destination)
    {
        var written = 0;
        while (written < destination.Length && _segments.TryPeek(out var segment))
        {
            var available = segment.Length - _headOffset;
            var take = Math.Min(available, destination.Length - written);
            segment.Array.AsSpan(segment.Offset + _headOffset, take).CopyTo(destination[written..]);
            written += take;
            if (take == available)
            {
                _segments.Dequeue();
                ArrayPool<byte>.Shared.Return(segment.Array);
                _headOffset = 0;
            }
            else
            {
                _headOffset += take;
            }
        }
        _length -= written;
        return written;
    }

    public void Clear()
    {
        while (_segments.TryDequeue(out var segment)) ArrayPool<byte>.Shared.Return(segment.Array);
        _length = 0;
        _headOffset = 0;
    }
}
