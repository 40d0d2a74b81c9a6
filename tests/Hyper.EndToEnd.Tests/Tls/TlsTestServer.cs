using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Transport.Tls;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>A <see cref="TestServer"/> whose <c>bind</c> serves TLS with <see cref="TlsMaterial"/>'s certificate.</summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private TlsTestServer(TestServer server, TlsHandshaker handshaker, IReadOnlyList<EndPoint> endPoints)
    {
        Server = server;
        Handshaker = handshaker;
        EndPoints = endPoints;
    }

    public TestServer Server { get; }
    public TlsHandshaker Handshaker { get; }
    public IReadOnlyList<EndPoint> EndPoints { get; }
    public int Port => Server.Port;
    public Uri HttpsUri => new($"https://localhost:{Port}/");

    /// <summary>The cleartext port when an <c>insecure_bind</c> was configured (the second endpoint bound).</summary>
    public int InsecurePort => ((IPEndPoint)EndPoints[1]).Port;

    public static async Task<TlsTestServer> StartAsync(string backend, AsgiApplication app, TlsMaterial material,
        Func<TlsOptions, TlsOptions>? tls = null, Func<HyperOptions, HyperOptions>? configure = null)
    {
        TlsHandshaker? handshaker = null;
        var server = await TestServer.StartAsync(backend, app,
            options =>
            {
                var configured = configure?.Invoke(options) ?? options;
                var tlsOptions = new TlsOptions { CertFiles = [material.CertFile], KeyFiles = [material.KeyFile] };
                return configured with { Tls = tls?.Invoke(tlsOptions) ?? tlsOptions };
            },
            tls: options => handshaker = new TlsHandshaker(options.Tls, TestLoggerFactory.Create()));
        var endPoints = await server.Server.Started;
        return new TlsTestServer(server, handshaker!, endPoints);
    }

    public HttpClient CreateClient(TlsMaterial material, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) =>
        new(material.Handler(clientCertificate)) { BaseAddress = HttpsUri, Timeout = TimeSpan.FromSeconds(15) };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Handshaker.Dispose();
    }
}
