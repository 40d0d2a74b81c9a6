using System.Net;

namespace Hyper.Transport.Quic;

/// <summary>
/// One QUIC connection as its application handler sees it: streams to read and write, and the connection's facts.
/// Its methods may be called only inside a handler call or an <see cref="Invoke"/> callback (they throw
/// <see cref="InvalidOperationException"/> elsewhere), because the connection is a state machine shared with the
/// socket's receive loop and timers.
/// </summary>
public interface IQuicConnectionContext
{
    /// <summary>The ALPN id the handshake agreed on.</summary>
    string ApplicationProtocol { get; }

    /// <summary>The SNI host name the client asked for, or null.</summary>
    string? ServerName { get; }

    IPEndPoint RemoteEndPoint { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>Opens a server stream (RFC 9000 §2.1); null when the peer's MAX_STREAMS does not allow one yet.</summary>
    ulong? OpenStream(bool bidirectional);

    /// <summary>Queues bytes (and the FIN) on a stream; false when the stream cannot send (reset, finished, closed).</summary>
    bool Write(ulong streamId, ReadOnlySpan<byte> data, bool fin);

    /// <summary>Reads in-order bytes; <paramref name="finished"/> once everything up to the FIN has been read.</summary>
    int Read(ulong streamId, Span<byte> destination, out bool finished);

    void ResetStream(ulong streamId, ulong applicationErrorCode);

    void StopSending(ulong streamId, ulong applicationErrorCode);

    /// <summary>Closes the connection with an application error code (RFC 9000 §10.2).</summary>
    void Close(ulong applicationErrorCode, string reason);

    /// <summary>
    /// Runs <paramref name="work"/> serially with the socket's other work, from any thread (an application task that
    /// finished a response), then sends what it wrote. Does nothing once the connection is closed.
    /// </summary>
    void Invoke(Action<IQuicConnectionContext> work);
}
