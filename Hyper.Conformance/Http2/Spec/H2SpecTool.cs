using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>The result of one run of the real h2spec: its exit code, its console text and its parsed JUnit report.</summary>
public sealed record H2SpecToolRun(string CommandLine, int ExitCode, string Output, H2SpecToolReport Report);

/// <summary>
/// Runs the real h2spec (summerwind/h2spec, not bundled: built from source and installed on the machine) against a
/// server and reads its JUnit report. h2spec's own exit code only says whether something failed; the report says what.
/// </summary>
public static class H2SpecTool
{
    /// <summary>Names an h2spec binary explicitly; otherwise PATH is searched.</summary>
    public const string PathVariable = "HYPER_H2SPEC";

    /// <summary>The h2spec binary named by <see cref="PathVariable"/> or found on PATH; null when there is none.</summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } named) return File.Exists(named) ? named : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var file = OperatingSystem.IsWindows() ? "h2spec.exe" : "h2spec";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, file))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <paramref name="h2spec"/> against <paramref name="host"/>:<paramref name="port"/>: h2c with prior knowledge,
    /// or TLS with ALPN h2 (<paramref name="tls"/>, any certificate accepted); <paramref name="strict"/> adds the case
    /// only <c>--strict</c> runs. Each case waits at most <paramref name="caseTimeoutSeconds"/> for the server.
    /// </summary>
    public static async Task<H2SpecToolRun> RunAsync(string h2spec, string host, int port, bool tls, bool strict,
        int caseTimeoutSeconds, TimeSpan deadline)
    {
        var report = Path.Combine(Path.GetTempPath(), $"h2spec-{Guid.NewGuid():N}.xml");
        try
        {
            var arguments = string.Create(CultureInfo.InvariantCulture,
                $"-h {host} -p {port} -o {caseTimeoutSeconds} --junit-report {report}{(strict ? " --strict" : "")}{(tls ? " -t -k" : "")}");
            var (exitCode, text) = await RunProcessAsync(h2spec, arguments, deadline);
            if (!File.Exists(report))
                throw new InvalidOperationException($"{h2spec} {arguments} exited with {exitCode} without writing its JUnit report:\n{text}");
            return new H2SpecToolRun($"{h2spec} {arguments}", exitCode, text, H2SpecToolReport.Parse(XDocument.Load(report)));
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, string arguments, TimeSpan deadline)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {deadline}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
