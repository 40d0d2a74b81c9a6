using System.Security.Cryptography.X509Certificates;
using System.Diagnostics;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>Hyper's TLS against curl (OpenSSL), with the test CA given by <c>--cacert</c>.</summary>
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--max-time");
        start.ArgumentList.Add("15");
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
