using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.EndToEnd.Tests.Browser;

/// <summary>
/// The base64 SHA-256 of a certificate's DER SubjectPublicKeyInfo: the form chromium's
/// <c>--ignore-certificate-errors-spki-list</c> takes (and HPKP's pin-sha256 used, RFC 7469 §2.4). It names one key,
/// so a browser given it trusts that certificate's key and nothing else.
/// </summary>
public static class SpkiFingerprint
{
    public static string OfPemFile(string certificatePem)
    {
        // The one-argument overload reads the certificate alone (the key file stays out of it).
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePem));
        return Of(certificate);
    }

    public static string Of(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
