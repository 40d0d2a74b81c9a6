using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Quic.Tls;

/// <summary>
/// A certificate chain with its private key, ready to sign CertificateVerify. The key is extracted once here rather
/// than on every handshake (each Get*PrivateKey call builds a new key object).
/// </summary>
public sealed class ServerCertificate : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    public ServerCertificate(X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? intermediates = null)
    {
        Certificate = certificate;
        Chain = [certificate.RawData, .. (intermediates ?? []).Select(c => c.RawData)];
        _ecdsa = certificate.GetECDsaPrivateKey();
        if (_ecdsa is not null)
        {
            // ecdsa_secp256r1_sha256 is the only ECDSA scheme offered; other curves would need their own schemes.
            if (_ecdsa.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new NotSupportedException("ECDSA certificates must use P-256.");
            Scheme = SignatureScheme.EcdsaSecp256r1Sha256;
            return;
        }

        _rsa = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));
        Scheme = SignatureScheme.RsaPssRsaeSha256;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>DER certificates, leaf first (RFC 8446 §4.4.2).</summary>
    public IReadOnlyList<byte[]> Chain { get; }

    public SignatureScheme Scheme { get; }

    /// <summary>Signs the CertificateVerify content (RFC 8446 §4.4.3).</summary>
    public byte[] Sign(ReadOnlySpan<byte> content) => Scheme == SignatureScheme.EcdsaSecp256r1Sha256
        // TLS carries ECDSA signatures as a DER SEQUENCE of r and s, not .NET's default r‖s.
        ? _ecdsa!.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
        // rsa_pss_rsae_sha256: PSS with MGF1-SHA256 and a salt as long as the hash, which is .NET's PSS salt.
        : _rsa!.SignData(content.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
