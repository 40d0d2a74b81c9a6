using Hyper.Quic.Packets;

namespace Hyper.Quic.Endpoint;

/// <summary>
/// Compares connection IDs by value and lets the routing table be searched with the ID's bytes straight from the
/// datagram, so routing a packet allocates nothing.
/// </summary>
internal sealed class ConnectionIdComparer : IEqualityComparer<ConnectionId>, IAlternateEqualityComparer<ReadOnlySpan<byte>, ConnectionId>
{
    public static ConnectionIdComparer Instance { get; } = new();

    public bool Equals(ConnectionId x, ConnectionId y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ConnectionId obj) => GetHashCode(obj.Span);

    public bool Equals(ReadOnlySpan<byte> alternate, ConnectionId other) => alternate.SequenceEqual(other.Span);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public ConnectionId Create(ReadOnlySpan<byte> alternate) => new(alternate);
}
