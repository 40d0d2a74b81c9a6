namespace Hyper.Quic.Tls;

/// <summary>
/// One ephemeral (EC)DHE key pair for a key_share (RFC 8446 §4.2.8). Implementations hide where the curve comes from:
/// the BCL for P-256, BouncyCastle for X25519 until .NET ships it.
/// </summary>
public interface IKeyExchange : IDisposable
{
    NamedGroup Group { get; }

    /// <summary>The key_exchange bytes of our KeyShareEntry.</summary>
    ReadOnlySpan<byte> PublicKey { get; }

    /// <summary>The shared secret with the peer's key_exchange bytes; an invalid peer key is illegal_parameter.</summary>
    byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);
}
