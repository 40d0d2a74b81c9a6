using System.Net;
using System.Security.Cryptography;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Hyper.Quic.Connection;
using Hyper.Quic.Endpoint;
using Hyper.Quic.Tls;
using Microsoft.Extensions.Logging;

namespace Hyper.Transport.Quic;

/// <summary>
/// Serves QUIC on every <c>quic_bind</c> address with the backend's UDP sockets: one <see cref="QuicEndpointHost"/>
/// per socket (one per loop on the single-thread-loop backend), each receive loop spawned in the backend's root scope
/// like an accept loop. The certificates are the <c>certfile</c>/<c>keyfile</c> pairs TLS over TCP uses; what runs on
/// the connections is the <see cref="IQuicConnectionHandlerFactory"/>'s (HTTP/3).
/// </summary>
public sealed class QuicServer : IAsyncDisposable
{
    private readonly HyperOptions _options;
    private readonly IServerBackend _backend;
    private readonly IQuicConnectionHandlerFactory _handlers;
    private readonly ILogger _logger;
    private readonly List<QuicEndpointHost> _hosts = [];
    private readonly List<IDatagramSocket> _sockets = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private QuicCertificateSelector? _certificates;
    private readonly Lock _stopGate = new();
    private Task? _stop;

    public QuicServer(HyperOptions options, IServerBackend backend, IQuicConnectionHandlerFactory handlers, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (backend is not IDatagramTransport)
            throw new OptionsValidationException("quic_bind", $"the '{backend.Name}' backend has no UDP transport");
        _options = options;
        _backend = backend;
        _handlers = handlers;
        _logger = loggerFactory.CreateLogger("hyper.error");
    }

    /// <summary>The UDP addresses served (the real port where port 0 was asked for), one per bind, after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _sockets.Select(s => s.LocalEndPoint).Distinct().ToList();

    /// <summary>Endpoint counters summed over the sockets, for diagnostics and tests (read without synchronisation).</summary>
    public (int Connections, long VersionNegotiations, long Retries, long StatelessResets, long Refused, long DatagramsReceived, long TimerFirings) Counters =>
        (_hosts.Sum(h => h.Endpoint.ConnectionCount), _hosts.Sum(h => h.Endpoint.VersionNegotiationsSent), _hosts.Sum(h => h.Endpoint.RetriesSent),
         _hosts.Sum(h => h.Endpoint.StatelessResetsSent), _hosts.Sum(h => h.Endpoint.ConnectionsRefused),
         _hosts.Sum(h => h.Endpoint.DatagramsReceived), _hosts.Sum(h => h.TimerFirings));

    /// <summary>Loads the certificates, binds every <c>quic_bind</c> address and starts receiving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _certificates = QuicCertificateSelector.Load(_options.Tls.AllCertificates.Select(e => (e.CertFile, e.KeyFile)), _options.Tls.KeyFilePassword);
        var endpointOptions = EndpointOptions(_certificates);
        var transport = (IDatagramTransport)_backend;
        try
        {
            foreach (var bind in _options.QuicBind)
            {
                var sockets = await transport.BindDatagramAsync(bind, cancellationToken).ConfigureAwait(false);
                _sockets.AddRange(sockets);
            }
        }
        catch
        {
            foreach (var socket in _sockets) await socket.DisposeAsync().ConfigureAwait(false);
            _sockets.Clear();
            throw;
        }
        foreach (var socket in _sockets)
        {
            var host = new QuicEndpointHost(socket, endpointOptions, _handlers, _backend.Time, _logger);
            _hosts.Add(host);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _running.Add(done.Task);
            var stopping = _stopping.Token;
            _backend.RootScope.Spawn(async scopeToken =>
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, scopeToken);
                try { await host.RunAsync(linked.Token).ConfigureAwait(false); }
                finally { done.TrySetResult(); }
            });
        }
        foreach (var endPoint in BoundEndPoints)
            _logger.LogInformation("Running QUIC on {EndPoint} (UDP, ALPN {Alpn})", endPoint, string.Join(", ", _handlers.ApplicationProtocols));
    }

    private QuicEndpointOptions EndpointOptions(IServerCertificateSelector certificates)
    {
        var retry = _options.QuicRetry switch
        {
            "always" => QuicRetryMode.Always,
            "auto" => QuicRetryMode.Automatic,
            _ => QuicRetryMode.Never,
        };
        return new QuicEndpointOptions
        {
            Connection = new QuicConnectionOptions
            {
                Tls = new TlsServerOptions { CertificateSelector = certificates, ApplicationProtocols = _handlers.ApplicationProtocols },
                // One key for all of this process's sockets: a client hashed to another loop's socket still gets a
                // reset it can verify. A restart forgets it, so resets for older connections go unrecognised.
                StatelessResetKey = RandomNumberGenerator.GetBytes(32),
            },
            Retry = retry,
            RetryTokenKey = retry == QuicRetryMode.Never ? null : RandomNumberGenerator.GetBytes(32),
            MaxConnections = _options.QuicMaxConnections,
            MaxHandshakes = _options.QuicMaxHandshakes,
            RetryHandshakeThreshold = Math.Max(1, _options.QuicMaxHandshakes / 10),
        };
    }

    /// <summary>Closes every connection (one CONNECTION_CLOSE each), stops the receive loops and closes the sockets.</summary>
    public Task StopAsync()
    {
        lock (_stopGate) return _stop ??= StopOnceAsync();
    }

    private async Task StopOnceAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(5), _backend.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("QUIC receive loops did not stop within 5 s");
        }
        foreach (var socket in _sockets) await socket.DisposeAsync().ConfigureAwait(false);
        _certificates?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
