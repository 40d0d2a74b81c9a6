using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.EndToEnd.Tests;

/// <summary>Server logs on stderr when HYPER_TEST_LOG is set (for debugging a failing test), else nothing.</summary>
public static class TestLoggerFactory
{
    public static ILoggerFactory Create() =>
        Environment.GetEnvironmentVariable("HYPER_TEST_LOG") is { Length: > 0 } ? new StderrLoggerFactory() : NullLoggerFactory.Instance;

    private sealed class StderrLoggerFactory : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.Error.WriteLine($"[{logLevel}] {formatter(state, exception)} {exception}");
    }
}
