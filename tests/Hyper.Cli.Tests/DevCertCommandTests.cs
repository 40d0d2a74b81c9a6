using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Cli.Tests;

public sealed class DevCertCommandTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    private async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var command = new HyperCommand(new Dictionary<string, string?>(), (_, _, _) => Task.FromResult(0));
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await command.InvokeAsync(["dev-cert", "--dir", _dir.Path, .. args], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private X509Certificate2 Leaf => X509Certificate2.CreateFromPemFile(
        Path.Combine(_dir.Path, DevCertCommand.CertFile), Path.Combine(_dir.Path, DevCertCommand.KeyFile));

    private X509Certificate2 Ca
    {
        get
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(Path.Combine(_dir.Path, DevCertCommand.CaCertFile));
            return certificates.Single();
        }
    }

    [Fact]
    public async Task DevCert_FirstRun_CreatesCaAndLocalhostCertificateAndPrintsTheFlags()
    {
        var (exit, output, error) = await InvokeAsync();

        exit.Should().Be(0, error);
        var leaf = Leaf;
        leaf.HasPrivateKey.Should().BeTrue();
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        san.EnumerateDnsNames().Should().Equal("localhost");
        san.EnumerateIPAddresses().Should().BeEquivalentTo([IPAddress.Loopback, IPAddress.IPv6Loopback]);
        output.Should().Contain($"--certfile {Path.Combine(_dir.Path, "localhost.pem")} --keyfile {Path.Combine(_dir.Path, "localhost.key")}");
        output.Should().Contain($"curl --cacert {Path.Combine(_dir.Path, "ca.pem")}");
        output.Should().Contain("(created");
    }

    [Fact]
    public async Task DevCert_Certificate_ChainsToTheCaForServerAuth()
    {
        await InvokeAsync();

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));

        chain.Build(Leaf).Should().BeTrue(string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        (Leaf.NotAfter - Leaf.NotBefore).Should().BeLessThanOrEqualTo(TimeSpan.FromDays(398), "browsers refuse longer-lived leaves");
    }

    [Fact]
    public async Task DevCert_SecondRun_ReusesBoth()
    {
        await InvokeAsync();
        var first = (Ca.Thumbprint, Leaf.Thumbprint);

        var (exit, output, _) = await InvokeAsync();

        exit.Should().Be(0);
        (Ca.Thumbprint, Leaf.Thumbprint).Should().Be(first);
        output.Should().Contain("(reused)").And.NotContain("created");
    }

    [Fact]
    public async Task DevCert_Force_MakesNewOnes()
    {
        await InvokeAsync();
        var first = (Ca.Thumbprint, Leaf.Thumbprint);

        await InvokeAsync("--force");

        Ca.Thumbprint.Should().NotBe(first.Item1);
        Leaf.Thumbprint.Should().NotBe(first.Item2);
    }

    [Fact]
    public void Ensure_CertificateNearExpiry_IsRenewedUnderTheSameCa()
    {
        var now = DateTimeOffset.UtcNow;
        var first = DevCertCommand.Ensure(_dir.Path, force: false, new FixedTime(now));
        var caBefore = Ca.Thumbprint;

        var second = DevCertCommand.Ensure(_dir.Path, force: false, new FixedTime(now.AddDays(390)));

        first.CertificateCreated.Should().BeTrue();
        second.CaCreated.Should().BeFalse();
        second.CertificateCreated.Should().BeTrue();
        Ca.Thumbprint.Should().Be(caBefore);
    }

    [Fact]
    public void Ensure_KeyFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;

        DevCertCommand.Ensure(_dir.Path, force: false, TimeProvider.System);

        File.GetUnixFileMode(Path.Combine(_dir.Path, DevCertCommand.KeyFile)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.Combine(_dir.Path, DevCertCommand.CaKeyFile)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => _dir.Dispose();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
