using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Connections;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Hosting;

/// <summary>
/// One server: runs lifespan startup, binds, accepts connections and hands each to a
/// <see cref="ConnectionDriver"/> in the backend's task scope, and on shutdown stops accepting, drains
/// connections within <c>graceful_timeout</c>, then runs lifespan shutdown (Hypercorn's order, §3.3).
/// </summary>
public sealed class HyperServer
{
    /// <summary>Exit code when the application's lifespan startup fails.</summary>
    public const int LifespanFailedExitCode = 3;

    /// <summary>Exit code when a bind fails.</summary>
    public const int BindFailedExitCode = 4;

    private readonly HyperOptions _options;
    private readonly AsgiApplication _app;
    private readonly IServerBackend _backend;
    private readonly IStreamProtocolFactory _http11;
    private readonly IStreamProtocolFactory? _http2;
    private readonly ITlsHandshaker? _tls;
    private readonly string[] _alpn;
    private readonly IAccessLog _accessLog;
    private readonly ILogger _logger;
    private readonly ConnectionDrainer _drainer = new();
    private readonly TaskCompletionSource<IReadOnlyList<EndPoint>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HyperServer(HyperOptions options, AsgiApplication app, IServerBackend backend,
        IEnumerable<IStreamProtocolFactory> protocols, IAccessLog accessLog, ILoggerFactory loggerFactory,
        ITlsHandshaker? tls = null)
    {
        _options = options;
        _app = app;
        _backend = backend;
        _accessLog = accessLog;
        _logger = loggerFactory.CreateLogger("hyper.error");
        _http11 = protocols.FirstOrDefault(p => p.Alpn == "http/1.1")
            ?? throw new ArgumentException("No HTTP/1.1 protocol is registered.", nameof(protocols));
        _http2 = protocols.FirstOrDefault(p => p.Alpn == "h2");
        _tls = tls is { IsEnabled: true } ? tls : null;
        // ALPN preference: h2 first when it is there (as Kestrel and Hypercorn); the TLS options may reorder it.
        _alpn = _http2 is null ? ["http/1.1"] : ["h2", "http/1.1"];
    }

    /// <summary>Completes with the bound endpoints once the server listens (faults if it never does).</summary>
    public Task<IReadOnlyList<EndPoint>> Started => _started.Task;

    /// <summary>Open connections right now.</summary>
    public int ConnectionCount => _drainer.Count;

    /// <summary>Serves until <paramref name="shutdown"/> is cancelled; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        var exitCode = 0;
        await _backend.RunAsync(async _ => exitCode = await ServeAsync(shutdown), CancellationToken.None);
        return exitCode;
    }

    private async Task<int> ServeAsync(CancellationToken shutdown)
    {
        var server = new ServerContext(_options, _app, _accessLog, _logger, _backend.Time)
        {
            H2cUpgrade = _options.Http2.AllowH2cUpgrade ? _http2 as IUpgradeTargetFactory : null,
        };
        var lifespan = new LifespanRunner(_app, _logger, server.LifespanState);
        try
        {
            await lifespan.StartupAsync(_options.StartupTimeout, _backend.Time);
        }
        catch (LifespanFailureException ex)
        {
            _logger.LogCritical("Application startup failed: {Message}", ex.Message);
            _started.TrySetException(ex);
            return LifespanFailedExitCode;
        }

        var listeners = new List<ITransportListener>();
        var secure = new HashSet<ITransportListener>();
        try
        {
            foreach (var bind in _options.Bind)
            {
                var bound = await _backend.BindAsync(bind, _options.Backlog, shutdown);
                listeners.AddRange(bound);
                // `bind` serves TLS once a certificate is configured; `insecure_bind` never does (Hypercorn).
                if (_tls is not null) secure.UnionWith(bound);
            }
            foreach (var bind in _options.InsecureBind)
                listeners.AddRange(await _backend.BindAsync(bind, _options.Backlog, shutdown));
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            _logger.LogCritical("Could not bind: {Message}", ex.Message);
            foreach (var listener in listeners) await listener.DisposeAsync();
            _started.TrySetException(ex);
            await lifespan.ShutdownAsync(_options.ShutdownTimeout, _backend.Time);
            return BindFailedExitCode;
        }

        var endPoints = listeners.Select(l => l.EndPoint).Distinct().ToArray();
        foreach (var endPoint in endPoints)
            _logger.LogInformation("Running on {Url} (CTRL + C to quit)",
                Describe(endPoint, listeners.Any(l => secure.Contains(l) && Equals(l.EndPoint, endPoint))));
        var accepting = listeners.Select(l =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _backend.RootScope.Spawn(async _ =>
            {
                try { await AcceptLoopAsync(l, server, secure.Contains(l), shutdown); }
                finally { done.TrySetResult(); }
            });
            return done.Task;
        }).ToArray();
        _started.TrySetResult(endPoints);

        try
        {
            await Task.Delay(Timeout.Infinite, shutdown);
        }
        catch (OperationCanceledException) { }

        _logger.LogInformation("Shutting down: no new connections, {Count} open, graceful timeout {Timeout} s",
            _drainer.Count, _options.GracefulTimeout.TotalSeconds);
        foreach (var listener in listeners) await listener.UnbindAsync();
        await Task.WhenAll(accepting);
        if (!await _drainer.DrainAsync(_options.GracefulTimeout, _backend.Time))
            _logger.LogWarning("Graceful timeout reached: aborted the connections still open");
        try
        {
            // Applications that ignore the abort (a .NET task cannot be killed) must not hold the process.
            await _backend.RootScope.WhenAllAsync().WaitAsync(TimeSpan.FromSeconds(1), _backend.Time);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Application tasks are still running after the graceful timeout; stopping without them");
        }
        try
        {
            await lifespan.ShutdownAsync(_options.ShutdownTimeout, _backend.Time);
        }
        catch (LifespanFailureException ex)
        {
            _logger.LogError("Application shutdown failed: {Message}", ex.Message);
            return 1;
        }
        return 0;
    }

    private async Task AcceptLoopAsync(ITransportListener listener, ServerContext server, bool secure, CancellationToken shutdown)
    {
        var scope = _backend.RootScope;
        while (true)
        {
            ITransportConnection? transport;
            try
            {
                transport = await listener.AcceptAsync();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Accept failed on {EndPoint}", listener.EndPoint);
                continue;
            }
            if (transport is null) return;
            // Each connection is a task group of its own (DESIGN §3): what its requests start belongs to it.
            // The TLS handshake and the protocol choice run in it too, never in the accept loop.
            var connectionScope = scope.CreateChild();
            connectionScope.Spawn(token => ServeConnectionAsync(transport, secure, server, connectionScope, token, shutdown));
            CallbackGuard.Forget(CloseWhenDoneAsync(connectionScope), "connection scope close");
        }
    }

    private async Task ServeConnectionAsync(ITransportConnection transport, bool secure, ServerContext server, ITaskScope connectionScope,
        CancellationToken token, CancellationToken shutdown)
    {
        // Until a driver owns it, a connection is not in the drainer: shutdown must end its handshake or first read
        // itself, or a client that connects and stays silent would hold the server (a browser's speculative connection).
        using var opening = CancellationTokenSource.CreateLinkedTokenSource(token, shutdown);
        // Timers and continuations this connection starts carry it into the log if they fail.
        ConnectionLogContext.Enter($"connection from {transport.RemoteEndPoint}");
        ConnectionInfo info;
        IStreamProtocolFactory factory;
        if (secure)
        {
            var established = await _tls!.HandshakeAsync(transport, _alpn, opening.Token);
            if (established is null) return;
            transport = established.Connection;
            var alpn = established.Info.ApplicationProtocol;
            info = new ConnectionInfo(transport.RemoteEndPoint, transport.LocalEndPoint, IsTls: true, alpn, established.Info);
            factory = alpn == "h2" && _http2 is not null ? _http2 : _http11;
        }
        else
        {
            info = new ConnectionInfo(transport.RemoteEndPoint, transport.LocalEndPoint, IsTls: false);
            factory = _http11;
            // h2c with prior knowledge shares the cleartext port with HTTP/1.1 (RFC 9113 §3.3): the preface decides.
            if (_http2 is not null)
            {
                var sniffed = await PrefaceSniffer.SniffAsync(transport.Transport.Input, _options.KeepAliveTimeout, _backend.Time, opening.Token);
                if (sniffed == PrefaceSniffer.Result.Closed)
                {
                    // As the driver closes: both pipes completed first, so the transport's loops end and dispose returns.
                    await transport.Transport.Input.CompleteAsync();
                    await transport.Transport.Output.CompleteAsync();
                    await transport.DisposeAsync();
                    return;
                }
                if (sniffed == PrefaceSniffer.Result.Http2) factory = _http2;
            }
        }
        var driver = new ConnectionDriver(server, transport, factory.Create(info), info, connectionScope);
        _drainer.Add(driver);
        try { await driver.RunAsync(token); }
        finally { _drainer.Remove(driver); }
    }

    private static async Task CloseWhenDoneAsync(ITaskScope connectionScope)
    {
        try { await connectionScope.CloseAsync(); }
        catch (Exception) { /* the connection's own failures are logged by its driver */ }
    }

    private static string Describe(EndPoint endPoint, bool secure)
    {
        var scheme = secure ? "https" : "http";
        return endPoint switch
        {
            IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"{scheme}://[{ip.Address}]:{ip.Port}",
            IPEndPoint ip => $"{scheme}://{ip.Address}:{ip.Port}",
            _ => $"{scheme}+unix://{endPoint}",
        };
    }
}
