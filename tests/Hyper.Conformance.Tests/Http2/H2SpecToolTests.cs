using System.Diagnostics;
using System.Xml.Linq;
using Hyper.Backends.ThreadPool;
using Hyper.Conformance.Http2.Spec;
using Hyper.Core.Configuration;
using Hyper.Transport.Tls;
using Hyper.EndToEnd.Tests;
using Xunit.Abstractions;

namespace Hyper.Conformance.Tests.Http2;

/// <summary>
/// Runs the real h2spec (summerwind/h2spec) against Hyper over h2c and over TLS (ALPN h2), plain and with
/// <c>--strict</c>, when the binary is named in <c>HYPER_H2SPEC</c> or found on PATH. Every failed case fails the test,
/// except, on h2c only, the invalid-preface case (http2/3.5/2), which a cleartext port shared with HTTP/1.1 answers as
/// an HTTP/1.1 request (issue #4). Over TLS there is no exception.
/// </summary>
public sealed class H2SpecToolTests(ITestOutputHelper output)
{
    /// <summary>The only h2spec case allowed to fail on the shared cleartext port.</summary>
    private const string SharedPortException = "Sends invalid connection preface";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [Trait("tool", "h2spec")]
    public async Task H2Spec_WhenInstalled_PassesEveryCase(bool strict, bool tls)
    {
        var h2spec = Locate();
        if (h2spec is null)
        {
            output.WriteLine("h2spec not found (neither HYPER_H2SPEC nor PATH names it); skipped the external run. " +
                "The in-process suite (H2SpecCaseTests) still plays every h2spec case.");
            return;
        }
        using var certificate = tls ? TestCertificate.Create() : null;
        await using var server = certificate is null
            ? await TestServer.StartAsync(ThreadPoolBackend.BackendName, H2SpecApplication.RunAsync)
            : await TestServer.StartAsync(ThreadPoolBackend.BackendName, H2SpecApplication.RunAsync,
                options => options with { Tls = new TlsOptions { CertFiles = [certificate.CertPath], KeyFiles = [certificate.KeyPath] } },
                tls: options => new TlsHandshaker(options.Tls, TestLoggerFactory.Create()));
        var report = Path.Combine(Path.GetTempPath(), $"h2spec-{Guid.NewGuid():N}.xml");
        try
        {
            // -t: TLS with ALPN h2; -k: the certificate is made for this run and not trusted by anything.
            var arguments = $"-h 127.0.0.1 -p {server.Port} -o 2 --junit-report {report}{(strict ? " --strict" : "")}{(tls ? " -t -k" : "")}";
            var (exitCode, text) = await RunAsync(h2spec, arguments);
            output.WriteLine($"{h2spec} {arguments} → exit {exitCode}");
            output.WriteLine(text);

            File.Exists(report).Should().BeTrue("h2spec writes its JUnit report (exit {0})", exitCode);
            var failed = FailedCases(XDocument.Load(report)).Where(name => tls || !name.Contains(SharedPortException, StringComparison.Ordinal)).ToList();
            failed.Should().BeEmpty("h2spec{0} must pass every case against Hyper over {1}", strict ? " --strict" : "", tls ? "TLS" : "h2c");
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("HYPER_H2SPEC") is { Length: > 0 } named) return File.Exists(named) ? named : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "h2spec.exe" : "h2spec"))
            .FirstOrDefault(File.Exists);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("h2spec did not finish within 3 minutes");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>"package testcase" for every JUnit test case with a failure or error element.</summary>
    private static IEnumerable<string> FailedCases(XDocument report) =>
        report.Descendants("testcase")
            .Where(tc => tc.Elements("failure").Any() || tc.Elements("error").Any())
            .Select(tc => $"{tc.Parent?.Attribute("package")?.Value ?? tc.Parent?.Attribute("name")?.Value} {tc.Attribute("name")?.Value}");
}
