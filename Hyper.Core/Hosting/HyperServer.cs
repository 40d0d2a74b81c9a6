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
    private readonly IAccessLog _accessLog;
    private readonly ILogger _logger;
    private readonly ConnectionDrainer _drainer = new();
    private readonly TaskCompletionSource<IReadOnlyList<EndPoint>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HyperServer(HyperOptions options, AsgiApplication app, IServerBackend backend,
        IEnumerable<IStreamProtocolFactory> protocols, IAccessLog accessLog, ILoggerFactory loggerFactory)
    {
        _options = options;
        _app = app;
        _backend = backend;
        _accessLog = accessLog;
        _logger = loggerFactory.CreateLogger("hyper.error");
        _http11 = protocols.FirstOrDefault(p => p.Alpn == "http/1.1")
            ?? throw new ArgumentException("No HTTP/1.1 protocol is registered.", nameof(protocols));
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
        var server = new ServerContext(_options, _app, _accessLog, _logger, _backend.Time);
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
        try
        {
            foreach (var bind in _options.Bind.Concat(_options.InsecureBind))
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
            _logger.LogInformation("Running on {Url} (CTRL + C to quit)", Describe(endPoint));
        var accepting = listeners.Select(l =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _backend.RootScope.Spawn(async _ =>
            {
                try { await AcceptLoopAsync(l, server); }
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

    private async Task AcceptLoopAsync(ITransportListener listener, ServerContext server)
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
            var info = new ConnectionInfo(transport.RemoteEndPoint, transport.LocalEndPoint, IsTls: false);
            // Each connection is a task group of its own (DESIGN §3): what its requests start belongs to it.
            var connectionScope = scope.CreateChild();
            var driver = new ConnectionDriver(server, transport, _http11.Create(info), info, connectionScope);
            _drainer.Add(driver);
            connectionScope.Spawn(async token =>
            {
                try { await driver.RunAsync(token); }
                finally { _drainer.Remove(driver); }
            });
            _ = CloseWhenDoneAsync(connectionScope);
        }
    }

    private static async Task CloseWhenDoneAsync(ITaskScope connectionScope)
    {
        try { await connectionScope.CloseAsync(); }
        catch (Exception) { /* the connection's own failures are logged by its driver */ }
    }

    private static string Describe(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"http://[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"http://{ip.Address}:{ip.Port}",
        _ => $"http+unix://{endPoint}",
    };
}
