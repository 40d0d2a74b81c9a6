using System.Net;
using Hyper.Backends.ThreadPool;
using Hyper.Cli;
using Hyper.Core.Configuration;
using Hyper.Transport.Tls;

namespace Hyper.EndToEnd.Tests.Browser;

/// <summary>
/// A real browser against Hyper: headless chromium loads a page over HTTPS from a certificate made by
/// <c>hyper dev-cert</c> (a local CA and a localhost leaf, in a temp directory), trusted for that run only by the
/// leaf's key, and the page reports the protocol the browser negotiated. Over TLS chromium offers ALPN h2 first, so
/// Hyper must serve HTTP/2 (RFC 9113 §3.2); on the insecure bind a browser never tries h2c, so it is HTTP/1.1.
/// </summary>
public sealed class ChromiumProtocolTests : IDisposable
{
    private readonly string _certificates = Directory.CreateTempSubdirectory("hyper-browser-certs-").FullName;
    private readonly DevCertCommand.Result _devCert;

    public ChromiumProtocolTests() => _devCert = DevCertCommand.Ensure(_certificates, force: false, TimeProvider.System);

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Chromium_HttpsWithDevCertificate_ReportsH2(string backend)
    {
        await using var server = await StartAsync(backend);

        var result = await HeadlessChromium.DumpDomAsync(new Uri($"https://localhost:{server.Port}/"), [SpkiFingerprint.OfPemFile(_devCert.CertPath)]);

        ReportedProtocol(result).Should().Be("h2", Diagnostics(result));
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Chromium_InsecureBind_ReportsHttp11(string backend)
    {
        await using var server = await StartAsync(backend);

        var result = await HeadlessChromium.DumpDomAsync(new Uri($"http://127.0.0.1:{server.InsecurePort}/"), []);

        ReportedProtocol(result).Should().Be("http/1.1", Diagnostics(result));
    }

    [Fact]
    public async Task Chromium_HttpsWithoutTrustingTheKey_DoesNotLoadThePage()
    {
        // The SPKI flag is what makes the first test pass: without it the same certificate is refused, so the h2
        // result cannot come from a browser that ignores certificate errors altogether.
        await using var server = await StartAsync(ThreadPoolBackend.BackendName);
        using var stranger = Tls.TlsMaterial.UntrustedClient();

        var result = await HeadlessChromium.DumpDomAsync(new Uri($"https://localhost:{server.Port}/"), [SpkiFingerprint.Of(stranger)]);

        ReportedProtocol(result).Should().BeNull(Diagnostics(result));
    }

    private static string? ReportedProtocol(HeadlessChromium.Result result) => ProtocolProbePage.ReportedProtocol(result.Dom);

    private static string Diagnostics(HeadlessChromium.Result result) =>
        $"chromium exited {result.ExitCode}; DOM: {HeadlessChromium.Tail(result.Dom, 600)}; stderr: {HeadlessChromium.Tail(result.Stderr)}";

    private async Task<BrowserTestServer> StartAsync(string backend)
    {
        TlsHandshaker? handshaker = null;
        var server = await TestServer.StartAsync(backend, ProtocolProbePage.App,
            options => options with
            {
                Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
                InsecureBind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
                Tls = new TlsOptions { CertFiles = [_devCert.CertPath], KeyFiles = [_devCert.KeyPath] },
            },
            tls: options => handshaker = new TlsHandshaker(options.Tls, TestLoggerFactory.Create()));
        var endPoints = await server.Server.Started;
        return new BrowserTestServer(server, handshaker!, ((IPEndPoint)endPoints[1]).Port);
    }

    private sealed class BrowserTestServer(TestServer server, TlsHandshaker handshaker, int insecurePort) : IAsyncDisposable
    {
        public int Port => server.Port;
        public int InsecurePort => insecurePort;

        // Chromium may leave a speculative (preconnected) socket that never sends a byte; a server that cannot
        // shut down with one open must fail the test, not hang the run.
        private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(30);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await server.DisposeAsync().AsTask().WaitAsync(ShutdownBound);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the server did not shut down within {ShutdownBound.TotalSeconds:0} s after chromium's run");
            }
            finally
            {
                handshaker.Dispose();
            }
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_certificates, recursive: true); }
        catch (IOException) { }
    }
}
