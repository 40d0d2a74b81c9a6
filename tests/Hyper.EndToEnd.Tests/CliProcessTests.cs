namespace Hyper.EndToEnd.Tests;

/// <summary>
/// The real <c>hyper</c> process serving the Hello sample, as a user runs it: startup line, a request,
/// SIGTERM and a clean exit, the access log on stdout, and the usage errors a user sees.
/// Every process started here is killed by its PID in a finally, whatever the test did.
/// </summary>
public sealed class CliProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Serve_GetRootThenSigterm_ExitsZero(string backend)
    {
        using var hyper = HyperProcess.Start(HelloApp, "--bind", "127.0.0.1:0", "--worker-class", backend);
        var port = await hyper.WaitForPortAsync();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("Hello, World!");

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "SIGTERM is a graceful shutdown; stderr: {0}", hyper.Stderr);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AccessLogFile_Dash_PrintsAccessLineOnStdout(string backend)
    {
        using var hyper = HyperProcess.Start(HelloApp, "--bind", "127.0.0.1:0", "--worker-class", backend, "--access-logfile", "-");
        var port = await hyper.WaitForPortAsync();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await client.GetStringAsync($"http://127.0.0.1:{port}/json");

        var line = await hyper.WaitForStdoutLineAsync(l => l.Contains("GET /json", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        line.Should().Contain("200");
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0);
    }

    [Fact]
    public async Task KeepAlive_NotADuration_ExitsTwoWithOneLineNamingTheOption()
    {
        using var hyper = HyperProcess.Start(HelloApp, "--bind", "127.0.0.1:0", "--keep-alive", "abc");

        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(2);
        var lines = hyper.StderrLines.Where(l => l.Length > 0).ToList();
        lines.Should().ContainSingle().Which.Should().Contain("keep").And.Contain("abc");
    }

    [Fact]
    public async Task App_FileMissing_ExitsNonZeroNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"hyper-missing-{Guid.NewGuid():N}.dll");
        using var hyper = HyperProcess.Start($"{missing}:Missing.App", "--bind", "127.0.0.1:0");

        (await hyper.WaitForExitAsync(ExitTimeout)).Should().NotBe(0);
        hyper.Stderr.Should().Contain(Path.GetFileName(missing));
    }

    [Fact]
    public async Task Version_PrintsAVersion()
    {
        using var hyper = HyperProcess.Start("--version");

        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0);
        hyper.Stdout.Should().MatchRegex(@"\d+\.\d+");
    }

    private static string HelloApp => HyperProcess.HelloApp;
}
