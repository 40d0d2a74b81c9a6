using Hyper.Core.Configuration;
using Hyper.Core.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Hyper.Cli.Logging;

/// <summary>
/// Builds the error log and the access log from the options, as Hypercorn's <c>logging.py</c> does:
/// <c>errorlog</c> <c>-</c> is stderr, a path is a file, unset is off; <c>accesslog</c> <c>-</c> is stdout, a path is a
/// file, unset is off; <c>loglevel</c> sets the error log's threshold; <c>log_json</c> turns both into JSON lines.
/// </summary>
public static class LoggingSetup
{
    /// <exception cref="OptionsValidationException">A log file cannot be opened; the message names the key.</exception>
    public static LoggingResources Create(HyperOptions options)
    {
        var level = ParseLevel(options.LogLevel);
        var loggerFactory = CreateLoggerFactory(options, level, out var errorLogFile);
        try
        {
            return new LoggingResources(loggerFactory, CreateAccessLog(options), errorLogFile);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }
    }

    /// <summary>Hypercorn's level names (Python's), plus .NET's trace.</summary>
    public static LogLevel ParseLevel(string name) => name.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => throw new OptionsValidationException("loglevel", $"'{name}' is not one of debug, info, warning, error, critical"),
    };

    private static ILoggerFactory CreateLoggerFactory(HyperOptions options, LogLevel level, out FileLoggerProvider? errorLogFile)
    {
        FileLoggerProvider? file = null;
        if (options.ErrorLog is { } path && path != "-")
        {
            try
            {
                file = new FileLoggerProvider(path, options.LogJson);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionsValidationException("errorlog", $"cannot open '{path}': {e.Message}");
            }
        }

        errorLogFile = file;
        return Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            if (options.ErrorLog == "-")
            {
                builder.AddConsole(console =>
                {
                    console.FormatterName = ErrorLogConsoleFormatter.FormatterName;
                    // Everything to stderr, as Hypercorn's "-" means; stdout belongs to the access log.
                    console.LogToStandardErrorThreshold = LogLevel.Trace;
                });
                builder.AddConsoleFormatter<ErrorLogConsoleFormatter, ErrorLogConsoleFormatterOptions>(f => f.Json = options.LogJson);
            }
            else if (file is not null)
            {
                // Registered through a factory so that the container disposes it with the logger factory.
                builder.Services.AddSingleton<ILoggerProvider>(_ => file);
            }
        });
    }

    private static IAccessLog CreateAccessLog(HyperOptions options)
    {
        try
        {
            return AccessLog.FromOptions(options, TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException("accesslog", $"cannot open '{options.AccessLog}': {e.Message}");
        }
    }
}
