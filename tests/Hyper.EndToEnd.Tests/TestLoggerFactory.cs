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

/// <summary>
/// Keeps a server's last log lines (debug and up) so that a test can put them in its failure message: a rare failure
/// on a CI machine then explains itself. Also echoes to stderr when HYPER_TEST_LOG is set.
/// </summary>
public sealed class RecentLog : ILoggerFactory, ILogger
{
    private const int Capacity = 200;
    private readonly Queue<string> _lines = new();
    private readonly bool _echo = Environment.GetEnvironmentVariable("HYPER_TEST_LOG") is { Length: > 0 };

    public ILogger CreateLogger(string categoryName) => this;
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{logLevel}] {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}";
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Capacity) _lines.Dequeue();
        }
        if (_echo) Console.Error.WriteLine(line);
    }

    public override string ToString()
    {
        lock (_lines) return string.Join('\n', _lines);
    }
}
