using System.Runtime.InteropServices;
using Autofac;
using Autofac.Core;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Backends.ThreadPool;
using Hyper.Cli.Logging;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Http11;
using Hyper.Http2;

namespace Hyper.Cli;

/// <summary>
/// Composes the server from validated options: logging, an Autofac container of the modules (core, backends,
/// protocols), the backend named by <c>worker_class</c>, and graceful shutdown on SIGINT / SIGTERM.
/// </summary>
internal sealed class ServerComposition(TextWriter error)
{
    /// <summary>Matches <see cref="HyperCommand.ServeAsync"/>.</summary>
    public async Task<int> ServeAsync(HyperOptions options, AsgiApplication app, CancellationToken cancellationToken)
    {
        LoggingResources logging;
        try
        {
            logging = LoggingSetup.Create(options);
        }
        catch (OptionsValidationException e)
        {
            return UsageError(e.Message);
        }
        using var ownedLogging = logging;
        // Failures in callbacks and last-chance exceptions go to the error log, with their connection when known.
        UnhandledExceptionLog.Install(logging.LoggerFactory.CreateLogger("hyper.error"));
        await using var container = BuildContainer(options, app, logging);

        var backends = AvailableBackends(container);
        if (!backends.Contains(options.WorkerClass, StringComparer.Ordinal))
            return UsageError($"worker_class: unknown backend '{options.WorkerClass}'; available: {string.Join(", ", backends)}");

        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = CallbackGuard.OnSignal(PosixSignal.SIGINT, context => OnSignal(context, shutdown));
        using var terminate = CallbackGuard.OnSignal(PosixSignal.SIGTERM, context => OnSignal(context, shutdown));
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
        return await server.RunAsync(shutdown.Token);
    }

    internal static IContainer BuildContainer(HyperOptions options, AsgiApplication app, LoggingResources logging)
    {
        var builder = new ContainerBuilder();
        builder.RegisterInstance(options);
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

    // The first signal starts a graceful shutdown; the runtime's default (terminate) is suppressed so that the
    // in-flight requests get graceful_timeout. A second signal is left to the default: stop now.
    private static void OnSignal(PosixSignalContext context, CancellationTokenSource shutdown)
    {
        if (shutdown.IsCancellationRequested) return;
        context.Cancel = true;
        shutdown.Cancel();
    }
}
