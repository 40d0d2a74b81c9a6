using System.Text;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>
/// The error log in a file (<c>errorlog = "/path"</c>): appends <see cref="ErrorLogLine"/> records. Error logs are
/// rare, so each line is flushed at once: the line that explains a crash must be on disk before the crash.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private StreamWriter _writer;
    private bool _disposed;

    public FileLoggerProvider(string path, bool json)
    {
        Json = json;
        _path = path;
        _writer = Open(path);
    }

    private static StreamWriter Open(string path)
    {
        // O_APPEND: worker processes share the file, and each line must land after the others'.
        var stream = Hyper.Core.Logging.AppendOnlyFile.Open(path, bufferSize: 4096);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Closes the file and opens its path again (<c>SIGUSR1</c> after logrotate renamed it); throws, keeping the old file, when it cannot.</summary>
    public void Reopen()
    {
        var next = Open(_path);
        lock (_lock)
        {
            if (_disposed)
            {
                next.Dispose();
                return;
            }
            var old = _writer;
            _writer = next;
            old.Dispose();
        }
    }

    public bool Json { get; }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    internal void Write(StringBuilder line)
    {
        lock (_lock)
        {
            if (_disposed) return;
            try
            {
                _writer.Write(line);
            }
            catch (IOException)
            {
                // A full disk must not turn a logged error into a crash.
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _writer.Dispose();
        }
    }
}
