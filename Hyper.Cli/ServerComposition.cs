using System.Diagnostics;
using System.Runtime.InteropServices;
using Autofac;
using Autofac.Core;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Backends.ThreadPool;
using Hyper.Cli.Logging;
using Hyper.Cli.Systemd;
using Hyper.Cli.Workers;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Http11;
using Hyper.Http2;
using Hyper.Transport.Quic;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli;

/// <summary>
/// Composes the server from validated options: logging, an Autofac container of the modules (core, backends,
/// protocols), the backend named by <c>worker_class</c>, and graceful shutdown on SIGINT / SIGTERM. With more than one
/// worker (or <c>max_requests</c>) this process becomes the <see cref="WorkerSupervisor"/> and each worker is this
/// same command started again with the hidden <see cref="WorkerLaunch.Flag"/>, served by <see cref="ServeWorkerAsync"/>.
/// </summary>
/// <param name="error">Where usage errors go.</param>
/// <param name="commandLine">The arguments this process was started with, which a supervisor repeats to its workers.</param>
internal sealed class ServerComposition(TextWriter error, IReadOnlyList<string>? commandLine = null)
{
    /// <summary>Matches <see cref="HyperCommand.ServeAsync"/>.</summary>
    public async Task<int> ServeAsync(HyperOptions options, AsgiApplication app, CancellationToken cancellationToken)
    {
        PidFile? pidFile;
        try
        {
            pidFile = PidFile.Write(options.PidPath);
        }
        catch (OptionsValidationException e)
        {
            return UsageError(e.Message);
        }
        using var ownedPidFile = pidFile;
        if (options.Workers > 1 || options.MaxRequests > 0)
        {
            // Worker processes inherit TCP listeners; sharing UDP sockets (and routing by connection ID across
            // processes) is not built.
            if (options.QuicBind.Count > 0) return UsageError("quic_bind: QUIC runs in a single process for now (workers = 1, no max_requests)");
            return await SuperviseAsync(options, cancellationToken);
        }
        return await ServeInProcessAsync(options, app, cancellationToken);
    }

    private async Task<int> SuperviseAsync(HyperOptions options, CancellationToken cancellationToken)
    {
        if (commandLine is null) return UsageError("workers: this host cannot start worker processes (no command line to repeat)");
        if (!OperatingSystem.IsLinux()) return UsageError("workers: worker processes need Linux (inherited sockets, signals)");
        if (OpenLogging(options, out var error) is not { } logging) return error;
        using var ownedLogging = logging;
        var logger = logging.LoggerFactory.CreateLogger("hyper.error");
        using var systemd = SystemdNotifier.Create(Environment.GetEnvironmentVariable(SystemdNotifier.SocketVariable));
        using var reopen = OnReopenSignal(logging);
        return await new WorkerSupervisor(options, WorkerCommand, logger, systemd).RunAsync(cancellationToken);
    }

    /// <summary>
    /// The logs <paramref name="options"/> name, with failures in callbacks and last-chance exceptions sent to the
    /// error log (with their connection when known); null and a usage error when the options are wrong.
    /// </summary>
    private LoggingResources? OpenLogging(HyperOptions options, out int error)
    {
        error = 0;
        LoggingResources logging;
        try
        {
            logging = LoggingSetup.Create(options);
        }
        catch (OptionsValidationException e)
        {
            error = UsageError(e.Message);
            return null;
        }
        UnhandledExceptionLog.Install(logging.LoggerFactory.CreateLogger("hyper.error"));
        return logging;
    }

    /// <summary>This command again: the same executable (or <c>dotnet hyper.dll</c>) and the same arguments.</summary>
    private ProcessStartInfo WorkerCommand()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(ServerComposition).Assembly.Location);
        foreach (var argument in commandLine!) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>
    /// Serves as one worker of a supervisor: on the inherited listening descriptors of <paramref name="launch"/>,
    /// reporting on its heartbeat pipe. TERM drains gracefully, QUIT cuts the drain short; INT and HUP are the
    /// supervisor's to act on (a CTRL + C in a terminal reaches every process of the group) and are ignored here.
    /// </summary>
    public async Task<int> ServeWorkerAsync(HyperOptions options, AsgiApplication app, WorkerLaunch launch, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) return UsageError("worker processes need Linux");
        options = options with
        {
            Bind = [.. launch.Bind.Select(Inherited)],
            InsecureBind = [.. launch.InsecureBind.Select(Inherited)],
        };
        using var channel = WorkerChannel.Open(launch.Channel);
        if (OpenLogging(options, out var error) is not { } logging) return error;
        using var ownedLogging = logging;
        var logger = logging.LoggerFactory.CreateLogger("hyper.error");
        await using var container = BuildContainer(options, app, logging);
        var backends = AvailableBackends(container);
        if (!backends.Contains(options.WorkerClass, StringComparer.Ordinal))
            return UsageError($"worker_class: unknown backend '{options.WorkerClass}'; available: {string.Join(", ", backends)}");
        HyperServer server;
        try
        {
            server = container.Resolve<HyperServer>();
        }
        catch (DependencyResolutionException e) when (StartupError(e) is { } message)
        {
            return UsageError(message);
        }

        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = CallbackGuard.OnSignal(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            shutdown.Cancel();
        });
        using var quit = CallbackGuard.OnSignal(PosixSignal.SIGQUIT, context =>
        {
            context.Cancel = true;
            // A cancelled token: stop accepting and abort what is open instead of draining it.
            CallbackGuard.Forget(server.StopAsync(new CancellationToken(canceled: true)), "quick stop");
            shutdown.Cancel();
        });
        using var interrupt = CallbackGuard.OnSignal(PosixSignal.SIGINT, context => context.Cancel = true);
        using var hangup = CallbackGuard.OnSignal(PosixSignal.SIGHUP, context => context.Cancel = true);
        using var reopen = OnReopenSignal(logging);

        var retireAfter = options.MaxRequests == 0 ? long.MaxValue : options.MaxRequests + Random.Shared.Next(0, options.MaxRequestsJitter + 1);
        var beatInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, options.WorkerHealthcheckTimeout.Ticks / 3));
        using var stopBeating = new CancellationTokenSource();
        var beating = channel.RunAsync(beatInterval, () => server.RequestCount >= retireAfter, () =>
        {
            logger.LogWarning("The supervisor has gone; stopping");
            shutdown.Cancel();
        }, TimeProvider.System, stopBeating.Token);

        var running = server.RunAsync(shutdown.Token);
        await Task.WhenAny(server.Started, running);
        if (server.Started.IsCompletedSuccessfully) channel.TrySend(WorkerMessage.Ready);
        var exitCode = await running;
        await stopBeating.CancelAsync();
        await beating;
        return exitCode;
    }

    private static BindAddress Inherited(int fd) => new(BindKind.FileDescriptor, "", 0, FileDescriptor: fd);

    private async Task<int> ServeInProcessAsync(HyperOptions options, AsgiApplication app, CancellationToken cancellationToken)
    {
        if (OpenLogging(options, out var error) is not { } logging) return error;
        using var ownedLogging = logging;
        await using var container = BuildContainer(options, app, logging);

        var backends = AvailableBackends(container);
        if (!backends.Contains(options.WorkerClass, StringComparer.Ordinal))
            return UsageError($"worker_class: unknown backend '{options.WorkerClass}'; available: {string.Join(", ", backends)}");

        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = CallbackGuard.OnSignal(PosixSignal.SIGINT, context => OnSignal(context, shutdown));
        using var terminate = CallbackGuard.OnSignal(PosixSignal.SIGTERM, context => OnSignal(context, shutdown));
        using var reopen = OnReopenSignal(logging);
        // HyperServer logs "Running on http://host:port (CTRL + C to quit)" per bound endpoint once it listens.
        HyperServer server;
        try
        {
            server = container.Resolve<HyperServer>();
        }
        catch (DependencyResolutionException e) when (StartupError(e) is { } message)
        {
            // A certificate that does not load or a TLS value only its module can check: one line, like any bad option.
            return UsageError(message);
        }
        await using var quic = CreateQuicServer(options, container, logging, out var quicError);
        if (quicError is not null) return UsageError(quicError);
        using var systemd = SystemdNotifier.Create(Environment.GetEnvironmentVariable(SystemdNotifier.SocketVariable));
        using var stopping = CallbackGuard.Register(shutdown.Token, static s => ((SystemdNotifier)s!).Stopping(), systemd);
        // QUIC stops with the first signal too: its clients get CONNECTION_CLOSE while HTTP/1 and HTTP/2 drain.
        using var stopQuic = quic is null ? default : CallbackGuard.Register(shutdown.Token, static q => CallbackGuard.Forget(((QuicServer)q!).StopAsync(), "QUIC stop"), quic);
        var running = server.RunAsync(shutdown.Token);
        await Task.WhenAny(server.Started, running);
        if (server.Started.IsCompletedSuccessfully && quic is not null)
        {
            try
            {
                await quic.StartAsync(shutdown.Token);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                logging.LoggerFactory.CreateLogger("hyper.error").LogCritical("Could not serve QUIC: {Message}", e.Message);
                await shutdown.CancelAsync();
                await running;
                return HyperServer.BindFailedExitCode;
            }
        }
        if (server.Started.IsCompletedSuccessfully) systemd.Ready();
        return await running;
    }

    /// <summary>
    /// The QUIC server for <c>quic_bind</c>, or null without one. QUIC carries whatever application protocol a module
    /// registers as <see cref="IQuicConnectionHandlerFactory"/> (HTTP/3); without one <paramref name="error"/> says so.
    /// </summary>
    private static QuicServer? CreateQuicServer(HyperOptions options, IContainer container, LoggingResources logging, out string? error)
    {
        error = null;
        if (options.QuicBind.Count == 0) return null;
        if (!container.TryResolve<IQuicConnectionHandlerFactory>(out var handlers))
        {
            error = "quic_bind: no application protocol for QUIC is registered (HTTP/3 is not part of this build yet)";
            return null;
        }
        return new QuicServer(options, container.ResolveKeyed<IServerBackend>(options.WorkerClass), handlers, logging.LoggerFactory);
    }

    internal static IContainer BuildContainer(HyperOptions options, AsgiApplication app, LoggingResources logging)
    {
        var builder = new ContainerBuilder();
        builder.RegisterInstance(options);
        // One set of instruments for the server and the middleware that refuses requests (docs/metrics.md); the container disposes it.
        var metrics = new Hyper.Core.Diagnostics.HyperMetrics();
        builder.RegisterInstance(metrics);
        // statsd_host: this serving process sends its own metrics (every worker does; the supervisor serves nothing).
        if (options.StatsdHost is not null && Hyper.Core.Diagnostics.StatsdTarget.Parse(options.StatsdHost) is { } target)
        {
            var exporter = new Hyper.Core.Diagnostics.StatsdExporter(metrics, target, options.StatsdPrefix, options.DogstatsdTags,
                logging.LoggerFactory.CreateLogger("hyper.error"));
            logging.LoggerFactory.AddProvider(new StatsdLogCounter(exporter));
            builder.RegisterInstance(exporter);
        }
        // Behind a trusted proxy the application sees the original client (docs/workers.md, proxy headers).
        if (options.ForwardedAllowIps.Count > 0)
            app = Hyper.Core.Middleware.ProxyHeadersMiddleware.Wrap(app, Hyper.Core.Middleware.TrustedProxies.Parse(options.ForwardedAllowIps));
        // Outermost: a request over the limit is answered before any other code runs for it.
        if (options.LimitConcurrency > 0) app = Hyper.Core.Middleware.ConcurrencyLimitMiddleware.Wrap(app, options.LimitConcurrency, metrics);
        builder.RegisterInstance(app);
        // Owned by LoggingResources, which flushes them after the container has shut the server down.
        builder.RegisterInstance(logging.LoggerFactory).ExternallyOwned();
        builder.RegisterInstance(logging.AccessLog).ExternallyOwned();
        builder.RegisterModule<CoreModule>();
        builder.RegisterModule<ThreadPoolBackendModule>();
        builder.RegisterModule<StructuredBackendModule>();
        builder.RegisterModule<SingleThreadLoopBackendModule>();
        builder.RegisterModule<Http11Module>();
        builder.RegisterModule<Hyper.Transport.Tls.TlsModule>();
        builder.RegisterModule<Http2Module>();
        return builder.Build();
    }

    /// <summary>The <c>worker_class</c> names the registered backend modules answer to.</summary>
    internal static IReadOnlyList<string> AvailableBackends(IContainer container) =>
        container.ComponentRegistry.Registrations
            .SelectMany(r => r.Services)
            .OfType<KeyedService>()
            .Where(s => s.ServiceType == typeof(IServerBackend))
            .Select(s => s.ServiceKey.ToString() ?? "")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? StartupError(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is OptionsValidationException or Hyper.Transport.Tls.TlsCertificateException) return inner.Message;
        }
        return null;
    }

    private int UsageError(string message)
    {
        error.WriteLine($"hyper: error: {message}");
        return HyperCommand.UsageErrorExitCode;
    }

    /// <summary>SIGUSR1 reopens the log files (Gunicorn's and Hypercorn's meaning); Linux only (a raw signal number).</summary>
    private static PosixSignalRegistration? OnReopenSignal(LoggingResources logging) =>
        OperatingSystem.IsLinux()
            ? CallbackGuard.OnSignal(PosixInterop.Usr1, context =>
            {
                // The runtime's default for USR1 would end the process.
                context.Cancel = true;
                logging.Reopen();
            })
            : null;

    // The first signal starts a graceful shutdown; the runtime's default (terminate) is suppressed so that the
    // in-flight requests get graceful_timeout. A second signal is left to the default: stop now.
    private static void OnSignal(PosixSignalContext context, CancellationTokenSource shutdown)
    {
        if (shutdown.IsCancellationRequested) return;
        context.Cancel = true;
        shutdown.Cancel();
    }
}
