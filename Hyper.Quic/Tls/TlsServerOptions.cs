using Hyper.Quic.Crypto;

namespace Hyper.Quic.Tls;

/// <summary>The server's handshake configuration; shared by every connection of an endpoint.</summary>
public sealed class TlsServerOptions
{
    public required IServerCertificateSelector CertificateSelector { get; init; }

    /// <summary>ALPN protocols in the server's order of preference (RFC 7301 §3.2: the server picks).</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>Cipher suites in order of preference. All three QUIC suites by default (RFC 9001 §5.3).</summary>
    public IReadOnlyList<QuicCipherSuite> CipherSuites { get; init; } =
        [QuicCipherSuite.Aes128GcmSha256, QuicCipherSuite.Aes256GcmSha384, QuicCipherSuite.ChaCha20Poly1305Sha256];

    /// <summary>Key exchange groups in order of preference. A client with no share for any of them gets a HelloRetryRequest.</summary>
    public IReadOnlyList<NamedGroup> Groups { get; init; } = [NamedGroup.X25519, NamedGroup.Secp256r1];

    /// <summary>How far past the read position CRYPTO data may reach per encryption level (RFC 9000 §7.5).</summary>
    public int MaxCryptoBufferBytes { get; init; } = CryptoStreamReassembler.DefaultMaxBufferedBytes;
}
