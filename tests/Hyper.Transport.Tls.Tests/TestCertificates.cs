using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Transport.Tls.Tests;

/// <summary>Certificates made at test time with <see cref="CertificateRequest"/>: a CA, leaves it signs, PEM files.</summary>
public static class TestCertificates
{
    public enum KeyKind { Rsa, Ecdsa }

    /// <summary>A self-signed root, or an intermediate CA when <paramref name="issuer"/> is given.</summary>
    public static X509Certificate2 CreateCa(string name = "Hyper Test CA", KeyKind kind = KeyKind.Ecdsa, X509Certificate2? issuer = null)
    {
        var key = CreateKey(kind);
        var request = NewRequest($"CN={name}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        if (issuer is null) return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return WithKey(Sign(request, issuer, now.AddDays(-1), now.AddYears(1)), key);
    }

    /// <summary>A server (or, with <paramref name="client"/>, a client) certificate signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string[] dnsNames, KeyKind kind = KeyKind.Ecdsa,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool client = false, bool includeIp = true)
    {
        var key = CreateKey(kind);
        var request = NewRequest($"CN={(dnsNames.Length > 0 ? dnsNames[0] : "client")}", key);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        if (includeIp && !client) san.AddIpAddress(IPAddress.Loopback);
        if (dnsNames.Length > 0 || !client) request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return WithKey(Sign(request, issuer, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30)), key);
    }

    // The issuer's key may be of another kind than the request's: sign with a generator for the issuer's key.
    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        var generator = issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer.SubjectName, generator, notBefore, notAfter, serial);
    }

    private static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        using (certificate)
        {
            return key is RSA rsa ? certificate.CopyWithPrivateKey(rsa) : certificate.CopyWithPrivateKey((ECDsa)key);
        }
    }

    /// <summary>Writes the certificate (plus <paramref name="chain"/>) and its key as PEM; returns (certfile, keyfile).</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 certificate, string directory, string name,
        string? password = null, params X509Certificate2[] chain)
    {
        var certPath = Path.Combine(directory, name + ".pem");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certPath, string.Concat(new[] { certificate }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n")));
        File.WriteAllText(keyPath, KeyPem(certificate, password));
        return (certPath, keyPath);
    }

    public static string KeyPem(X509Certificate2 certificate, string? password = null)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()!;
        if (password is null) return key.ExportPkcs8PrivateKeyPem();
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000);
        return key.ExportEncryptedPkcs8PrivateKeyPem(password, pbe);
    }

    public static string WriteCaBundle(string directory, params X509Certificate2[] cas)
    {
        var path = Path.Combine(directory, "ca-bundle.pem");
        File.WriteAllText(path, string.Concat(cas.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }

    private static AsymmetricAlgorithm CreateKey(KeyKind kind) =>
        kind == KeyKind.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateRequest NewRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };
}
