using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls.Tests;

public sealed class CertificateSetTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CertificateSet _set;

    public CertificateSetTests()
    {
        var ca = TestCertificates.CreateCa();
        ServerCertificate Make(string file, params string[] names)
        {
            var (cert, key) = TestCertificates.WritePem(TestCertificates.CreateLeaf(ca, names), _dir.Path, file);
            return PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), null);
        }
        _set = new CertificateSet([Make("default", "default.test"), Make("wild", "*.example.test"), Make("exact", "api.example.test")]);
    }

    [Theory]
    [InlineData("api.example.test", 2)]
    [InlineData("API.Example.Test", 2)]
    [InlineData("api.example.test.", 2)]
    [InlineData("www.example.test", 1)]
    [InlineData("a.b.example.test", 0)]
    [InlineData("example.test", 0)]
    [InlineData("default.test", 0)]
    [InlineData("unknown.test", 0)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Select_ServerName_PicksExactThenWildcardThenDefault(string? serverName, int expected)
    {
        _set.Select(serverName).Should().BeSameAs(_set.Certificates[expected]);
    }

    public void Dispose() => _dir.Dispose();
}
