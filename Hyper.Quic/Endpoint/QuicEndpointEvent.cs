using Hyper.Quic.Connection;

namespace Hyper.Quic.Endpoint;

/// <summary>
/// Something that happened on one of the endpoint's connections: <see cref="ConnectionAccepted"/> first, then the
/// connection's own events in order, and <see cref="ConnectionTerminated"/> last, after which the endpoint has
/// forgotten (and disposed) the connection.
/// </summary>
public readonly record struct QuicEndpointEvent(QuicConnection Connection, QuicConnectionEvent Event);

/// <summary>The endpoint created a connection for a client's valid Initial; the application may attach its state.</summary>
public sealed record ConnectionAccepted : QuicConnectionEvent
{
    public static ConnectionAccepted Instance { get; } = new();
}
