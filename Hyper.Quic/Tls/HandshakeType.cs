namespace Hyper.Quic.Tls;

/// <summary>Handshake message types of RFC 8446 §4.</summary>
public enum HandshakeType : byte
{
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    EndOfEarlyData = 5,
    EncryptedExtensions = 8,
    Certificate = 11,
    CertificateRequest = 13,
    CertificateVerify = 15,
    Finished = 20,
    KeyUpdate = 24,

    /// <summary>The synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest (§4.4.1).</summary>
    MessageHash = 254,
}
