namespace Hyper.Quic.Connection;

/// <summary>
/// The sending half of a byte stream (a CRYPTO stream or a QUIC stream): bytes the application wrote stay here until
/// the peer acknowledges them, so that lost ranges can be sent again (RFC 9000 §13.3). <see cref="Pending"/> is what
/// still has to go out, new data and retransmissions alike, lowest offset first.
/// </summary>
internal sealed class SendBuffer
{
    private readonly RangeSet _acknowledged = new();
    private byte[] _data = new byte[256];
    private long _baseOffset; // stream offset of _data[0]; everything below it is acknowledged
    private int _start; // index in _data of the byte at _baseOffset; compacted lazily so acks cost O(1) amortized
    private int _length;
    private bool _abandoned;

    public RangeSet Pending { get; } = new();

    /// <summary>The offset after the last byte written.</summary>
    public long WrittenEnd => _baseOffset + _length;

    /// <summary>The end offset of the highest byte ever put on the wire (what stream flow control counts).</summary>
    public long HighestSent { get; private set; }

    /// <summary>The final size once the writer finished (RFC 9000 §4.5).</summary>
    public bool Finished { get; private set; }

    /// <summary>Whether the FIN still has to be sent (first time or after its packet was lost).</summary>
    public bool FinPending { get; private set; }

    public bool FinAcknowledged { get; private set; }

    /// <summary>Every byte and the FIN (if any) acknowledged.</summary>
    public bool IsFullyAcknowledged => Finished && FinAcknowledged && _length == 0;

    public int UnacknowledgedBytes => _length;

    public void Write(ReadOnlySpan<byte> data, bool fin)
    {
        if (Finished) throw new InvalidOperationException("The stream's sending side is already finished.");
        if (_start + _length + data.Length > _data.Length)
        {
            // Compact first; grow only when the live bytes themselves need the room.
            _data.AsSpan(_start, _length).CopyTo(_data);
            _start = 0;
            if (_length + data.Length > _data.Length) Array.Resize(ref _data, Math.Max(_length + data.Length, _data.Length * 2));
        }
        data.CopyTo(_data.AsSpan(_start + _length));
        Pending.Add(WrittenEnd, WrittenEnd + data.Length);
        _length += data.Length;
        if (fin)
        {
            Finished = true;
            FinPending = true;
        }
    }

    /// <summary>The bytes [offset, offset + length), which must still be held.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length) => _data.AsSpan(_start + (int)(offset - _baseOffset), length);

    /// <summary>Marks [offset, offset + length) as sent, with the FIN if <paramref name="fin"/>.</summary>
    public void OnSent(long offset, int length, bool fin)
    {
        Pending.Remove(offset, offset + length);
        HighestSent = Math.Max(HighestSent, offset + length);
        if (fin) FinPending = false;
    }

    public void OnAcknowledged(long offset, int length, bool fin)
    {
        if (_abandoned) return;
        if (fin) FinAcknowledged = true;
        if (offset + length <= _baseOffset) return;
        _acknowledged.Add(offset, offset + length);
        // Drop the acknowledged prefix so memory stays bounded by what is in flight.
        if (_acknowledged.Count > 0 && _acknowledged[0].Start <= _baseOffset)
        {
            var newBase = _acknowledged[0].End;
            var drop = (int)Math.Min(newBase - _baseOffset, _length);
            if (drop > 0)
            {
                _start += drop;
                _length -= drop;
                _baseOffset += drop;
            }
        }
    }

    /// <summary>The range's packet was declared lost: what of it is still unacknowledged goes back to pending.</summary>
    public void OnLost(long offset, int length, bool fin)
    {
        if (_abandoned) return;
        var start = Math.Max(offset, _baseOffset);
        var end = offset + length;
        if (end > start)
        {
            Pending.Add(start, end);
            // Only the parts the peer has not acknowledged meanwhile go out again.
            foreach (var (s, e) in _acknowledged.Overlapping(start, end).ToList()) Pending.Remove(s, e);
        }
        if (fin && !FinAcknowledged) FinPending = true;
    }

    /// <summary>RESET_STREAM: nothing more will be sent or retransmitted.</summary>
    public void Abandon()
    {
        _abandoned = true;
        Pending.Clear();
        FinPending = false;
        _length = 0;
    }
}
