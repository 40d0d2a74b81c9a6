using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Cli.Tests.SampleApps;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

/// <summary>The QUIC keys (Hypercorn's <c>quic_bind</c> and Hyper's own) through flags and TOML, their errors, and what serving does with them.</summary>
public sealed class QuicOptionsCliTests : IDisposable
{
    private static readonly string App = $"{typeof(QuicOptionsCliTests).Assembly.Location}:Hyper.Cli.Tests.SampleApps.InstanceApp";
    private readonly TemporaryDirectory _dir = new();

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
    public async Task Flags_SetTheQuicKeys()
    {
        var (exit, options, error) = await InvokeAsync("--certfile", File("a.pem"), "--keyfile", File("a.key"),
            "--quic-bind", "127.0.0.1:4433", "--quic-bind", "[::1]:4433", "--quic-retry", "always",
            "--quic-max-connections", "50", "--quic-max-handshakes", "5");

        exit.Should().Be(0, error);
        options!.QuicBind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 4433), new BindAddress(BindKind.Tcp, "::1", 4433));
        options.QuicRetry.Should().Be("always");
        options.QuicMaxConnections.Should().Be(50);
        options.QuicMaxHandshakes.Should().Be(5);
    }

    [Fact]
    public async Task TomlFile_SetsQuicBind()
    {
        var config = _dir.Write("hyper.toml", $"""
            certfile = "{File("a.pem")}"
            keyfile = "{File("a.key")}"
            quic_bind = ["0.0.0.0:443"]
            quic_retry = "auto"
            """);

        var (exit, options, error) = await InvokeAsync("--config", config);

        exit.Should().Be(0, error);
        options!.QuicBind.Should().Equal(new BindAddress(BindKind.Tcp, "0.0.0.0", 443));
        options.QuicRetry.Should().Be("auto");
    }

    [Theory]
    [InlineData(new[] { "--quic-bind", "127.0.0.1:4433" }, "quic_bind")]
    [InlineData(new[] { "--quic-bind", "unix:/tmp/q.sock", "--certfile", "CERT", "--keyfile", "KEY" }, "quic_bind")]
    [InlineData(new[] { "--quic-retry", "sometimes" }, "quic_retry")]
    [InlineData(new[] { "--quic-max-handshakes", "0" }, "quic_max_handshakes")]
    public async Task WrongValues_AreOneLineNamingTheKey(string[] args, string key)
    {
        var resolved = args.Select(a => a == "CERT" ? File("c.pem") : a == "KEY" ? File("c.key") : a).ToArray();

        var (exit, _, error) = await InvokeAsync(resolved);

        exit.Should().Be(2);
        error.Should().StartWith($"hyper: error: {key}");
    }

    [Fact]
    public async Task Serve_QuicBindWithoutAnHttp3Module_IsAUsageError()
    {
        var (cert, key) = WriteCertificate();
        var error = new StringWriter();
        var options = new HyperOptions
        {
            Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            QuicBind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            Tls = new TlsOptions { CertFiles = [cert], KeyFiles = [key] },
            ErrorLog = null,
        }.Validate();

        var exitCode = await new ServerComposition(error).ServeAsync(options, HelloApp.App, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        exitCode.Should().Be(2);
        error.ToString().Should().StartWith("hyper: error: quic_bind: no application protocol for QUIC is registered");
    }

    [Fact]
    public async Task Serve_QuicBindWithWorkers_IsAUsageError()
    {
        var error = new StringWriter();
        var options = new HyperOptions
        {
            QuicBind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            Tls = new TlsOptions { CertFiles = [File("a.pem")], KeyFiles = [File("a.key")] },
            Workers = 2,
            ErrorLog = null,
        };

        var exitCode = await new ServerComposition(error, ["app"]).ServeAsync(options, HelloApp.App, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        exitCode.Should().Be(2);
        error.ToString().Should().StartWith("hyper: error: quic_bind: QUIC runs in a single process");
    }

    private (string Cert, string Key) WriteCertificate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (_dir.Write("quic.pem", certificate.ExportCertificatePem()), _dir.Write("quic.key", ecdsa.ExportPkcs8PrivateKeyPem()));
    }

    public void Dispose() => _dir.Dispose();
}
