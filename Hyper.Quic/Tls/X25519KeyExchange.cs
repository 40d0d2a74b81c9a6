using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Hyper.Quic.Tls;

/// <summary>X25519 (RFC 7748) through BouncyCastle: .NET 10 has no X25519 on Linux.</summary>
public sealed class X25519KeyExchange : IKeyExchange
{
    private const int KeyLength = 32;
    private readonly byte[] _privateKey;
    private readonly X25519PrivateKeyParameters _key;
    private readonly byte[] _publicKey;

    public X25519KeyExchange()
    {
        // The private key comes from the OS CSPRNG, not BouncyCastle's SecureRandom.
        _privateKey = RandomNumberGenerator.GetBytes(KeyLength);
        _key = new X25519PrivateKeyParameters(_privateKey);
        _publicKey = _key.GeneratePublicKey().GetEncoded();
    }

    public NamedGroup Group => NamedGroup.X25519;

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        // RFC 8446 §4.2.8.2: X25519 key_exchange is exactly 32 bytes.
        if (peerPublicKey.Length != KeyLength)
            throw new TlsAlertException(TlsAlert.IllegalParameter, $"X25519 key share of {peerPublicKey.Length} bytes.");
        var secret = new byte[KeyLength];
        try
        {
            _key.GenerateSecret(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException)
        {
            // BouncyCastle refuses an all-zero result; either way §7.4.2 says abort.
            throw new TlsAlertException(TlsAlert.IllegalParameter, "X25519 shared secret is all zeros.");
        }

        // RFC 8446 §7.4.2: an all-zero shared secret (a small-order peer key) must abort the handshake.
        if (secret.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "X25519 shared secret is all zeros.");
        return secret;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_privateKey);
}
