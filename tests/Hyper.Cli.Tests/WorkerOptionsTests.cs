using Hyper.Cli.Workers;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

/// <summary>The worker-process options, their flags and checks, and the hidden flag a supervisor passes to its workers.</summary>
public class WorkerOptionsTests
{
    private static readonly string App = $"{typeof(WorkerOptionsTests).Assembly.Location}:Hyper.Cli.Tests.SampleApps.InstanceApp";

    private sealed record Outcome(int ExitCode, HyperOptions? Options, WorkerLaunch? Launch, string Error);

    private static async Task<Outcome> Invoke(params string[] args)
    {
        HyperOptions? options = null;
        WorkerLaunch? launch = null;
        var command = new HyperCommand(new Dictionary<string, string?>(),
            (o, _, _) =>
            {
                options = o;
                return Task.FromResult(0);
            },
            (o, _, l, _) =>
            {
                (options, launch) = (o, l);
                return Task.FromResult(0);
            });
        var error = new StringWriter();
        var exitCode = await command.InvokeAsync(args, TextWriter.Null, error);
        return new Outcome(exitCode, options, launch, error.ToString());
    }

    [Fact]
    public async Task Defaults_OneWorkerInProcess_LifespanAuto_NoRetirement()
    {
        var outcome = await Invoke(App);

        outcome.Options!.Workers.Should().Be(1);
        outcome.Options.MaxRequests.Should().Be(0);
        outcome.Options.Lifespan.Should().Be("auto");
        outcome.Options.PidPath.Should().BeNull();
        outcome.Launch.Should().BeNull();
    }

    [Fact]
    public async Task Flags_SetEveryWorkerOption()
    {
        var outcome = await Invoke(App, "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "50",
            "--pid", "/tmp/hyper.pid", "--lifespan", "off", "--set", "worker_healthcheck_timeout=7.5",
            "--limit-concurrency", "64", "--forwarded-allow-ips", "127.0.0.1,10.0.0.0/8", "--forwarded-allow-ips", "::1");

        outcome.ExitCode.Should().Be(0, outcome.Error);
        outcome.Options.Should().BeEquivalentTo(new
        {
            Workers = 3,
            MaxRequests = 1000,
            MaxRequestsJitter = 50,
            PidPath = "/tmp/hyper.pid",
            Lifespan = "off",
            WorkerHealthcheckTimeout = TimeSpan.FromSeconds(7.5),
            LimitConcurrency = 64,
        });
        outcome.Options!.ForwardedAllowIps.Should().Equal("127.0.0.1,10.0.0.0/8", "::1");
    }

    [Theory]
    [InlineData("--workers", "0", "workers")]
    [InlineData("--max-requests", "-1", "max_requests")]
    [InlineData("--max-requests-jitter", "-5", "max_requests_jitter")]
    [InlineData("--lifespan", "maybe", "lifespan")]
    [InlineData("--limit-concurrency", "-1", "limit_concurrency")]
    [InlineData("--forwarded-allow-ips", "10.0.0.0/40", "forwarded_allow_ips")]
    public async Task BadValue_UsageErrorNamingTheKey(string flag, string value, string key)
    {
        var outcome = await Invoke(App, flag, value);

        outcome.ExitCode.Should().Be(HyperCommand.UsageErrorExitCode);
        outcome.Error.Should().Contain(key).And.Contain(value);
    }

    [Fact]
    public async Task HealthcheckTimeoutZero_UsageError()
    {
        var outcome = await Invoke(App, "--set", "worker_healthcheck_timeout=0");

        outcome.ExitCode.Should().Be(HyperCommand.UsageErrorExitCode);
        outcome.Error.Should().Contain("worker_healthcheck_timeout");
    }

    [Fact]
    public async Task WorkerProcessFlag_RunsTheWorkerRoleWithTheInheritedDescriptors()
    {
        var outcome = await Invoke(App, "--workers", "2", WorkerLaunch.Flag, "channel=9;bind=5,6;insecure=7;index=4");

        outcome.ExitCode.Should().Be(0, outcome.Error);
        outcome.Launch!.Channel.Should().Be(9);
        outcome.Launch.Index.Should().Be(4);
        outcome.Launch.Bind.Should().Equal(5, 6);
        outcome.Launch.InsecureBind.Should().Equal(7);
    }

    [Fact]
    public async Task WorkerProcessFlag_Malformed_UsageError()
    {
        var outcome = await Invoke(App, WorkerLaunch.Flag, "channel=x");

        outcome.ExitCode.Should().Be(HyperCommand.UsageErrorExitCode);
        outcome.Error.Should().Contain(WorkerLaunch.Flag);
    }

    [Fact]
    public async Task WorkerProcessFlag_NotInHelp()
    {
        var output = new StringWriter();
        await new HyperCommand(new Dictionary<string, string?>(), (_, _, _) => Task.FromResult(0)).InvokeAsync(["--help"], output, TextWriter.Null);

        output.ToString().Should().Contain("--workers").And.NotContain(WorkerLaunch.Flag);
    }

    [Theory]
    [InlineData(3, new int[] { 4 }, new int[0], 1)]
    [InlineData(10, new int[] { 11, 12 }, new int[] { 13 }, 27)]
    public void WorkerLaunch_FormatThenParse_RoundTrips(int channel, int[] bind, int[] insecure, int index)
    {
        var parsed = WorkerLaunch.Parse(new WorkerLaunch(channel, bind, insecure, index).Format());

        parsed.Channel.Should().Be(channel);
        parsed.Bind.Should().Equal(bind);
        parsed.InsecureBind.Should().Equal(insecure);
        parsed.Index.Should().Be(index);
    }
}
