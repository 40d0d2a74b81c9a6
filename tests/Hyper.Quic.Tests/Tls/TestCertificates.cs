using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Tls;

/// <summary>Self-signed certificates made once per test run, and a selector over them keyed by server name.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyEcdsa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return SelfSigned(new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256));
    });

    private static readonly Lazy<X509Certificate2> LazyRsa = new(() =>
    {
        using var key = RSA.Create(2048);
        return SelfSigned(new CertificateRequest("CN=rsa.localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    });

    public static X509Certificate2 Ecdsa => LazyEcdsa.Value;

    public static X509Certificate2 Rsa => LazyRsa.Value;

    private static X509Certificate2 SelfSigned(CertificateRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}

/// <summary>Maps server names to certificates; a null name gets the default.</summary>
internal sealed class DictionaryCertificateSelector(ServerCertificate? defaultCertificate, Dictionary<string, ServerCertificate>? byName = null)
    : IServerCertificateSelector
{
    public List<string?> Requests { get; } = [];

    public ServerCertificate? Select(string? serverName)
    {
        Requests.Add(serverName);
        if (serverName is not null && byName is not null && byName.TryGetValue(serverName, out var certificate))
            return certificate;
        return defaultCertificate;
    }
}
