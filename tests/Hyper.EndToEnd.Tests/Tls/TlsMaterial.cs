using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>
/// A test CA and PEM files it signs, made at run time with <see cref="CertificateRequest"/>, in a temp directory
/// removed on dispose. Server certificates name localhost and 127.0.0.1.
/// </summary>
public sealed class TlsMaterial : IDisposable
{
    public TlsMaterial()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hyper-tls-e2e-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hyper E2E CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
        CaFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        (CertFile, KeyFile) = WriteServerPair("server");
    }

    public string Directory { get; }
    public X509Certificate2 Ca { get; }
    public string CaFile { get; }
    public string CertFile { get; }
    public string KeyFile { get; }

    /// <summary>A server certificate for localhost/127.0.0.1 signed by <see cref="Ca"/>, written as name.pem and name.key.</summary>
    public (string Cert, string Key) WriteServerPair(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var certificate = Issue("CN=localhost", client: false, notBefore, notAfter);
        return Write(certificate, name);
    }

    /// <summary>Overwrites <paramref name="cert"/>/<paramref name="key"/> with a fresh pair; returns its thumbprint.</summary>
    public string RenewServerPair(string cert, string key)
    {
        var certificate = Issue("CN=localhost", client: false, null, null);
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return certificate.Thumbprint;
    }

    public X509Certificate2 IssueClient(string subject = "CN=client-1") => Issue(subject, client: true, null, null);

    /// <summary>A client certificate from a CA nobody trusts.</summary>
    public static X509Certificate2 UntrustedClient()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A handler trusting <see cref="Ca"/> only (name and expiry checks stay on), optionally with a client certificate.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null, string? connectTo = null)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Ca);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        if (connectTo is not null)
        {
            // Resolve any host name to the test server, so a name the certificate lacks can be asked for.
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(IPEndPoint.Parse(connectTo), token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            };
        }
        return handler;
    }

    private X509Certificate2 Issue(string subject, bool client, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (!client)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(Ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        return signed.CopyWithPrivateKey(key);
    }

    private (string Cert, string Key) Write(X509Certificate2 certificate, string name)
    {
        var cert = Path.Combine(Directory, name + ".pem");
        var key = Path.Combine(Directory, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
