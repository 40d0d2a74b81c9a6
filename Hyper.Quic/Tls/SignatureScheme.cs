namespace Hyper.Quic.Tls;

/// <summary>
/// The CertificateVerify signature schemes Hyper can sign with (RFC 8446 §4.2.3). RSA PKCS#1 v1.5 is never used for
/// CertificateVerify in TLS 1.3.
/// </summary>
public enum SignatureScheme : ushort
{
    EcdsaSecp256r1Sha256 = 0x0403,
    RsaPssRsaeSha256 = 0x0804,
}
