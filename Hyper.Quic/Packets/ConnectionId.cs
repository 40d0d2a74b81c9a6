namespace Hyper.Quic.Packets;

/// <summary>
/// A QUIC connection ID (RFC 9000 §5.1): 0 to 20 bytes in version 1. Equality is by value, so it can key the table
/// that routes datagrams to connections.
/// </summary>
public readonly struct ConnectionId : IEquatable<ConnectionId>
{
    /// <summary>RFC 9000 §17.2: version 1 connection IDs are at most 20 bytes.</summary>
    public const int MaxLength = 20;

    private readonly byte[]? _bytes;

    public ConnectionId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
            throw new ArgumentException($"A QUIC v1 connection ID has at most {MaxLength} bytes.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    public static ConnectionId Empty => default;

    public int Length => _bytes?.Length ?? 0;

    public ReadOnlySpan<byte> Span => _bytes;

    public bool Equals(ConnectionId other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is ConnectionId other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(ConnectionId left, ConnectionId right) => left.Equals(right);

    public static bool operator !=(ConnectionId left, ConnectionId right) => !left.Equals(right);

    public override string ToString() => Convert.ToHexStringLower(Span);
}
