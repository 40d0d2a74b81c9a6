using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls;

/// <summary>
/// Loads a PEM certificate chain and its private key, as Python's <c>SSLContext.load_cert_chain</c> does for
/// Hypercorn: the certificate file holds the leaf first and then any intermediates; the key file holds an RSA or
/// ECDSA key, unencrypted (PKCS#1, SEC1 or PKCS#8) or encrypted as PKCS#8 (<c>ENCRYPTED PRIVATE KEY</c>, opened
/// with <c>keyfile_password</c>). OpenSSL's legacy <c>Proc-Type: 4,ENCRYPTED</c> keys are not readable by .NET:
/// convert them with <c>openssl pkcs8 -topk8</c>.
/// </summary>
internal static class PemCertificateLoader
{
    /// <exception cref="TlsCertificateException">A file is missing or unreadable, the key is wrong or does not match.</exception>
    public static ServerCertificate Load(TlsCertificateEntry entry, string? password)
    {
        try
        {
            var leaf = LoadLeafWithKey(entry.CertFile, entry.KeyFile, password);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(entry.CertFile);
            if (chain.Count == 0) throw new TlsCertificateException($"{entry.CertFile}: no PEM certificate in it");
            // The first certificate is the leaf itself; the rest are the intermediates the peer needs to build a path.
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
            // offline: never fetch missing intermediates from the network while loading (startup and rotation stay local).
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            var names = entry.ServerNames.Count > 0 ? entry.ServerNames : NamesIn(leaf);
            return new ServerCertificate(leaf, context, names);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TlsCertificateException($"certfile {entry.CertFile} / keyfile {entry.KeyFile}: {ex.Message}", ex);
        }
    }

    private static X509Certificate2 LoadLeafWithKey(string certFile, string keyFile, string? password)
    {
        var keyText = File.ReadAllText(keyFile);
        if (keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            throw new TlsCertificateException($"{keyFile}: legacy OpenSSL-encrypted key; convert it to encrypted PKCS#8 with 'openssl pkcs8 -topk8'");
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            if (password is null) throw new TlsCertificateException($"{keyFile}: the key is encrypted; set keyfile_password");
            return X509Certificate2.CreateFromEncryptedPemFile(certFile, password, keyFile);
        }
        return X509Certificate2.CreateFromPemFile(certFile, keyFile);
    }

    /// <summary>The DNS names a certificate is valid for: its subjectAltName entries, else its common name (RFC 6125 §6.4.4).</summary>
    internal static IReadOnlyList<string> NamesIn(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
                names.AddRange(san.EnumerateDnsNames());
        }
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } cn)
            names.Add(cn);
        return names;
    }
}
