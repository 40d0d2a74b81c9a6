namespace Hyper.Quic.Tls;

/// <summary>
/// Picks the certificate for a handshake from the client's server_name (null when the client sent none, as browsers
/// do for IP literals). The host's TLS layer owns loading and rotation; the handshake only asks. Returning null fails
/// the handshake with unrecognized_name (or handshake_failure without SNI).
/// </summary>
public interface IServerCertificateSelector
{
    ServerCertificate? Select(string? serverName);
}
