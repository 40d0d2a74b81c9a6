namespace Hyper.Quic.Tls;

/// <summary>The extension code points the QUIC handshake reads or writes (RFC 8446 §4.2, RFC 9001 §8.2).</summary>
public enum ExtensionType : ushort
{
    ServerName = 0,
    SupportedGroups = 10,
    SignatureAlgorithms = 13,
    ApplicationLayerProtocolNegotiation = 16,
    PreSharedKey = 41,
    EarlyData = 42,
    SupportedVersions = 43,
    Cookie = 44,
    PskKeyExchangeModes = 45,
    KeyShare = 51,
    QuicTransportParameters = 0x39,
}
