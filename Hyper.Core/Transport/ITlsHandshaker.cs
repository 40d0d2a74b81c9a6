namespace Hyper.Core.Transport;

/// <summary>
/// Terminates TLS on an accepted connection (Hyper.Transport.Tls implements it). Core calls it for every
/// connection accepted on a <c>bind</c> address when <see cref="IsEnabled"/> (a certificate is configured);
/// <c>insecure_bind</c> addresses stay cleartext. It sits between the backend's transport and the protocol,
/// so every backend gets TLS the same way.
/// </summary>
public interface ITlsHandshaker
{
    /// <summary>True when a certificate is configured, so <c>bind</c> addresses serve TLS.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Runs the server side of the handshake, offering <paramref name="applicationProtocols"/> (the ALPN ids
    /// the server has protocols for, in the server's preference order) through ALPN. Returns the plaintext
    /// connection and what was negotiated, or null when the handshake failed or timed out (it is logged and
    /// <paramref name="transport"/> is disposed).
    /// </summary>
    ValueTask<SecureConnection?> HandshakeAsync(ITransportConnection transport, IReadOnlyList<string> applicationProtocols, CancellationToken cancellationToken);
}
