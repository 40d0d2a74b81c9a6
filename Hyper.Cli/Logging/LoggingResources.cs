using Hyper.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>
/// The error log (an <see cref="ILoggerFactory"/>) and the access log of one server run. Disposing flushes both:
/// dispose after the server has stopped, so the last requests' lines are written.
/// </summary>
public sealed class LoggingResources(ILoggerFactory loggerFactory, IAccessLog accessLog) : IDisposable
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>A <see cref="DisabledAccessLog"/> when the <c>accesslog</c> option is unset.</summary>
    public IAccessLog AccessLog { get; } = accessLog;

    public void Dispose()
    {
        (AccessLog as IDisposable)?.Dispose();
        // Disposing the factory drains the console provider's queue.
        LoggerFactory.Dispose();
    }
}
