using Hyper.Quic.Packets;

namespace Hyper.Quic.Frames;

/// <summary>
/// An ACK frame (RFC 9000 §19.3). The ranges stay encoded in the packet; <see cref="GetRanges"/> walks them, largest
/// first, without allocating. The reader has already checked that no computed packet number is negative.
/// </summary>
public readonly ref struct AckFrame
{
    internal AckFrame(long largestAcknowledged, ulong ackDelay, long firstAckRange, int additionalRangeCount, ReadOnlySpan<byte> encodedRanges, EcnCounts? ecn)
    {
        LargestAcknowledged = largestAcknowledged;
        AckDelay = ackDelay;
        FirstAckRange = firstAckRange;
        AdditionalRangeCount = additionalRangeCount;
        EncodedRanges = encodedRanges;
        Ecn = ecn;
    }

    public long LargestAcknowledged { get; }

    /// <summary>The raw ACK Delay field; multiply by 2^ack_delay_exponent microseconds (§19.3, §18.2).</summary>
    public ulong AckDelay { get; }

    public long FirstAckRange { get; }

    /// <summary>The ACK Range Count field: ranges after the first.</summary>
    public int AdditionalRangeCount { get; }

    /// <summary>The (Gap, ACK Range Length) pairs after the first range, as sent.</summary>
    public ReadOnlySpan<byte> EncodedRanges { get; }

    /// <summary>Present for frame type 0x03 (ACK_ECN).</summary>
    public EcnCounts? Ecn { get; }

    public AckRangeEnumerator GetRanges() => new(this);

    /// <summary>Walks the acknowledged ranges from the largest packet number down (RFC 9000 §19.3.1).</summary>
    public ref struct AckRangeEnumerator
    {
        private QuicSpanReader _reader;
        private readonly long _firstLargest;
        private readonly long _firstSmallest;
        private int _index;
        private PacketNumberRange _current;

        internal AckRangeEnumerator(AckFrame frame)
        {
            _reader = new QuicSpanReader(frame.EncodedRanges);
            _firstLargest = frame.LargestAcknowledged;
            _firstSmallest = frame.LargestAcknowledged - frame.FirstAckRange;
            _index = -1;
            _current = default;
            Count = frame.AdditionalRangeCount + 1;
        }

        public int Count { get; }

        public readonly PacketNumberRange Current => _current;

        public readonly AckRangeEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            _index++;
            if (_index >= Count) return false;
            if (_index == 0)
            {
                _current = new PacketNumberRange(_firstSmallest, _firstLargest);
                return true;
            }
            _reader.TryReadVarint(out var gap);
            _reader.TryReadVarint(out var length);
            var largest = _current.Smallest - (long)gap - 2;
            _current = new PacketNumberRange(largest - (long)length, largest);
            return true;
        }
    }
}
