using Hyper.Quic.Connection;

namespace Hyper.Quic.Endpoint;

/// <summary>The limits and policies of a <see cref="QuicEndpoint"/>; every limit a client could push against is here.</summary>
public sealed class QuicEndpointOptions
{
    /// <summary>What every connection the endpoint creates declares and enforces.</summary>
    public required QuicConnectionOptions Connection { get; init; }

    /// <summary>Connections at once, in any state; a client past it gets CONNECTION_REFUSED (RFC 9000 §20.1).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Handshakes in progress at once; past it new clients get CONNECTION_REFUSED.</summary>
    public int MaxHandshakes { get; init; } = 1_000;

    public QuicRetryMode Retry { get; init; } = QuicRetryMode.Never;

    /// <summary>With <see cref="QuicRetryMode.Automatic"/>: the number of handshakes in progress from which clients are retried.</summary>
    public int RetryHandshakeThreshold { get; init; } = 100;

    /// <summary>
    /// The 32-byte key Retry tokens are sealed with. Workers that share a port must share it, so that a token one
    /// worker issued opens in another. Required unless <see cref="Retry"/> is <see cref="QuicRetryMode.Never"/>.
    /// </summary>
    public byte[]? RetryTokenKey { get; init; }

    /// <summary>How long a Retry token stays valid; it is used within one round trip (RFC 9000 §8.1.3).</summary>
    public TimeSpan RetryTokenLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stateless resets sent per second at most (RFC 9000 §10.3): each costs an HMAC and a datagram, and a flood of
    /// short-header packets to unknown connection IDs must not turn into a flood of resets.
    /// </summary>
    public int StatelessResetsPerSecond { get; init; } = 100;

    /// <summary>Datagrams the endpoint itself composed (Version Negotiation, Retry, resets, refusals) waiting to be sent, at most.</summary>
    public int MaxQueuedStatelessDatagrams { get; init; } = 256;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Connection);
        if (MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "at least 1");
        if (MaxHandshakes < 1) throw new ArgumentOutOfRangeException(nameof(MaxHandshakes), MaxHandshakes, "at least 1");
        if (Retry != QuicRetryMode.Never && RetryTokenKey is not { Length: 32 })
            throw new ArgumentException("Retry needs a 32-byte RetryTokenKey.", nameof(RetryTokenKey));
        if (StatelessResetsPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(StatelessResetsPerSecond));
        // RFC 9000 §7.2: a client's first DCID is at least 8 bytes; after a Retry it is ours, so ours must be too, or
        // the Initial carrying the token could not be told from a client breaking that rule.
        if (Retry != QuicRetryMode.Never && Connection.ConnectionIdLength < 8)
            throw new ArgumentException("Retry needs connection IDs of at least 8 bytes.", nameof(Connection));
    }
}
