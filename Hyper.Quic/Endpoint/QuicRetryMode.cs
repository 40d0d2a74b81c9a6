namespace Hyper.Quic.Endpoint;

/// <summary>When the endpoint answers a client's first Initial with a Retry to validate its address (RFC 9000 §8.1.2).</summary>
public enum QuicRetryMode
{
    /// <summary>No Retry: the anti-amplification limit alone protects against spoofed addresses.</summary>
    Never,

    /// <summary>Every new connection pays one extra round trip to prove its address.</summary>
    Always,

    /// <summary>
    /// Retry only while at least <see cref="QuicEndpointOptions.RetryHandshakeThreshold"/> handshakes are in progress:
    /// normal traffic pays nothing, a flood of spoofed Initials costs the server a Retry each instead of a handshake.
    /// </summary>
    Automatic,
}
