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
/// One server: runs lifespan startup, binds, accepts connections and hands each, through the
/// <see cref="ConnectionPipeline"/> (TLS, then protocol selection), to a connection driver in the backend's task
/// scope; on stop it stops accepting, drains connections within <c>graceful_timeout</c>, then runs lifespan shutdown
/// (Hypercorn's order). A host drives it with <see cref="StartAsync"/> and <see cref="StopAsync"/> (what an
/// <c>IHostedService</c> or an ASP.NET Core <c>IServer</c> needs); <see cref="RunAsync"/> does both for a process
/// that serves until a signal.
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
    private readonly ProtocolRegistry _protocols;
    private readonly ConnectionPipeline _pipeline;
    private readonly IAccessLog _accessLog;
    private readonly ILogger _logger;
    private readonly bool _tlsEnabled;
    private readonly ConnectionDrainer _drainer = new();
    private readonly TaskCompletionSource<IReadOnlyList<EndPoint>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Cancelled by StopAsync: stop accepting and drain gracefully.
    private readonly CancellationTokenSource _stopping = new();
    // Cancelled when StopAsync's own token fires: the host wants the drain over now.
    private readonly CancellationTokenSource _drainCut = new();
    private Task<int>? _running;
    // Connections from accept until their task group has closed (TLS handshake and protocol sniff included), for max_connections.
    private int _accepted;
    private int _startCalled;
    private ServerContext? _context;

    /// <exception cref="OptionsValidationException"><c>alpn_protocols</c> names an id no protocol registered.</exception>
    public HyperServer(HyperOptions options, AsgiApplication app, IServerBackend backend, ProtocolRegistry protocols,
        IAccessLog accessLog, ILoggerFactory loggerFactory, ITlsHandshaker? tls = null, Diagnostics.HyperMetrics? metrics = null)
    {
        _metrics = metrics ?? new Diagnostics.HyperMetrics();
        _ownsMetrics = metrics is null;
        _options = options;
        _app = app;
        _backend = backend;
        _protocols = protocols;
        _accessLog = accessLog;
        _logger = loggerFactory.CreateLogger("hyper.error");
        _tlsEnabled = tls is { IsEnabled: true };
        if (_tlsEnabled && options.Tls.AlpnProtocols.FirstOrDefault(id => !protocols.AlpnIds.Contains(id)) is { } unknown)
            throw new OptionsValidationException("alpn_protocols", $"'{unknown}' is not a registered protocol ({string.Join(", ", protocols.AlpnIds)})");
        _pipeline = new ConnectionPipeline(
            _tlsEnabled ? new TlsStep(tls!, protocols) : null,
            new ProtocolSelectionStep(protocols, options.KeepAliveTimeout, backend.Time), _metrics);
    }

    /// <summary>
    /// Kinds of request stream asked before the built-in ones (docs/architecture.md, Adding a kind of stream): a host
    /// that serves its own requests (the ASP.NET Core adapter) puts a factory here that serves every head, and the ASGI
    /// application is then only run for lifespan. Set before <see cref="StartAsync"/>.
    /// </summary>
    public IReadOnlyList<Streams.IStreamHandlerFactory> StreamHandlers { get; init; } = [];

    /// <summary>
    /// The instruments this server records on (docs/metrics.md). A host that shares them with other code (the CLI gives
    /// the same to the concurrency-limit middleware and the StatsD exporter) passes them in and disposes them; otherwise
    /// the server makes its own, disposed when the server has stopped.
    /// </summary>
    public Diagnostics.HyperMetrics Metrics => _metrics;

    private readonly Diagnostics.HyperMetrics _metrics;
    private readonly bool _ownsMetrics;

    /// <summary>Completes with the bound endpoints once the server listens (faults if it never does).</summary>
    public Task<IReadOnlyList<EndPoint>> Started => _started.Task;

    /// <summary>
    /// The addresses the server listens on (the real port where port 0 was asked for), once
    /// <see cref="StartAsync"/> has returned; empty before.
    /// </summary>
    public IReadOnlyList<EndPoint> BoundAddresses => _started.Task.IsCompletedSuccessfully ? _started.Task.Result : [];

    /// <summary>Open connections right now.</summary>
    public int ConnectionCount => _drainer.Count;

    /// <summary>HTTP requests whose head has arrived since the server started (what <c>max_requests</c> counts).</summary>
    public long RequestCount => Volatile.Read(ref _context)?.RequestCount ?? 0;

    /// <summary>
    /// Runs lifespan startup and binds every address; returns once the server accepts connections
    /// (<see cref="BoundAddresses"/> is then known). Throws what made startup fail (the application's lifespan
    /// startup failing, a bind refused) after cleaning up; a server starts once.
    /// </summary>
    /// <param name="cancellationToken">Gives up starting: the server is stopped and the call throws.</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
            throw new InvalidOperationException("The server has already been started.");
        Volatile.Write(ref _running, RunOnBackendAsync());
        try
        {
            await _started.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None);
            throw;
        }
        catch (Exception)
        {
            // Startup failed: the run has logged it and cleaned up (listeners closed, lifespan shut down) or is doing so.
            await _running!;
            throw;
        }
    }

    /// <summary>
    /// Stops accepting, asks every connection to finish and waits for them up to <c>graceful_timeout</c> (aborting
    /// what is left), then runs lifespan shutdown. Returns when all of that is done; does nothing before a start.
    /// </summary>
    /// <param name="cancellationToken">Cuts the graceful drain short: open connections are aborted at once.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = Volatile.Read(ref _running);
        if (running is null) return;
        _stopping.Cancel();
        using var cut = CallbackGuard.Register(cancellationToken, static s => ((CancellationTokenSource)s!).Cancel(), _drainCut);
        await running;
    }

    /// <summary>Serves until <paramref name="shutdown"/> is cancelled, then stops gracefully; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        try
        {
            await StartAsync(shutdown);
        }
        catch (Exception) when (Volatile.Read(ref _running) is { } running)
        {
            // Startup failed or was given up: the run's exit code says which (lifespan, bind, or a clean stop).
            return await running;
        }
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown);
        }
        catch (OperationCanceledException) { }
        await StopAsync(CancellationToken.None);
        return await _running!;
    }

    private async Task<int> RunOnBackendAsync()
    {
        var exitCode = 0;
        try
        {
            await _backend.RunAsync(async _ => exitCode = await ServeAsync(_stopping.Token), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // An unexpected failure before the server listened must reach StartAsync, which waits for Started.
            _started.TrySetException(ex);
            throw;
        }
        finally
        {
            if (_ownsMetrics) _metrics.Dispose();
        }
        return exitCode;
    }

    private async Task<int> ServeAsync(CancellationToken stopping)
    {
        // The host's own kinds come first, then the built-in ones, the catch-all last.
        var server = new ServerContext(_options, _app, _protocols, _accessLog, _logger, _backend.Time)
        {
            Metrics = Metrics,
            Stopping = stopping,
            StreamHandlers = StreamHandlers.Count == 0 ? ServerContext.BuiltInStreamHandlers : [.. StreamHandlers, .. ServerContext.BuiltInStreamHandlers],
        };
        Volatile.Write(ref _context, server);
        var lifespan = new LifespanRunner(_app, _logger, server.LifespanState, ParseLifespanMode(_options.Lifespan));
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
                var bound = await _backend.BindAsync(bind, _options.Backlog, stopping);
                listeners.AddRange(bound);
                // `bind` serves TLS once a certificate is configured; `insecure_bind` never does (Hypercorn).
                if (_tlsEnabled) secure.UnionWith(bound);
            }
            foreach (var bind in _options.InsecureBind)
                listeners.AddRange(await _backend.BindAsync(bind, _options.Backlog, stopping));
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            foreach (var listener in listeners) await listener.DisposeAsync();
            var stoppedFirst = ex is OperationCanceledException;
            if (stoppedFirst) _started.TrySetCanceled(stopping);
            else
            {
                _logger.LogCritical("Could not bind: {Message}", ex.Message);
                _started.TrySetException(ex);
            }
            await lifespan.ShutdownAsync(_options.ShutdownTimeout, _backend.Time);
            return stoppedFirst ? 0 : BindFailedExitCode;
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
                try { await AcceptLoopAsync(l, server, secure.Contains(l), stopping); }
                finally { done.TrySetResult(); }
            });
            return done.Task;
        }).ToArray();
        _started.TrySetResult(endPoints);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException) { }

        _logger.LogInformation("Shutting down: no new connections, {Count} open, graceful timeout {Timeout} s",
            _drainer.Count, _options.GracefulTimeout.TotalSeconds);
        foreach (var listener in listeners) await listener.UnbindAsync();
        await Task.WhenAll(accepting);
        if (!await _drainer.DrainAsync(_options.GracefulTimeout, _backend.Time, _drainCut.Token))
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

    private async Task AcceptLoopAsync(ITransportListener listener, ServerContext server, bool secure, CancellationToken stopping)
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
            // Each connection is a task group of its own (docs/architecture.md, Backends): what its requests start belongs to it.
            // The TLS handshake and the protocol choice run in it too, never in the accept loop.
            var connectionScope = scope.CreateChild();
            if (!TryAdmit())
            {
                // docs/security.md SL-01: over max_connections the connection is closed unserved, but the loop goes on
                // accepting, so the kernel backlog never fills and the server answers again as soon as one closes.
                _logger.LogDebug("Closed the connection from {RemoteEndPoint} unserved: max_connections ({Max}) are open",
                    transport.RemoteEndPoint, _options.MaxConnections);
                server.Metrics.ConnectionRejected("max_connections");
                connectionScope.Spawn(_ => CloseUnservedAsync(transport));
                CallbackGuard.Forget(CloseWhenDoneAsync(connectionScope), "connection scope close");
                continue;
            }
            connectionScope.Spawn(token => ServeConnectionAsync(transport, secure, server, connectionScope, token, stopping));
            CallbackGuard.Forget(CloseAdmittedWhenDoneAsync(connectionScope), "connection scope close");
        }
    }

    /// <summary>Counts an accepted connection in; false (and not counted) when <c>max_connections</c> are already open.</summary>
    private bool TryAdmit()
    {
        // Lock-free on the accept path: take a slot, give it back when that overshoots the cap.
        var open = Interlocked.Increment(ref _accepted);
        if (_options.MaxConnections == 0 || open <= _options.MaxConnections) return true;
        Interlocked.Decrement(ref _accepted);
        return false;
    }

    private async Task CloseAdmittedWhenDoneAsync(ITaskScope connectionScope)
    {
        try { await CloseWhenDoneAsync(connectionScope); }
        finally { Interlocked.Decrement(ref _accepted); }
    }

    private static async Task CloseUnservedAsync(ITransportConnection transport)
    {
        // As the pipeline closes a connection it will not serve: both pipes completed, so the transport sends FIN and ends.
        await transport.Transport.Input.CompleteAsync();
        await transport.Transport.Output.CompleteAsync();
        await transport.DisposeAsync();
    }

    private async Task ServeConnectionAsync(ITransportConnection transport, bool secure, ServerContext server, ITaskScope connectionScope,
        CancellationToken token, CancellationToken stopping)
    {
        // Timers and continuations this connection starts carry it into the log if they fail.
        ConnectionLogContext.Enter($"connection from {transport.RemoteEndPoint}");
        var counted = server.Metrics.ConnectionOpened();
        try
        {
            OpenedConnection? opened;
            // Until a driver owns it, a connection is not in the drainer: the pipeline's steps end on `stopping` themselves.
            using (var opening = CancellationTokenSource.CreateLinkedTokenSource(token, stopping))
                opened = await _pipeline.OpenAsync(transport, secure, opening.Token);
            if (opened is null) return;
            var driver = new ConnectionDriver(server, opened.Transport, opened.Protocol.Create(opened.Info), opened.Info, connectionScope);
            _drainer.Add(driver);
            try { await driver.RunAsync(token); }
            finally { _drainer.Remove(driver); }
        }
        finally
        {
            server.Metrics.ConnectionClosed(counted);
        }
    }

    private static async Task CloseWhenDoneAsync(ITaskScope connectionScope)
    {
        try { await connectionScope.CloseAsync(); }
        catch (Exception) { /* the connection's own failures are logged by its driver */ }
    }

    private static LifespanMode ParseLifespanMode(string value) => value switch
    {
        "on" => LifespanMode.On,
        "off" => LifespanMode.Off,
        _ => LifespanMode.Auto,
    };

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
