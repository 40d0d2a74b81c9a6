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
        var failed = await RunAgainstHyperAsync(h2spec, strict, tls);

        failed.Should().BeEmpty("h2spec{0} must pass every case against Hyper over {1}", strict ? " --strict" : "", tls ? "TLS" : "h2c");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Runner_StandInTool_ReachesHyperOverHttp2AndReportsFailures(bool tls)
    {
        // The runner's own plumbing, without h2spec: a stand-in takes h2spec's arguments, fetches / from Hyper with
        // curl the way h2spec would connect (h2c prior knowledge, or TLS with ALPN), and writes a JUnit report with
        // one deliberate failure, the invalid-preface case, and a case that fails unless the fetch spoke HTTP/2.
        var directory = Directory.CreateTempSubdirectory("hyper-h2spec-standin-").FullName;
        try
        {
            var standIn = Path.Combine(directory, "h2spec");
            await File.WriteAllTextAsync(standIn, StandInScript);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var failed = await RunAgainstHyperAsync(standIn, strict: false, tls);

            var expected = new List<string> { "standin deliberate failure" };
            // On the shared cleartext port the invalid preface may be answered as HTTP/1.1; over TLS it may not.
            if (tls) expected.Add("standin Sends invalid connection preface");
            failed.Should().BeEquivalentTo(expected, "the fetch spoke HTTP/2 and only those cases failed");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private const string StandInScript = """
        #!/bin/bash
        port=""; report=""; tls=0
        while [[ $# -gt 0 ]]; do
          case "$1" in -p) port=$2; shift 2 ;; --junit-report) report=$2; shift 2 ;; -t) tls=1; shift ;; *) shift ;; esac
        done
        if [[ $tls == 1 ]]; then url="https://127.0.0.1:$port/"; flags="-k --http2"; else url="http://127.0.0.1:$port/"; flags="--http2-prior-knowledge"; fi
        version=$(curl -s $flags -o /dev/null -w '%{http_version}' --max-time 10 "$url")
        http2='<testcase name="fetch over HTTP/2"/>'
        [[ $version == 2 ]] || http2="<testcase name=\"fetch spoke HTTP/$version\"><failure/></testcase>"
        cat > "$report" <<XML
        <testsuites><testsuite package="standin" name="standin">
        <testcase name="deliberate failure"><failure message="x"/></testcase>
        <testcase name="Sends invalid connection preface"><failure message="answered as HTTP/1.1"/></testcase>
        $http2
        </testsuite></testsuites>
        XML
        """;

    /// <summary>Starts Hyper (h2c, or TLS with a certificate made for the run), runs the tool, returns the failed cases that count.</summary>
    private async Task<List<string>> RunAgainstHyperAsync(string h2spec, bool strict, bool tls)
    {
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
            return FailedCases(XDocument.Load(report)).Where(name => tls || !name.Contains(SharedPortException, StringComparison.Ordinal)).ToList();
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
