namespace Hyper.Quic.Tls;

/// <summary>
/// The encryption levels the handshake's CRYPTO data travels at (RFC 9001 §4.1.4). 0-RTT carries no CRYPTO data and
/// Hyper does not accept early data, so it has no level here.
/// </summary>
public enum EncryptionLevel
{
    Initial,
    Handshake,
    OneRtt,
}
