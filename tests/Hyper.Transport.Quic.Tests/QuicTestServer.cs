using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Backends.ThreadPool;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.Transport.Quic.Tests;

/// <summary>
/// A <see cref="QuicServer"/> on a fresh backend, configured as the CLI configures it (<c>quic_bind</c> on port 0,
/// <c>certfile</c>/<c>keyfile</c> PEM files of a new P-256 certificate, <c>quic_retry</c>), with a
/// <see cref="FixedResponseHandlerFactory"/> as the application.
/// </summary>
internal sealed class QuicTestServer : IAsyncDisposable
{
    public static readonly TheoryData<string> Backends = [ThreadPoolBackend.BackendName, SingleThreadLoopBackend.BackendName, StructuredBackend.BackendName];

    private readonly IServerBackend _backend;
    private readonly DirectoryInfo _directory;

    private QuicTestServer(IServerBackend backend, QuicServer server, FixedResponseHandlerFactory handlers, DirectoryInfo directory)
    {
        _backend = backend;
        Server = server;
        Handlers = handlers;
        _directory = directory;
    }

    public QuicServer Server { get; }

    public FixedResponseHandlerFactory Handlers { get; }

    public int Port => Server.BoundEndPoints[0].Port;

    public static IServerBackend CreateBackend(string name, int loops = 2) => name switch
    {
        ThreadPoolBackend.BackendName => new ThreadPoolBackend(),
        StructuredBackend.BackendName => new StructuredBackend(),
        SingleThreadLoopBackend.BackendName => new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = loops }),
        _ => throw new ArgumentException($"unknown backend {name}"),
    };

    public static async Task<QuicTestServer> StartAsync(string backendName, byte[]? body = null, string retry = "never", int loops = 2)
    {
        var directory = Directory.CreateTempSubdirectory("hyper-quic-server-");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        var options = new HyperOptions
        {
            QuicBind = [BindAddress.Parse("127.0.0.1:0")],
            QuicRetry = retry,
            Tls = new TlsOptions { CertFiles = [Path.Combine(directory.FullName, "cert.pem")], KeyFiles = [Path.Combine(directory.FullName, "key.pem")] },
        }.Validate();
        var backend = CreateBackend(backendName, loops);
        var handlers = new FixedResponseHandlerFactory(body ?? []);
        var server = new QuicServer(options, backend, handlers, NullLoggerFactory.Instance);
        await server.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return new QuicTestServer(backend, server, handlers, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await _backend.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        _directory.Delete(recursive: true);
    }
}
