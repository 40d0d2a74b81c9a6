using System.Security.Cryptography;

namespace Hyper.Quic.Tls;

/// <summary>ECDHE on secp256r1 from the BCL. The key_exchange form is the uncompressed point 04‖X‖Y (RFC 8446 §4.2.8.2).</summary>
public sealed class P256KeyExchange : IKeyExchange
{
    private const int CoordinateLength = 32;
    private readonly ECDiffieHellman _key;
    private readonly byte[] _publicKey;

    public P256KeyExchange()
    {
        _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = _key.ExportParameters(includePrivateParameters: false).Q;
        _publicKey = new byte[1 + 2 * CoordinateLength];
        _publicKey[0] = 0x04;
        q.X!.CopyTo(_publicKey, 1);
        q.Y!.CopyTo(_publicKey, 1 + CoordinateLength);
    }

    public NamedGroup Group => NamedGroup.Secp256r1;

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        // TLS 1.3 allows only the uncompressed form (legacy_form = 4).
        if (peerPublicKey.Length != 1 + 2 * CoordinateLength || peerPublicKey[0] != 0x04)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "P-256 key share is not an uncompressed point.");
        try
        {
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint
                {
                    X = peerPublicKey.Slice(1, CoordinateLength).ToArray(),
                    Y = peerPublicKey.Slice(1 + CoordinateLength, CoordinateLength).ToArray(),
                },
            });
            // The import validates that the point is on the curve (RFC 8446 §4.2.8.2 requires the check).
            return _key.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException)
        {
            throw new TlsAlertException(TlsAlert.IllegalParameter, "P-256 key share is not a point on the curve.");
        }
    }

    public void Dispose() => _key.Dispose();
}
