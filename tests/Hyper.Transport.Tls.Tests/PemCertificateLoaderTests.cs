using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls.Tests;

public sealed class PemCertificateLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestCertificates.CreateCa();

    [Theory]
    [InlineData(TestCertificates.KeyKind.Rsa)]
    [InlineData(TestCertificates.KeyKind.Ecdsa)]
    public void Load_UnencryptedKey_GivesLeafWithPrivateKeyAndSanNames(TestCertificates.KeyKind kind)
    {
        var leaf = TestCertificates.CreateLeaf(Ca, ["example.test", "*.example.test"], kind);
        var (cert, key) = TestCertificates.WritePem(leaf, _dir.Path, "server");

        var loaded = PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), password: null);

        loaded.Leaf.HasPrivateKey.Should().BeTrue();
        loaded.Leaf.Thumbprint.Should().Be(leaf.Thumbprint);
        loaded.ServerNames.Should().Equal("example.test", "*.example.test");
    }

    [Fact]
    public void Load_EncryptedPkcs8KeyWithPassword_Loads()
    {
        var leaf = TestCertificates.CreateLeaf(Ca, ["example.test"], TestCertificates.KeyKind.Rsa);
        var (cert, key) = TestCertificates.WritePem(leaf, _dir.Path, "server", password: "s3cret");

        var loaded = PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), "s3cret");

        loaded.Leaf.HasPrivateKey.Should().BeTrue();
    }

    [Fact]
    public void Load_EncryptedKeyWithoutPassword_FailsNamingKeyfilePassword()
    {
        var leaf = TestCertificates.CreateLeaf(Ca, ["example.test"]);
        var (cert, key) = TestCertificates.WritePem(leaf, _dir.Path, "server", password: "s3cret");

        var load = () => PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), password: null);

        load.Should().Throw<TlsCertificateException>().WithMessage("*keyfile_password*");
    }

    [Fact]
    public void Load_WrongPassword_Fails()
    {
        var leaf = TestCertificates.CreateLeaf(Ca, ["example.test"]);
        var (cert, key) = TestCertificates.WritePem(leaf, _dir.Path, "server", password: "s3cret");

        var load = () => PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), "wrong");

        load.Should().Throw<TlsCertificateException>().WithMessage($"*{cert}*");
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_Fails()
    {
        var (cert, _) = TestCertificates.WritePem(TestCertificates.CreateLeaf(Ca, ["a.test"]), _dir.Path, "a");
        var (_, otherKey) = TestCertificates.WritePem(TestCertificates.CreateLeaf(Ca, ["b.test"]), _dir.Path, "b");

        var load = () => PemCertificateLoader.Load(new TlsCertificateEntry(cert, otherKey), password: null);

        load.Should().Throw<TlsCertificateException>();
    }

    [Fact]
    public void Load_LegacyEncryptedKey_ExplainsTheConversion()
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.CreateLeaf(Ca, ["a.test"]), _dir.Path, "a");
        File.WriteAllText(key, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        var load = () => PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), "pw");

        load.Should().Throw<TlsCertificateException>().WithMessage("*openssl pkcs8 -topk8*");
    }

    [Fact]
    public void Load_ChainFile_SendsTheIntermediate()
    {
        var intermediate = TestCertificates.CreateCa("Hyper Intermediate", issuer: Ca);
        var leaf = TestCertificates.CreateLeaf(intermediate, ["example.test"]);
        var (cert, key) = TestCertificates.WritePem(leaf, _dir.Path, "server", null, intermediate);

        var loaded = PemCertificateLoader.Load(new TlsCertificateEntry(cert, key), password: null);

        loaded.Context.IntermediateCertificates.Select(c => c.Thumbprint).Should().Contain(intermediate.Thumbprint);
    }

    [Fact]
    public void Load_ExplicitServerNames_OverrideTheCertificateNames()
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.CreateLeaf(Ca, ["a.test"]), _dir.Path, "a");

        var loaded = PemCertificateLoader.Load(new TlsCertificateEntry(cert, key) { ServerNames = ["api.test"] }, null);

        loaded.ServerNames.Should().Equal("api.test");
    }

    public void Dispose() => _dir.Dispose();
}
