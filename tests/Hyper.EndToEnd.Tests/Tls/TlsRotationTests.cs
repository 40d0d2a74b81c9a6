using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>Certificate rotation under load (docs/security.md OP-09): new handshakes get the new pair, no request fails.</summary>
public sealed class TlsRotationTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task FilesReplacedDuringLoad_NoRequestFailsAndNewHandshakesSeeTheNewCertificate(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var handler = _tls.Handler();
        var policy = handler.SslOptions.CertificateChainPolicy!;
        handler.SslOptions.CertificateChainPolicy = null;
        // Record every certificate a handshake presents, still checking it against the test CA.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            using var chain = new X509Chain { ChainPolicy = policy };
            var cert = (X509Certificate2)certificate!;
            seen.AddOrUpdate(cert.Thumbprint, 1, (_, n) => n + 1);
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(cert);
        };
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        using var client = new HttpClient(handler) { BaseAddress = server.HttpsUri, Timeout = TimeSpan.FromSeconds(15) };
        var failures = 0;
        var done = 0;
        using var stop = new CancellationTokenSource();

        async Task LoadAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // A new connection, hence a new handshake, per request.
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { ConnectionClose = true } };
                    using var response = await client.SendAsync(request);
                    if ((await response.Content.ReadAsStringAsync()) != "Hello, World!") Interlocked.Increment(ref failures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                Interlocked.Increment(ref done);
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)).ToArray();
        await Task.Delay(300);
        var renewed = _tls.RenewServerPair(_tls.CertFile, _tls.KeyFile);
        // The watcher's debounce is 0.5 s and the poll 5 s; the store reports each swap.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (server.Handshaker.Certificates!.Generation == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var beforeCount = done;
        while (done < beforeCount + 20 && DateTime.UtcNow < deadline) await Task.Delay(20);
        stop.Cancel();
        await Task.WhenAll(load);

        server.Handshaker.Certificates.Generation.Should().BeGreaterThan(0);
        failures.Should().Be(0);
        seen.Keys.Should().Contain(renewed);
        seen.Should().HaveCountGreaterThan(1, "handshakes before the rotation saw the old certificate");
    }

    public void Dispose() => _tls.Dispose();
}
