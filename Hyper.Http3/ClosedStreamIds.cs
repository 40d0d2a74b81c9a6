namespace Hyper.Http3;

/// <summary>
/// The client-initiated bidirectional stream ids the connection is done with, so that bytes QUIC still delivers for
/// one of them (sent before the peer saw our reset) are dropped instead of opening a new request. Ids are used in
/// order (RFC 9000 §2.1), so the closed ones are mostly a prefix: that prefix is one number, and only the ids closed
/// above it are kept, as many as there are requests still open below them.
/// </summary>
internal sealed class ClosedStreamIds
{
    private readonly SortedSet<long> _aboveFloor = [];
    private long _floor; // every client bidirectional id below this is closed

    public void Add(long streamId)
    {
        if (streamId < _floor) return;
        _aboveFloor.Add(streamId);
        while (_aboveFloor.Remove(_floor)) _floor += 4;
    }

    public bool Contains(long streamId) => streamId < _floor || _aboveFloor.Contains(streamId);

    /// <summary>Ids kept beyond the closed prefix, for tests of the bound.</summary>
    public int Count => _aboveFloor.Count;
}
