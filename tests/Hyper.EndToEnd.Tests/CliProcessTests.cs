using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// The real <c>hyper</c> process serving the Hello sample, as a user runs it: startup line, a request,
/// SIGTERM and a clean exit, the access log on stdout, and the usage errors a user sees.
/// Every process started here is killed by its PID in a finally, whatever the test did.
/// </summary>
public sealed partial class CliProcessTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);
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

    private static string HelloApp => $"{Path.Combine(RepositoryRoot, "samples", "Hello", "bin", Configuration, "net10.0", "Hello.dll")}:Hello.HelloApp";

    private static string HyperDll => Path.Combine(RepositoryRoot, "Hyper.Cli", "bin", Configuration, "net10.0", "hyper.dll");

    /// <summary>The configuration this test assembly was built in; the csproj's references build hyper and Hello in the same one.</summary>
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Hyper.sln"))) return directory.FullName;
            }
            throw new InvalidOperationException($"no Hyper.sln above {AppContext.BaseDirectory}");
        }
    }

    [GeneratedRegex(@"Running on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex RunningOn();

    /// <summary>A started <c>dotnet hyper.dll …</c> whose output is collected line by line as it arrives.</summary>
    private sealed class HyperProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _stdout = new();
        private readonly ConcurrentQueue<string> _stderr = new();
        private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private HyperProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                _stderr.Enqueue(e.Data);
                if (RunningOn().Match(e.Data) is { Success: true } match) _port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            };
        }

        public static HyperProcess Start(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(HyperDll);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            var hyper = new HyperProcess(process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return hyper;
        }

        public IReadOnlyList<string> StderrLines => [.. _stderr];
        public string Stderr => string.Join('\n', _stderr);
        public string Stdout => string.Join('\n', _stdout);

        public async Task<int> WaitForPortAsync()
        {
            var exited = _process.WaitForExitAsync();
            var first = await Task.WhenAny(_port.Task, exited).WaitAsync(StartupTimeout);
            if (first != _port.Task) throw new InvalidOperationException($"hyper exited with {_process.ExitCode} before listening: {Stderr}");
            return await _port.Task;
        }

        public async Task<string> WaitForStdoutLineAsync(Func<string, bool> predicate, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (!deadline.IsCancellationRequested)
            {
                if (_stdout.FirstOrDefault(predicate) is { } line) return line;
                await Task.Delay(25);
            }
            throw new TimeoutException($"no matching stdout line; stdout: {Stdout}; stderr: {Stderr}");
        }

        /// <summary>SIGTERM through kill(1): <see cref="Process.Kill()"/> would send SIGKILL and skip the graceful path.</summary>
        public void SendSigterm()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        /// <summary>The exit code; a process still running at the deadline is a failure, not a hang.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            // WaitForExit without a timeout also waits for the redirected streams to reach EOF.
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
