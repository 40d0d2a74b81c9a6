using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// A started <c>dotnet hyper.dll …</c> (the real server a user runs) whose output is collected line by line as it
/// arrives. Dispose kills it by its PID if it is still running, whatever the test did.
/// </summary>
public sealed partial class HyperProcess : IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

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

    /// <summary>The Hello sample as a <c>hyper</c> application argument.</summary>
    public static string HelloApp => $"{Path.Combine(RepositoryRoot, "samples", "Hello", "bin", Configuration, "net10.0", "Hello.dll")}:Hello.HelloApp";

    public static HyperProcess Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts hyper with extra environment variables (<c>HYPER_*</c> options that have no flag).</summary>
    public static HyperProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HyperDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var hyper = new HyperProcess(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hyper;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The hyper process's id (the supervisor's when it runs workers).</summary>
    public int ProcessId => _process.Id;
    public IReadOnlyList<string> StderrLines => [.. _stderr];
    public string Stderr => string.Join('\n', _stderr);
    public string Stdout => string.Join('\n', _stdout);

    /// <summary>The port of the first "Running on http(s)://127.0.0.1:PORT" line.</summary>
    public Task<int> WaitForPortAsync() => WaitForPortAsync(StartupTimeout);

    /// <summary>As <see cref="WaitForPortAsync()"/>, with a bound for slower starts (a supervisor and its workers).</summary>
    public async Task<int> WaitForPortAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_port.Task, exited).WaitAsync(timeout);
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
    public void SendSigterm() => SendSignal("TERM");

    /// <summary>Sends the signal named like kill(1) names it (<c>TERM</c>, <c>HUP</c>, <c>TTIN</c>…) to the hyper process.</summary>
    public void SendSignal(string name) => SendSignal(name, _process.Id);

    /// <summary>Sends a signal to <paramref name="pid"/> (a worker of this hyper process).</summary>
    public static void SendSignal(string name, int pid)
    {
        using var kill = Process.Start("kill", ["-" + name, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits until <paramref name="count"/> stderr lines match <paramref name="predicate"/>; returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForStderrLinesAsync(Func<string, bool> predicate, int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            var lines = _stderr.Where(predicate).ToList();
            if (lines.Count >= count) return lines;
            if (_process.HasExited) break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"fewer than {count} matching stderr lines; stderr: {Stderr}");
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

    /// <summary>The configuration this test assembly was built in; the csproj's references build hyper and Hello in the same one.</summary>
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string HyperDll => Path.Combine(RepositoryRoot, "Hyper.Cli", "bin", Configuration, "net10.0", "hyper.dll");

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

    [GeneratedRegex(@"Running on https?://127\.0\.0\.1:(\d+)")]
    private static partial Regex RunningOn();
}
