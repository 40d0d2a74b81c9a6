using System.Text;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;

namespace Hyper.Core.Logging;

/// <summary>
/// Writes one line per entry to a <see cref="TextWriter"/>: stdout for <c>-</c>, or a file opened for append.
/// </summary>
/// <remarks>
/// Theory of operation. Each caller renders its line into a thread-local builder with no lock held; only the copy
/// into the writer's buffer happens under the lock, so contention is one memcpy per request. The writer is buffered
/// (no flush per line, which would be a write syscall per request); a timer from the backend's
/// <see cref="TimeProvider"/> flushes pending lines at least once a second, and <see cref="Dispose"/> flushes the rest.
/// No thread is created: the timer runs on the pool, as every backend's timers do. A failing log target (disk full,
/// closed pipe) drops lines rather than failing the request that is being logged.
/// </remarks>
public sealed class AccessLog : IAccessLog, IDisposable
{
    /// <summary>The longest a line waits in the buffer before it reaches the target.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private const int BufferSize = 64 * 1024;

    [ThreadStatic] private static StringBuilder? t_line;

    private readonly Lock _lock = new();
    private TextWriter _writer;
    private readonly IAccessLogFormatter _formatter;
    // The file path for a file target (null for stdout or a caller's writer): what Reopen opens again.
    private string? _path;
    private readonly bool _ownsWriter;
    private readonly ITimer _flushTimer;
    private bool _pending;
    private bool _disposed;

    /// <param name="writer">The target; the caller keeps ownership unless <paramref name="ownsWriter"/>.</param>
    /// <param name="time">The clock that drives the periodic flush (the backend's).</param>
    internal AccessLog(TextWriter writer, IAccessLogFormatter formatter, TimeProvider time, bool ownsWriter = false)
    {
        _writer = writer;
        _formatter = formatter;
        _ownsWriter = ownsWriter;
        _flushTimer = CallbackGuard.CreateTimer(time, static state => ((AccessLog)state!).FlushPending(), this, FlushInterval, FlushInterval);
    }

    /// <summary>
    /// The access log the options ask for: <see cref="DisabledAccessLog"/> without <c>accesslog</c>, else the target
    /// opened for append in the <c>access_log_format</c> (as JSON with <c>log_json</c>). Throws
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the target cannot be opened.
    /// </summary>
    public static IAccessLog FromOptions(HyperOptions options, TimeProvider time)
    {
        if (options.AccessLog is not { } target) return DisabledAccessLog.Instance;
        var format = AccessLogFormat.Parse(options.AccessLogFormat);
        IAccessLogFormatter formatter = options.LogJson ? new AccessLogJsonFormatter(format) : new AccessLogFormatter(format);
        return Open(target, formatter, time);
    }

    /// <summary>Opens the target named by the <c>accesslog</c> option: <c>-</c> is stdout, anything else a file path.</summary>
    internal static AccessLog Open(string target, IAccessLogFormatter formatter, TimeProvider time)
    {
        Stream stream = target == "-" ? Console.OpenStandardOutput() : OpenFile(target);
        return new AccessLog(OpenWriter(stream), formatter, time, ownsWriter: true) { _path = target == "-" ? null : target };
    }

    private static StreamWriter OpenWriter(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = false, NewLine = "\n" };

    // O_APPEND: worker processes share the file, and each line must land after the others' (AppendOnlyFile).
    private static FileStream OpenFile(string path) => AppendOnlyFile.Open(path, bufferSize: 1);

    /// <summary>
    /// Flushes, closes and opens the file again by its path (<c>SIGUSR1</c>, after logrotate renamed it): later lines
    /// go to a new file. Nothing happens for stdout. If the path cannot be opened the old file is kept (the exception
    /// tells the caller to log it).
    /// </summary>
    public void Reopen()
    {
        if (_path is null) return;
        var next = OpenWriter(OpenFile(_path));
        lock (_lock)
        {
            if (_disposed)
            {
                next.Dispose();
                return;
            }
            FlushLocked();
            var old = _writer;
            _writer = next;
            old.Dispose();
        }
    }

    public bool IsEnabled => true;

    public void Log(AccessLogEntry entry)
    {
        var line = t_line ??= new StringBuilder(256);
        line.Clear();
        _formatter.Format(entry, line);
        line.Append('\n');
        lock (_lock)
        {
            if (_disposed) return;
            try
            {
                _writer.Write(line);
                _pending = true;
            }
            catch (IOException)
            {
                // Dropped: the request is already answered, and the error log reports the target elsewhere.
            }
        }
        // A rare long line must not pin a large buffer to the thread for good.
        if (line.Capacity > 16 * 1024) t_line = null;
    }

    /// <summary>Writes buffered lines to the target now.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_disposed) return;
            FlushLocked();
        }
    }

    private void FlushPending()
    {
        lock (_lock)
        {
            if (_disposed || !_pending) return;
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        try
        {
            _writer.Flush();
        }
        catch (IOException)
        {
            // Same policy as Log: a broken target loses lines, never requests.
        }
        _pending = false;
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_lock)
        {
            if (_disposed) return;
            FlushLocked();
            _disposed = true;
            if (_ownsWriter) _writer.Dispose();
        }
    }
}
