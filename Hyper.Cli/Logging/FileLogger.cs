using System.Text;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>One category's logger over a <see cref="FileLoggerProvider"/>; the factory's filter sets the level.</summary>
internal sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (string.IsNullOrEmpty(message) && exception is null) return;
        var line = new StringBuilder(128);
        ErrorLogLine.Append(line, provider.Json, DateTimeOffset.Now, logLevel, category, message, exception);
        provider.Write(line);
    }
}
