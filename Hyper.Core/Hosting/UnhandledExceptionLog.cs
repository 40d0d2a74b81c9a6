using Hyper.Core.Concurrency;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Hosting;

/// <summary>
/// Sends the process's last-chance failures to the error log, with the connection they came from when that is
/// known (<see cref="ConnectionLogContext"/>): an exception that reaches the runtime (it still ends the process,
/// but the reason is in the log the operator reads, not only on a console nobody watches), and a faulted task
/// nobody observed (logged and marked observed). <see cref="CallbackGuard"/> failures go to the same log.
/// </summary>
public static class UnhandledExceptionLog
{
    private static int s_installed;

    /// <summary>Installs the handlers once per process and points <see cref="CallbackGuard"/> at <paramref name="logger"/>.</summary>
    public static void Install(ILogger logger)
    {
        CallbackGuard.UseLogger(logger);
        if (Interlocked.Exchange(ref s_installed, 1) != 0) return;
        AppDomain.CurrentDomain.UnhandledException += CallbackGuard.Handler(OnUnhandledException, "unhandled exception handler");
        TaskScheduler.UnobservedTaskException += CallbackGuard.Handler<UnobservedTaskExceptionEventArgs>(OnUnobservedTaskException, "unobserved task handler");
    }

    private static void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        var what = e.IsTerminating ? "runtime callback (the process ends)" : "runtime callback";
        CallbackGuard.Report(e.ExceptionObject as Exception ?? new InvalidOperationException($"Non-exception thrown: {e.ExceptionObject}"), what);
    }

    private static void OnUnobservedTaskException(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        CallbackGuard.Report(e.Exception.InnerExceptions.Count == 1 ? e.Exception.InnerException! : e.Exception, "task whose failure nobody observed");
        e.SetObserved();
    }
}
