using System.Security.Cryptography.X509Certificates;
using Hyper.Quic.Tls;

namespace Hyper.Transport.Quic;

/// <summary>
/// Chooses among the configured certificates by SNI name (RFC 6066 §3), as the TCP TLS layer does: the first whose
/// subject alternative names match the name (wildcards for one label), else the first, which also serves clients
/// that send no SNI.
/// </summary>
internal sealed class QuicCertificateSelector : IServerCertificateSelector, IDisposable
{
    private readonly IReadOnlyList<ServerCertificate> _certificates;

    public QuicCertificateSelector(IReadOnlyList<ServerCertificate> certificates)
    {
        if (certificates.Count == 0) throw new ArgumentException("At least one certificate is required.", nameof(certificates));
        _certificates = certificates;
    }

    /// <summary>Loads each PEM certificate/key pair; the key may be encrypted with <paramref name="password"/>.</summary>
    public static QuicCertificateSelector Load(IEnumerable<(string CertFile, string KeyFile)> pairs, string? password)
    {
        var certificates = new List<ServerCertificate>();
        try
        {
            foreach (var (certFile, keyFile) in pairs)
            {
                using var loaded = password is null
                    ? X509Certificate2.CreateFromPemFile(certFile, keyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(certFile, password, keyFile);
                var intermediates = new X509Certificate2Collection();
                intermediates.ImportFromPemFile(certFile);
                var chain = intermediates.Cast<X509Certificate2>().Where(c => c.Thumbprint != loaded.Thumbprint).ToList();
                // ServerCertificate takes the private key out once; it keeps the certificate it is given.
                certificates.Add(new ServerCertificate(X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null), chain));
            }
        }
        catch
        {
            foreach (var certificate in certificates) certificate.Dispose();
            throw;
        }
        return new QuicCertificateSelector(certificates);
    }

    public ServerCertificate? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName)) return _certificates[0];
        foreach (var certificate in _certificates)
        {
            if (certificate.Certificate.MatchesHostname(serverName.TrimEnd('.'))) return certificate;
        }
        return _certificates[0];
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates) certificate.Dispose();
    }
}
