using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Conformance.Tests.Http2;

/// <summary>A self-signed ECDSA certificate for 127.0.0.1 / localhost as PEM files in a temp directory, deleted on dispose.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _directory;

    private TestCertificate(string directory)
    {
        _directory = directory;
        CertPath = Path.Combine(directory, "cert.pem");
        KeyPath = Path.Combine(directory, "key.pem");
    }

    public string CertPath { get; }
    public string KeyPath { get; }

    public static TestCertificate Create()
    {
        var result = new TestCertificate(Directory.CreateTempSubdirectory("hyper-h2spec-").FullName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(result.CertPath, certificate.ExportCertificatePem());
        File.WriteAllText(result.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return result;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
