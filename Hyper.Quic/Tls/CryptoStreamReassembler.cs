namespace Hyper.Quic.Tls;

/// <summary>
/// Puts the CRYPTO frames of one encryption level back in order (RFC 9000 §19.6): frames may arrive out of order,
/// overlap, repeat and span several packets (Chromium splits and shuffles its ClientHello on purpose). Contiguous
/// bytes from the read position are exposed through <see cref="Available"/> until consumed.
/// </summary>
/// <remarks>
/// Memory is bounded by <c>maxBufferedBytes</c>: data ending further than that past the read position is a
/// CRYPTO_BUFFER_EXCEEDED connection error (RFC 9000 §7.5). That limit is the defence against far-offset CRYPTO
/// frames that would otherwise make a receiver hold arbitrary gaps (quiche CVE-2024-1765).
/// </remarks>
public sealed class CryptoStreamReassembler
{
    public const int DefaultMaxBufferedBytes = 512 * 1024;

    private readonly int _maxBufferedBytes;

    // Received-but-not-contiguous ranges, relative to _readOffset, sorted and merged. Bytes in [0, _contiguous) are ready.
    private readonly List<(int Start, int End)> _pending = [];
    private byte[] _buffer = [];
    private ulong _readOffset;
    private int _contiguous;

    public CryptoStreamReassembler(int maxBufferedBytes = DefaultMaxBufferedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, 1);
        _maxBufferedBytes = maxBufferedBytes;
    }

    /// <summary>The stream offset of the first byte of <see cref="Available"/>.</summary>
    public ulong ReadOffset => _readOffset;

    /// <summary>The in-order bytes not consumed yet.</summary>
    public ReadOnlySpan<byte> Available => _buffer.AsSpan(0, _contiguous);

    /// <summary>Bytes held, in order or not: what the limit is measured against.</summary>
    public int BufferedBytes => _pending.Count == 0 ? _contiguous : _pending[^1].End;

    /// <summary>Adds one CRYPTO frame's data. Data before the read position is a retransmission and is ignored.</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        var end = offset + (ulong)data.Length;
        if (end <= _readOffset + (ulong)_contiguous)
            return; // RFC 9000 §19.6: already received.
        if (end - _readOffset > (ulong)_maxBufferedBytes)
        {
            throw new QuicTransportException(QuicTransportErrorCode.CryptoBufferExceeded,
                $"CRYPTO data up to offset {end} is more than {_maxBufferedBytes} bytes past the read position {_readOffset}.",
                (ulong)Frames.FrameType.Crypto);
        }

        if (offset < _readOffset)
        {
            data = data[(int)(_readOffset - offset)..];
            offset = _readOffset;
        }

        var start = (int)(offset - _readOffset);
        var stop = start + data.Length;
        if (stop > _buffer.Length)
            Array.Resize(ref _buffer, Math.Min(_maxBufferedBytes, Math.Max(stop, _buffer.Length * 2)));
        // Overlapping bytes are overwritten: a peer that sends different bytes for the same offset breaks the
        // transcript, which Finished then rejects.
        data.CopyTo(_buffer.AsSpan(start));
        AddRange(start, stop);
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front of <see cref="Available"/>.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _contiguous);
        var held = BufferedBytes;
        _buffer.AsSpan(count, held - count).CopyTo(_buffer);
        _readOffset += (ulong)count;
        _contiguous -= count;
        for (var i = 0; i < _pending.Count; i++)
            _pending[i] = (_pending[i].Start - count, _pending[i].End - count);
    }

    private void AddRange(int start, int stop)
    {
        // Merge [start, stop) into the sorted disjoint list of out-of-order ranges, then absorb what became contiguous.
        var i = 0;
        while (i < _pending.Count && _pending[i].End < start)
            i++;
        while (i < _pending.Count && _pending[i].Start <= stop)
        {
            start = Math.Min(start, _pending[i].Start);
            stop = Math.Max(stop, _pending[i].End);
            _pending.RemoveAt(i);
        }

        _pending.Insert(i, (start, stop));
        while (_pending.Count > 0 && _pending[0].Start <= _contiguous)
        {
            _contiguous = Math.Max(_contiguous, _pending[0].End);
            _pending.RemoveAt(0);
        }
    }
}
