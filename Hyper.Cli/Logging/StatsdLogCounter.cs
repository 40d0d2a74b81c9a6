using Hyper.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>
/// A logger provider that writes nothing: it counts error-log messages of warning level and above on the StatsD
/// exporter, as Hypercorn's StatsD logger does (<c>hypercorn.log.warning|error|critical|exception</c>).
/// </summary>
internal sealed class StatsdLogCounter(StatsdExporter exporter) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Counter(exporter);

    public void Dispose() { }

    private sealed class Counter(StatsdExporter exporter) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) exporter.CountLogMessage(logLevel, exception is not null);
        }
    }
}
