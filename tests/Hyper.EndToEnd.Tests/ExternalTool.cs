using System.Diagnostics;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// Runs a real client binary (curl, nghttp, h2load, Debian's python3 with python3-h2) to completion within a bound,
/// capturing its output; kills it (only it, by its process) if it overruns.
/// </summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="file"/>; cancelling <paramref name="cancellationToken"/> kills it (a load generator stopped early).</summary>
    public static async Task<Result> RunAsync(string file, TimeSpan timeout, IEnumerable<string> arguments, string? stdin = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start (.ci/run installs it)");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout);
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
