using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Hyper.EndToEnd.Tests.Workers;

/// <summary>
/// <c>hyper --workers N</c> as a user runs it: a supervisor process and N workers on the supervisor's sockets.
/// Under an HttpClient load: a SIGKILLed worker is replaced within 1 s and costs at most the requests in flight,
/// a SIGHUP rolling reload and max_requests retirement cost none, SIGTERM lets in-flight requests finish and exits 0;
/// a startup failure stops everything with its exit code. Every process is killed by its PID when a test ends
/// (<see cref="HyperProcess.Dispose"/> kills the supervisor's whole tree).
/// </summary>
public sealed partial class WorkerProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Workers2_ServesFromTwoWorkerProcesses_ThenSigtermExitsZero(string backend)
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2", "--worker-class", backend, "--loops", "1");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        var workers = await WaitForReadyWorkersAsync(hyper, 2);

        workers.Should().OnlyHaveUniqueItems().And.NotContain(hyper.ProcessId);
        foreach (var pid in workers) ParentOf(pid).Should().Be(hyper.ProcessId, "each worker is a child of the supervisor");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 20; i++) (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("Hello, World!");

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
        foreach (var pid in workers) IsRunning(pid).Should().BeFalse("the supervisor waits for its workers");
    }

    [Fact]
    public async Task SigkillAWorkerUnderLoad_ReplacedWithinOneSecond_FailuresAtMostInFlight()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        await WaitForReadyWorkersAsync(hyper, 2);
        await using var load = HttpLoad.Start(port);
        await load.WaitForSuccessesAsync(100, BootTimeout);

        const int kills = 3;
        var killed = new HashSet<int>();
        for (var round = 1; round <= kills; round++)
        {
            // Kill a serving worker (not one still booting), then wait for its replacement to start and become ready.
            var victim = (await WaitForReadyWorkersAsync(hyper, 1 + round)).First(pid => !killed.Contains(pid) && IsRunning(pid));
            var startedBefore = StartedWorkers(hyper);
            var clock = Stopwatch.StartNew();
            HyperProcess.SendSignal("KILL", victim);
            killed.Add(victim);
            await hyper.WaitForStderrLinesAsync(l => StartedWorker().IsMatch(l), startedBefore + 1, TimeSpan.FromSeconds(10));
            output.WriteLine($"kill {round}: replacement started after {clock.Elapsed.TotalMilliseconds:0} ms");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "a dead worker is replaced within 1 s");
            await WaitForReadyWorkersAsync(hyper, 2 + round);
            await load.WaitForSuccessesAsync(50, BootTimeout);
        }
        await load.StopAsync();

        output.WriteLine($"{load.Succeeded} succeeded, {load.Failures.Count} failed: {string.Join(" | ", load.Failures)}");
        load.Failures.Count.Should().BeLessThanOrEqualTo(kills * load.Concurrency,
            "only requests in flight on a killed worker may fail (at most {0} are in flight); failures: {1}",
            load.Concurrency, string.Join(" | ", load.Failures));
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    [Fact]
    public async Task SighupRollingReloadUnderLoad_NoRequestFails()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        var first = await WaitForReadyWorkersAsync(hyper, 2);
        await using var load = HttpLoad.Start(port);
        await load.WaitForSuccessesAsync(100, BootTimeout);

        const int reloads = 2;
        for (var reload = 1; reload <= reloads; reload++)
        {
            hyper.SendSignal("HUP");
            await hyper.WaitForStderrLinesAsync(l => l.Contains("Reload complete", StringComparison.Ordinal), reload, BootTimeout);
            await load.WaitForSuccessesAsync(50, BootTimeout);
        }
        await load.StopAsync();

        output.WriteLine($"{load.Succeeded} succeeded, {load.Failures.Count} failed across {reloads} reloads");
        load.Failures.Should().BeEmpty("a rolling reload drains an old worker only once a new one serves");
        foreach (var pid in first) IsRunning(pid).Should().BeFalse("the old generation has been drained");
        (await WaitForReadyWorkersAsync(hyper, 2 + 2 * reloads)).Should().HaveCount(2 + 2 * reloads);
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    [Fact]
    public async Task MaxRequestsUnderLoad_WorkersRetireAndNoRequestFails()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2",
            "--max-requests", "300", "--max-requests-jitter", "50");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        await WaitForReadyWorkersAsync(hyper, 2);
        await using var load = HttpLoad.Start(port);

        await hyper.WaitForStderrLinesAsync(l => l.Contains("reached max_requests", StringComparison.Ordinal), 2, BootTimeout);
        await WaitForReadyWorkersAsync(hyper, 4);
        await load.WaitForSuccessesAsync(100, BootTimeout);
        await load.StopAsync();

        output.WriteLine($"{load.Succeeded} succeeded, {load.Failures.Count} failed; {StartedWorkers(hyper)} workers started");
        load.Failures.Should().BeEmpty("a retiring worker serves until its replacement is ready, then drains");
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    [Fact]
    public async Task SigtermWithRequestsInFlight_TheyFinish_ExitZero()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        await WaitForReadyWorkersAsync(hyper, 2);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var inFlight = Enumerable.Range(0, 6).Select(_ => client.GetStringAsync($"http://127.0.0.1:{port}/slow?ms=2000")).ToArray();
        await Task.Delay(700);

        hyper.SendSigterm();

        var bodies = await Task.WhenAll(inFlight);
        bodies.Should().AllBe("Waited 2000 ms\n");
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    [Fact]
    public async Task LifespanStartupFails_ExitsThreeAtOnceWithAClearMessage()
    {
        using var hyper = HyperProcess.Start(WorkerApps.Reference(nameof(WorkerApps.FailingStartup)), "--bind", "127.0.0.1:0", "--workers", "2");

        (await hyper.WaitForExitAsync(BootTimeout)).Should().Be(3, "lifespan startup failed in the workers; stderr: {0}", hyper.Stderr);
        hyper.Stderr.Should().Contain("failed at startup").And.Contain("the database is unreachable");
        StartedWorkers(hyper).Should().Be(2, "a startup failure is not retried");
    }

    [Fact]
    public async Task LifespanOn_AppWithoutLifespan_ExitsThree()
    {
        using var hyper = HyperProcess.Start(WorkerApps.Reference(nameof(WorkerApps.HttpOnly)), "--bind", "127.0.0.1:0", "--lifespan", "on");

        (await hyper.WaitForExitAsync(BootTimeout)).Should().Be(3, "stderr: {0}", hyper.Stderr);
        hyper.Stderr.Should().Contain("lifespan is 'on' but the application does not support it");
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("off", false)]
    public async Task Lifespan_AutoTriesTheScope_OffNeverOpensIt(string mode, bool warned)
    {
        using var hyper = HyperProcess.Start(WorkerApps.Reference(nameof(WorkerApps.HttpOnly)), "--bind", "127.0.0.1:0", "--lifespan", mode);
        var port = await hyper.WaitForPortAsync(BootTimeout);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("ok");
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0);
        hyper.Stderr.Contains("continuing without lifespan support", StringComparison.Ordinal).Should().Be(warned, "stderr: {0}", hyper.Stderr);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task PidFile_HoldsTheServerProcessId_RemovedOnExit(string workers)
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"hyper-{Guid.NewGuid():N}.pid");
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", workers, "--pid", pidFile);
        await hyper.WaitForPortAsync(BootTimeout);

        (await File.ReadAllTextAsync(pidFile)).Trim().Should().Be(hyper.ProcessId.ToString(CultureInfo.InvariantCulture));
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
        File.Exists(pidFile).Should().BeFalse();
    }

    [Fact]
    public async Task WorkerStopsBeating_KilledAfterHealthcheckTimeoutAndReplaced()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2",
            "--set", "worker_healthcheck_timeout=2");
        var port = await hyper.WaitForPortAsync(BootTimeout);
        var hung = (await WaitForReadyWorkersAsync(hyper, 2))[0];

        // A stopped process writes nothing: as a worker whose threads are all stuck would.
        var clock = Stopwatch.StartNew();
        HyperProcess.SendSignal("STOP", hung);
        await hyper.WaitForStderrLinesAsync(l => l.Contains($"(pid {hung}) sent no heartbeat", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(15));
        output.WriteLine($"killed after {clock.Elapsed.TotalMilliseconds:0} ms");
        // The 2 s run from the worker's last beat, which came at most one beat interval (2 s / 3) before the stop.
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2) - TimeSpan.FromSeconds(2.0 / 3) - TimeSpan.FromMilliseconds(100),
            "the worker had worker_healthcheck_timeout since its last beat");
        await WaitForReadyWorkersAsync(hyper, 3);
        IsRunning(hung).Should().BeFalse();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("Hello, World!");

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    [Fact]
    public async Task TtinThenTtou_AddsAndRemovesAWorker()
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2");
        await hyper.WaitForPortAsync(BootTimeout);
        await WaitForReadyWorkersAsync(hyper, 2);

        hyper.SendSignal("TTIN");
        var third = (await WaitForReadyWorkersAsync(hyper, 3))[2];
        hyper.SendSignal("TTOU");
        await hyper.WaitForStderrLinesAsync(l => l.Contains($"(pid {third}) exited", StringComparison.Ordinal), 1, ExitTimeout);

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    /// <summary>The pids of the workers that have reported ready so far, in order, once there are <paramref name="count"/>.</summary>
    private static async Task<IReadOnlyList<int>> WaitForReadyWorkersAsync(HyperProcess hyper, int count)
    {
        var lines = await hyper.WaitForStderrLinesAsync(l => ReadyWorker().IsMatch(l), count, BootTimeout);
        return lines.Select(l => int.Parse(ReadyWorker().Match(l).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
    }

    private static int StartedWorkers(HyperProcess hyper) => hyper.StderrLines.Count(l => StartedWorker().IsMatch(l));

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static int ParentOf(int pid)
    {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Worker \d+ \(pid (\d+)\) ready")]
    private static partial Regex ReadyWorker();

    [GeneratedRegex(@"Started worker \d+ \(pid \d+\)")]
    private static partial Regex StartedWorker();
}
