namespace Hyper.Quic.Tls;

/// <summary>
/// The TLS alert descriptions the handshake can raise (RFC 8446 §6). QUIC carries no TLS alert records: an alert
/// becomes a CONNECTION_CLOSE with the transport error code 0x100 + alert (RFC 9001 §4.8).
/// </summary>
public enum TlsAlert : byte
{
    UnexpectedMessage = 10,
    HandshakeFailure = 40,
    BadCertificate = 42,
    IllegalParameter = 47,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    MissingExtension = 109,
    UnsupportedExtension = 110,
    UnrecognizedName = 112,
    NoApplicationProtocol = 120,
}
