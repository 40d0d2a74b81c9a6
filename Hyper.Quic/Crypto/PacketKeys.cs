using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// The key material one direction of one encryption level uses: the AEAD key and IV and the header protection key,
/// all expanded from a traffic secret (RFC 9001 §5.1).
/// </summary>
public sealed class PacketKeys
{
    private const int IvLength = 12;

    private PacketKeys(QuicCipherSuite suite, byte[] secret, byte[] key, byte[] iv, byte[] headerProtectionKey)
    {
        Suite = suite;
        Secret = secret;
        Key = key;
        Iv = iv;
        HeaderProtectionKey = headerProtectionKey;
    }

    public QuicCipherSuite Suite { get; }

    public byte[] Secret { get; }

    public byte[] Key { get; }

    public byte[] Iv { get; }

    public byte[] HeaderProtectionKey { get; }

    public static PacketKeys Derive(QuicCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != suite.SecretLength())
            throw new ArgumentException($"A {suite} secret is {suite.SecretLength()} bytes.", nameof(secret));
        var hash = suite.HashAlgorithm();
        return new PacketKeys(
            suite,
            secret.ToArray(),
            HkdfExpandLabel.Expand(hash, secret, "quic key", suite.KeyLength()),
            HkdfExpandLabel.Expand(hash, secret, "quic iv", IvLength),
            HkdfExpandLabel.Expand(hash, secret, "quic hp", suite.KeyLength()));
    }

    /// <summary>
    /// The next key phase (RFC 9001 §6.1): a new secret from "quic ku", and new AEAD key and IV from it. The header
    /// protection key is not updated (RFC 9001 §6), so it is carried over.
    /// </summary>
    public PacketKeys NextGeneration()
    {
        var hash = Suite.HashAlgorithm();
        var next = HkdfExpandLabel.Expand(hash, Secret, "quic ku", Secret.Length);
        return new PacketKeys(
            Suite,
            next,
            HkdfExpandLabel.Expand(hash, next, "quic key", Suite.KeyLength()),
            HkdfExpandLabel.Expand(hash, next, "quic iv", IvLength),
            HeaderProtectionKey);
    }

    /// <summary>Wipes the secret, key and IV once these keys are discarded (RFC 9001 §4.9).</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(Secret);
        CryptographicOperations.ZeroMemory(Key);
        CryptographicOperations.ZeroMemory(Iv);
    }
}
