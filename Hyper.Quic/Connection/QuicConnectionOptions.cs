using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

/// <summary>
/// The limits one server connection declares and enforces. They become our transport parameters (RFC 9000 §18.2);
/// every limit a peer could push against is here, so an operator can tighten it.
/// </summary>
public sealed class QuicConnectionOptions
{
    public required TlsServerOptions Tls { get; init; }

    /// <summary>The length of the connection IDs this server issues; short headers are parsed with it.</summary>
    public int ConnectionIdLength { get; init; } = 8;

    /// <summary>The key stateless reset tokens are derived from (RFC 9000 §10.3.2), at least 32 bytes.</summary>
    public required byte[] StatelessResetKey { get; init; }

    /// <summary>The largest UDP payload this server sends. 1200 is the size every QUIC path carries (RFC 9000 §14).</summary>
    public int MaxDatagramSize { get; init; } = 1200;

    /// <summary>Milliseconds of silence after which the connection is dropped (RFC 9000 §10.1); 0 disables it.</summary>
    public long IdleTimeoutMilliseconds { get; init; } = 30_000;

    /// <summary>initial_max_data: bytes the peer may send on all streams together beyond what the application read.</summary>
    public long ConnectionReceiveWindow { get; init; } = 1 << 20;

    /// <summary>initial_max_stream_data_*: bytes the peer may send on one stream beyond what the application read.</summary>
    public int StreamReceiveWindow { get; init; } = 256 * 1024;

    /// <summary>initial_max_streams_bidi: how many bidirectional streams the peer may have open at once.</summary>
    public long MaxBidirectionalStreams { get; init; } = 100;

    /// <summary>initial_max_streams_uni.</summary>
    public long MaxUnidirectionalStreams { get; init; } = 3;

    /// <summary>active_connection_id_limit: how many of the peer's connection IDs this side stores (at least 2).</summary>
    public int ActiveConnectionIdLimit { get; init; } = 4;

    /// <summary>max_ack_delay in milliseconds: how long this side may delay an ACK (RFC 9000 §13.2.1).</summary>
    public int MaxAckDelayMilliseconds { get; init; } = 25;

    /// <summary>RFC 9000 §8.1: bytes sent to an unvalidated address, as a multiple of bytes received from it.</summary>
    public int AmplificationFactor { get; init; } = 3;
}
