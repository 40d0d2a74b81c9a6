namespace Hyper.Quic.Packets;

/// <summary>
/// Splits a datagram into the packets coalesced in it (RFC 9000 §12.2). Each long header with a Length field ends
/// where that length says; a short header, Retry or Version Negotiation packet runs to the datagram's end. An
/// unparsable packet ends the walk, since its length (and so the next packet's start) is unknown. A packet whose
/// Destination Connection ID differs from the first packet's is skipped, as §12.2 recommends.
/// </summary>
public ref struct CoalescedPacketEnumerator
{
    private readonly int _shortHeaderConnectionIdLength;
    private ReadOnlySpan<byte> _remaining;
    private ReadOnlySpan<byte> _firstDestinationConnectionId;
    private bool _started;
    private PacketHeader _current;

    public CoalescedPacketEnumerator(ReadOnlySpan<byte> datagram, int shortHeaderConnectionIdLength)
    {
        _remaining = datagram;
        _shortHeaderConnectionIdLength = shortHeaderConnectionIdLength;
        _firstDestinationConnectionId = default;
        _started = false;
        _current = default;
    }

    public readonly PacketHeader Current => _current;

    /// <summary>The bytes left over after the last packet returned, non-empty only when parsing stopped early.</summary>
    public readonly int UnparsedBytes => _remaining.Length;

    public readonly CoalescedPacketEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_remaining.IsEmpty)
        {
            if (!PacketHeaderParser.TryParse(_remaining, _shortHeaderConnectionIdLength, out var header)) return false;
            _remaining = _remaining[header.Packet.Length..];
            if (!_started)
            {
                _started = true;
                _firstDestinationConnectionId = header.DestinationConnectionId;
            }
            else if (!header.DestinationConnectionId.SequenceEqual(_firstDestinationConnectionId))
            {
                continue;
            }
            _current = header;
            return true;
        }
        return false;
    }
}
