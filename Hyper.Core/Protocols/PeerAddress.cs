using System.Net;

namespace Hyper.Core.Protocols;

/// <summary>
/// The peer's address of one connection, which can change while the connection lives: a QUIC connection is routed by
/// its connection ID and survives the client moving to a new address (RFC 9000 §9, connection migration). TCP and TLS
/// connections never move it. Readers take <see cref="Current"/> when they need it (each request's scope <c>client</c>
/// and access-log entry do), so they see the address the connection has at that moment.
/// </summary>
public sealed class PeerAddress(EndPoint? initial)
{
    private EndPoint? _current = initial;

    /// <summary>The address the peer is reached at now; null when the transport does not know it (a unix socket).</summary>
    public EndPoint? Current => Volatile.Read(ref _current);

    /// <summary>
    /// Raised after the peer moved, with the previous and the new address, on the thread of whoever called
    /// <see cref="MoveTo"/> (the transport).
    /// </summary>
    public event Action<EndPoint?, EndPoint>? Moved;

    /// <summary>The transport validated a new path to the peer (QUIC path validation, RFC 9000 §8.2) and moved to it.</summary>
    public void MoveTo(EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var previous = Interlocked.Exchange(ref _current, address);
        if (!Equals(previous, address)) Moved?.Invoke(previous, address);
    }
}
