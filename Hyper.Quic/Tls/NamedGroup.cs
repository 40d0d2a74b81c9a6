namespace Hyper.Quic.Tls;

/// <summary>The key exchange groups Hyper implements (RFC 8446 §4.2.7). P-384 is left out: it is slow on OpenSSL 3.0.</summary>
public enum NamedGroup : ushort
{
    Secp256r1 = 0x0017,
    X25519 = 0x001d,
}
