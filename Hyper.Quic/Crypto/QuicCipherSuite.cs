using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>The TLS 1.3 cipher suites QUIC packet protection supports (RFC 9001 §5.3), by their TLS code point.</summary>
public enum QuicCipherSuite : ushort
{
    Aes128GcmSha256 = 0x1301,
    Aes256GcmSha384 = 0x1302,
    ChaCha20Poly1305Sha256 = 0x1303,
}

/// <summary>Key sizes and hash of each suite, as HKDF-Expand-Label needs them (RFC 9001 §5.1).</summary>
public static class QuicCipherSuiteExtensions
{
    public static int KeyLength(this QuicCipherSuite suite) => suite switch
    {
        QuicCipherSuite.Aes128GcmSha256 => 16,
        QuicCipherSuite.Aes256GcmSha384 or QuicCipherSuite.ChaCha20Poly1305Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, null),
    };

    /// <summary>The traffic secret length: the hash output size (RFC 8446 §7.1).</summary>
    public static int SecretLength(this QuicCipherSuite suite) => suite == QuicCipherSuite.Aes256GcmSha384 ? 48 : 32;

    public static HashAlgorithmName HashAlgorithm(this QuicCipherSuite suite) =>
        suite == QuicCipherSuite.Aes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>
    /// RFC 9001 §6.6: how many packets one key phase may protect before the keys must be updated (2^23 for AES-GCM;
    /// ChaCha20-Poly1305's limit is above the 2^62 packet numbers a connection can use).
    /// </summary>
    public static long ConfidentialityLimit(this QuicCipherSuite suite) =>
        suite == QuicCipherSuite.ChaCha20Poly1305Sha256 ? long.MaxValue : 1L << 23;

    /// <summary>
    /// RFC 9001 §6.6: how many packets that fail authentication one key phase may see before the connection is closed
    /// with AEAD_LIMIT_REACHED (2^52 for AES-GCM, 2^36 for ChaCha20-Poly1305).
    /// </summary>
    public static long IntegrityLimit(this QuicCipherSuite suite) =>
        suite == QuicCipherSuite.ChaCha20Poly1305Sha256 ? 1L << 36 : 1L << 52;
}
