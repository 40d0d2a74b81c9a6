using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Hyper.Cli.Tests;

/// <summary>The real <c>hyper</c> executable, as a user runs it: start-up line, a request, SIGINT, exit code.</summary>
public class HyperProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly string BinDirectory = Path.GetDirectoryName(typeof(HyperProcessTests).Assembly.Location)!;
    private static readonly string App = $"{typeof(HyperProcessTests).Assembly.Location}:Hyper.Cli.Tests.SampleApps.HelloApp";

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(BinDirectory, "hyper.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Hyper_PortZero_PrintsRunningOnServesAndExitsZeroOnSigint()
    {
        using var process = Start(App, "--bind", "127.0.0.1:0", "--graceful-timeout", "1");
        var runningOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, line) =>
        {
            var match = Regex.Match(line.Data ?? "", @"Running on http://127\.0\.0\.1:(\d+) \(CTRL \+ C to quit\)");
            if (match.Success) runningOn.TrySetResult(int.Parse(match.Groups[1].Value));
        };
        process.BeginErrorReadLine();
        try
        {
            var port = await runningOn.Task.WaitAsync(Bound);
            using (var client = new HttpClient { Timeout = Bound })
                (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("hello");

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            using var exited = new CancellationTokenSource(Bound);
            await process.WaitForExitAsync(exited.Token);

            process.ExitCode.Should().Be(0, "SIGINT is a graceful shutdown, not a kill");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Hyper_BadBind_OneLineOnStderrAndExitCode2()
    {
        using var process = Start(App, "--bind", "foo:bar");
        var stderr = process.StandardError.ReadToEndAsync();
        using var exited = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(exited.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        process.ExitCode.Should().Be(2);
        (await stderr).Should().Be("hyper: error: bind: 'foo:bar': port must be a number from 0 to 65535\n");
    }
}
