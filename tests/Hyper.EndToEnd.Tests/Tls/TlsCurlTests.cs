using System.Security.Cryptography.X509Certificates;
using System.Diagnostics;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>Hyper's TLS against curl (OpenSSL, the test CA given by <c>--cacert</c>) and nghttp (h2 over TLS).</summary>
public sealed class TlsCurlTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Curl_Http11WithCacert_GetsHelloOverTls(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);

        var (exit, stdout, stderr) = await RunCurlAsync("-sS", "-v", "--http1.1", "--cacert", _tls.CaFile, $"https://localhost:{server.Port}/");

        exit.Should().Be(0, stderr);
        stdout.Should().Be("Hello, World!");
        stderr.Should().Contain("ALPN").And.Contain("http/1.1");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Curl_Http2WithCacert_NegotiatesH2(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);

        var (exit, stdout, stderr) = await RunCurlAsync("-sS", "--http2", "--cacert", _tls.CaFile, "-w", " %{http_version}", $"https://localhost:{server.Port}/");

        exit.Should().Be(0, stderr);
        stdout.Should().Be("Hello, World! 2");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Nghttp_OverTls_GetsHelloWithH2(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);

        // nghttp does not verify certificates; it checks the h2 side: ALPN, SETTINGS, the stream's frames.
        var (exit, stdout, stderr) = await RunAsync("nghttp", "-v", $"https://127.0.0.1:{server.Port}/");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("The negotiated protocol: h2").And.Contain("Hello, World!");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Curl_WithoutTheCa_RefusesTheCertificate(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);

        var (exit, _, _) = await RunCurlAsync("-sS", "--http1.1", $"https://localhost:{server.Port}/");

        exit.Should().Be(60, "curl's exit code for a certificate it cannot verify");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Curl_ClientCertificate_AcceptedWhenRequired(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, TlsApps.Describe, _tls, o => o with { VerifyMode = "CERT_REQUIRED", CaCerts = _tls.CaFile });
        var client = _tls.IssueClient("CN=curl");
        var certPath = Path.Combine(_tls.Directory, "client.pem");
        var keyPath = Path.Combine(_tls.Directory, "client.key");
        await File.WriteAllTextAsync(certPath, client.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var (exit, stdout, stderr) = await RunCurlAsync("-sS", "--http1.1", "--cacert", _tls.CaFile, "--cert", certPath, "--key", keyPath,
            $"https://localhost:{server.Port}/");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("client_cert_name=CN=curl");
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunCurlAsync(params string[] arguments) =>
        RunAsync("curl", [.. arguments, "--max-time", "15"]);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => _tls.Dispose();
}
