using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Logging;

/// <summary>
/// One error-log record as a line, shared by the console and file targets. Text follows Hypercorn's layout,
/// <c>[2026-11-25 10:00:00 +0000] [pid] [INFO] message</c> (Gunicorn's too, so existing log parsers keep working);
/// JSON is one object per line: <c>time</c>, <c>level</c>, <c>pid</c>, <c>logger</c>, <c>message</c>,
/// <c>exception</c>.
/// </summary>
public static class ErrorLogLine
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = false };

    /// <summary>Appends the record and a trailing '\n'.</summary>
    public static void Append(
        StringBuilder line, bool json, DateTimeOffset time, LogLevel level, string category, string message, Exception? exception)
    {
        if (json) AppendJson(line, time, level, category, message, exception);
        else AppendText(line, time, level, message, exception);
        line.Append('\n');
    }

    /// <summary>Python's level names, which Hypercorn prints.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => level.ToString().ToUpperInvariant(),
    };

    private static void AppendText(StringBuilder line, DateTimeOffset time, LogLevel level, string message, Exception? exception)
    {
        var offset = time.Offset.Duration();
        line.Append(CultureInfo.InvariantCulture,
            $"[{time:yyyy-MM-dd HH:mm:ss} {(time.Offset < TimeSpan.Zero ? '-' : '+')}{offset.Hours:D2}{offset.Minutes:D2}] [{Environment.ProcessId}] [{LevelName(level)}] {message}");
        if (exception is not null) line.Append('\n').Append(exception);
    }

    private static void AppendJson(StringBuilder line, DateTimeOffset time, LogLevel level, string category, string message, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", time);
            writer.WriteString("level", LevelName(level).ToLowerInvariant());
            writer.WriteNumber("pid", Environment.ProcessId);
            writer.WriteString("logger", category);
            writer.WriteString("message", message);
            if (exception is not null) writer.WriteString("exception", exception.ToString());
            writer.WriteEndObject();
        }
        line.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
