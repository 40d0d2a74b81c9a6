using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Hyper.Cli.Logging;

/// <summary>The console provider's formatter for the error log: one <see cref="ErrorLogLine"/> per record.</summary>
public sealed class ErrorLogConsoleFormatter(IOptionsMonitor<ErrorLogConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "hyper";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var line = new StringBuilder(128);
        ErrorLogLine.Append(line, options.CurrentValue.Json, DateTimeOffset.Now, logEntry.LogLevel, logEntry.Category, message, logEntry.Exception);
        textWriter.Write(line);
    }
}
