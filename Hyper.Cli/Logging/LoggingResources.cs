using Hyper.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>
/// The error log (an <see cref="ILoggerFactory"/>) and the access log of one server run. Disposing flushes both:
/// dispose after the server has stopped, so the last requests' lines are written.
/// </summary>
/// <param name="errorLogFile">The error log's file provider when <c>errorlog</c> is a path, for <see cref="Reopen"/>.</param>
public sealed class LoggingResources(ILoggerFactory loggerFactory, IAccessLog accessLog, FileLoggerProvider? errorLogFile = null) : IDisposable
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>A <see cref="DisabledAccessLog"/> when the <c>accesslog</c> option is unset.</summary>
    public IAccessLog AccessLog { get; } = accessLog;

    /// <summary>
    /// <c>SIGUSR1</c> (Gunicorn's and Hypercorn's meaning): closes the access and error log files and opens their paths
    /// again, so that after logrotate renames a file the server writes to a new one. stdout and stderr are left alone.
    /// A path that cannot be opened again is reported in the error log and its old file kept.
    /// </summary>
    public void Reopen()
    {
        var logger = LoggerFactory.CreateLogger("hyper.error");
        try
        {
            errorLogFile?.Reopen();
            (AccessLog as Core.Logging.AccessLog)?.Reopen();
            logger.LogInformation("Reopened the log files");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Could not reopen a log file: {Message}", e.Message);
        }
    }

    public void Dispose()
    {
        (AccessLog as IDisposable)?.Dispose();
        // Disposing the factory drains the console provider's queue.
        LoggerFactory.Dispose();
    }
}
