using Microsoft.Extensions.Logging.Console;

namespace Hyper.Cli.Logging;

/// <summary>Options of <see cref="ErrorLogConsoleFormatter"/>: the <c>log_json</c> switch.</summary>
public sealed class ErrorLogConsoleFormatterOptions : ConsoleFormatterOptions
{
    public bool Json { get; set; }
}
