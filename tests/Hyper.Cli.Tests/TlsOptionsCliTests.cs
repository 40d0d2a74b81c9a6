using Hyper.Core.Application;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

/// <summary>The TLS keys through every source: flags (Hypercorn's names), a TOML file with <c>[[tls_certificates]]</c>, errors.</summary>
public sealed class TlsOptionsCliTests : IDisposable
{
    private static readonly string App = $"{typeof(TlsOptionsCliTests).Assembly.Location}:Hyper.Cli.Tests.SampleApps.InstanceApp";
    private readonly TemporaryDirectory _dir = new();

    // Validation checks the files exist; their content is the TLS assembly's business.
    private string File(string name) => _dir.Write(name, "placeholder");

    private static async Task<(int ExitCode, HyperOptions? Options, string Error)> InvokeAsync(params string[] args)
    {
        HyperOptions? options = null;
        var command = new HyperCommand(new Dictionary<string, string?>(), (o, _, _) =>
        {
            options = o;
            return Task.FromResult(0);
        });
        var error = new StringWriter();
        var exit = await command.InvokeAsync([App, .. args], new StringWriter(), error);
        return (exit, options, error.ToString());
    }

    [Fact]
    public async Task Flags_HypercornNames_RoundTripIntoTlsOptions()
    {
        var (cert1, key1, cert2, key2, ca) = (File("a.pem"), File("a.key"), File("b.pem"), File("b.key"), File("ca.pem"));

        var (exit, options, error) = await InvokeAsync("--certfile", cert1, "--keyfile", key1, "--certfile", cert2, "--keyfile", key2,
            "--keyfile-password", "pw", "--ca-certs", ca, "--verify-mode", "CERT_REQUIRED", "--ciphers", "ECDHE+AESGCM", "--tls-min-version", "1.3",
            "--set", "alpn_protocols=http/1.1,h2", "--set", "tls_handshake_timeout=2.5", "--set", "tls_max_concurrent_handshakes=50");

        exit.Should().Be(0, error);
        var tls = options!.Tls;
        tls.CertFiles.Should().Equal(cert1, cert2);
        tls.KeyFiles.Should().Equal(key1, key2);
        tls.KeyFilePassword.Should().Be("pw");
        tls.CaCerts.Should().Be(ca);
        tls.NormalizedVerifyMode.Should().Be("required");
        tls.Ciphers.Should().Be("ECDHE+AESGCM");
        tls.MinVersion.Should().Be("1.3");
        tls.AlpnProtocols.Should().Equal("http/1.1", "h2");
        tls.HandshakeTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        tls.MaxConcurrentHandshakes.Should().Be(50);
        tls.IsEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task TomlFile_TlsCertificatesTables_BindWithServerNames()
    {
        var (cert, key) = (File("api.pem"), File("api.key"));
        var config = _dir.Write("hyper.toml", $"""
            [[tls_certificates]]
            certfile = "{cert}"
            keyfile = "{key}"
            server_names = ["api.example.com", "*.api.example.com"]
            """);

        var (exit, options, error) = await InvokeAsync("--config", config);

        exit.Should().Be(0, error);
        options!.Tls.Certificates.Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new TlsCertificateEntry(cert, key) { ServerNames = ["api.example.com", "*.api.example.com"] });
    }

    [Theory]
    [InlineData("certfile = \"x\"", "tls_certificates[0].keyfile")]
    [InlineData("certfile = \"x\"\nkeyfile = \"y\"\ncolor = \"red\"", "tls_certificates[0].color")]
    public async Task TomlFile_BadTlsCertificatesTable_NamesTheField(string table, string key)
    {
        var config = _dir.Write("hyper.toml", "[[tls_certificates]]\n" + table + "\n");

        var (exit, _, error) = await InvokeAsync("--config", config);

        exit.Should().Be(HyperCommand.UsageErrorExitCode);
        error.Should().StartWith($"hyper: error: {key}:");
    }

    [Fact]
    public async Task Flags_KeyfileMissing_IsAUsageErrorNamingKeyfile()
    {
        var (exit, _, error) = await InvokeAsync("--certfile", File("a.pem"));

        exit.Should().Be(HyperCommand.UsageErrorExitCode);
        error.Should().StartWith("hyper: error: keyfile:");
    }

    [Fact]
    public async Task Flags_VerifyModeWithoutCaCerts_IsAUsageError()
    {
        var (exit, _, error) = await InvokeAsync("--certfile", File("a.pem"), "--keyfile", File("a.key"), "--verify-mode", "optional");

        exit.Should().Be(HyperCommand.UsageErrorExitCode);
        error.Should().StartWith("hyper: error: verify_mode:");
    }

    [Fact]
    public async Task Flags_NoCertificate_LeavesTlsOff()
    {
        var (exit, options, _) = await InvokeAsync();

        exit.Should().Be(0);
        options!.Tls.IsEnabled.Should().BeFalse();
    }

    public void Dispose() => _dir.Dispose();
}
