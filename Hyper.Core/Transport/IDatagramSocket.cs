using System.Net;

namespace Hyper.Core.Transport;

/// <summary>
/// A bound UDP socket of a backend, for a datagram protocol (QUIC) that Core knows nothing about. Receives complete
/// where the backend runs its I/O (the owning loop thread on an event-loop backend); sends never wait.
/// </summary>
public interface IDatagramSocket : IAsyncDisposable
{
    /// <summary>The bound address (with the real port when port 0 was asked for).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Waits for the next datagram and copies it into <paramref name="buffer"/> (a longer datagram is truncated).
    /// Returns <see cref="DatagramReceiveResult.Closed"/> once the socket has been disposed.
    /// </summary>
    ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one datagram without waiting. False when the kernel's buffer is full or the send failed: UDP may drop
    /// datagrams anyway, and the protocol above recovers from loss.
    /// </summary>
    bool TrySend(ReadOnlySpan<byte> datagram, IPEndPoint remote);
}
