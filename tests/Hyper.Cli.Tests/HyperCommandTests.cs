using Hyper.Core.Application;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

public class HyperCommandTests
{
    private static readonly string App = $"{typeof(HyperCommandTests).Assembly.Location}:Hyper.Cli.Tests.SampleApps.InstanceApp";

    private sealed record Outcome(int ExitCode, HyperOptions? Options, AsgiApplication? App, string Output, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<Outcome> Invoke(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        HyperOptions? options = null;
        AsgiApplication? app = null;
        var command = new HyperCommand(environment, (o, a, _) =>
        {
            (options, app) = (o, a);
            return Task.FromResult(0);
        });
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await command.InvokeAsync(args, output, error);
        return new Outcome(exitCode, options, app, output.ToString(), error.ToString());
    }

    private static Task<Outcome> Invoke(params string[] args) => Invoke(new Dictionary<string, string?>(), args);

    private static async Task<HyperOptions> OptionsFrom(params string[] args)
    {
        var outcome = await Invoke([App, .. args]);
        outcome.Error.Should().BeEmpty();
        outcome.ExitCode.Should().Be(0);
        return outcome.Options!;
    }

    [Fact]
    public async Task Invoke_AppOnly_ServesDefaultsAndTheApp()
    {
        var outcome = await Invoke(App);

        outcome.ExitCode.Should().Be(0);
        outcome.Options.Should().BeEquivalentTo(new HyperOptions());
        outcome.App.Should().NotBeNull();
    }

    [Fact]
    public async Task Bind_RepeatedWithShortAlias_KeepsOrder()
    {
        var options = await OptionsFrom("--bind", "127.0.0.1:8001", "-b", "[::1]:8002", "--insecure-bind", "0.0.0.0:80");

        options.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 8001), new BindAddress(BindKind.Tcp, "::1", 8002));
        options.InsecureBind.Should().Equal(new BindAddress(BindKind.Tcp, "0.0.0.0", 80));
    }

    [Fact]
    public async Task Timeouts_FractionalSeconds_Parse()
    {
        var options = await OptionsFrom("--keep-alive", "2.5", "--graceful-timeout", "1", "--read-timeout", "0.25");

        options.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        options.GracefulTimeout.Should().Be(TimeSpan.FromSeconds(1));
        options.ReadTimeout.Should().Be(TimeSpan.FromSeconds(0.25));
    }

    [Fact]
    public async Task WebSocketFlags_SetTheirKeys()
    {
        var options = await OptionsFrom("--websocket-max-message-size", "1048576", "--websocket-ping-interval", "15",
            "--websocket-pong-timeout", "4", "--websocket-close-timeout", "2.5", "--websocket-compression",
            "--websocket-allowed-origin", "https://a.example", "--websocket-allowed-origin", "https://b.example",
            "--websocket-send-buffer", "16384");

        var ws = options.WebSockets;
        ws.MaxMessageSize.Should().Be(1048576);
        ws.PingInterval.Should().Be(TimeSpan.FromSeconds(15));
        ws.PongTimeout.Should().Be(TimeSpan.FromSeconds(4));
        ws.CloseTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        ws.Compression.Should().BeTrue();
        ws.AllowedOrigins.Should().Equal("https://a.example", "https://b.example");
        ws.SendBuffer.Should().Be(16384);
        (await OptionsFrom("--no-websocket-compression")).WebSockets.Compression.Should().BeFalse();
    }

    [Fact]
    public async Task StringFlags_SetTheirKeys()
    {
        var options = await OptionsFrom(
            "--root-path", "/api", "--access-logfile", "-", "--access-logformat", "%(h)s %(s)s",
            "--error-logfile", "/tmp/err.log", "--log-level", "debug", "-k", "thread-pool", "--backlog", "64",
            "--server-name", "a.example", "--server-name", "b.example");

        options.RootPath.Should().Be("/api");
        options.AccessLog.Should().Be("-");
        options.AccessLogFormat.Should().Be("%(h)s %(s)s");
        options.ErrorLog.Should().Be("/tmp/err.log");
        options.LogLevel.Should().Be("debug");
        options.WorkerClass.Should().Be("thread-pool");
        options.Backlog.Should().Be(64);
        options.ServerNames.Should().Equal("a.example", "b.example");
    }

    [Fact]
    public async Task WorkerClass_LongFlag_SetsKey()
    {
        (await OptionsFrom("--worker-class", "structured")).WorkerClass.Should().Be("structured");
    }

    [Fact]
    public async Task BooleanFlag_OnAndOff()
    {
        (await OptionsFrom("--log-json")).LogJson.Should().BeTrue();
        var environment = new Dictionary<string, string?> { ["HYPER_LOG_JSON"] = "true" };
        (await Invoke(environment, App, "--no-log-json")).Options!.LogJson.Should().BeFalse();
    }

    [Fact]
    public async Task BooleanFlag_BothOnAndOff_IsUsageError()
    {
        var outcome = await Invoke(App, "--log-json", "--no-log-json");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().Be("hyper: error: log_json: both --log-json and --no-log-json given");
    }

    [Fact]
    public async Task Set_AnyKey_IncludingListsAndHttp11Limits()
    {
        var options = await OptionsFrom("--set", "keep_alive_max_requests=5", "--set", "bind=127.0.0.1:1,127.0.0.1:2",
            "--set", "h11_max_header_size=2048");

        options.KeepAliveMaxRequests.Should().Be(5);
        options.Bind.Should().HaveCount(2);
        options.Http11.MaxHeaderSize.Should().Be(2048);
    }

    [Fact]
    public async Task Set_UnknownKey_IsUsageErrorWithSuggestion()
    {
        var outcome = await Invoke(App, "--set", "backlg=3");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().Be("hyper: error: backlg: unknown option 'backlg'; did you mean 'backlog'?");
    }

    [Fact]
    public async Task Flag_BeatsEnvironmentAndConfigFile()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.toml", "keep_alive_timeout = 10\nbacklog = 7\ngraceful_timeout = 9\n");
        var environment = new Dictionary<string, string?> { ["HYPER_KEEP_ALIVE_TIMEOUT"] = "20", ["HYPER_BACKLOG"] = "8" };

        var outcome = await Invoke(environment, App, "-c", file, "--keep-alive", "30");

        outcome.Options!.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(30));
        outcome.Options.Backlog.Should().Be(8);
        outcome.Options.GracefulTimeout.Should().Be(TimeSpan.FromSeconds(9));
    }

    [Theory]
    [InlineData("--keep-alive", "soon", "hyper: error: keep_alive_timeout: 'soon' is not a number of seconds, e.g. 5 or 2.5")]
    [InlineData("--bind", "foo:bar", "hyper: error: bind: 'foo:bar': port must be a number from 0 to 65535")]
    [InlineData("--backlog", "0", "hyper: error: backlog: must be greater than 0, got 0")]
    [InlineData("--root-path", "api", "hyper: error: root_path: 'api' must start with '/'")]
    public async Task BadFlagValue_IsOneLineAndExitCode2(string flag, string value, string expected)
    {
        var outcome = await Invoke(App, flag, value);

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().Equal(expected);
        outcome.Options.Should().BeNull("the server must not start");
    }

    [Fact]
    public async Task UnknownFlag_IsOneLineAndExitCode2()
    {
        var outcome = await Invoke(App, "--keep-alive-timeout", "3");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().StartWith("hyper: error: ").And.Contain("--keep-alive-timeout");
    }

    [Fact]
    public async Task UnknownFlagInAppsPlace_IsNamedAsFlag()
    {
        var outcome = await Invoke("--frob");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().Equal("hyper: error: unrecognized option '--frob'");
    }

    [Fact]
    public async Task MissingApp_IsUsageError()
    {
        var outcome = await Invoke("--bind", "127.0.0.1:1");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().StartWith("hyper: error: ");
    }

    [Fact]
    public async Task BadApp_IsOneLineNamingIt()
    {
        var outcome = await Invoke("/nonexistent/App.dll:My.App");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().Equal("hyper: error: app: '/nonexistent/App.dll': no such file");
    }

    [Fact]
    public async Task MissingConfigFile_IsUsageError()
    {
        var outcome = await Invoke(App, "--config", "/nonexistent/hyper.toml");

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().Equal("hyper: error: config: '/nonexistent/hyper.toml': no such file");
    }

    [Fact]
    public async Task UnknownEnvironmentOption_IsUsageError()
    {
        var environment = new Dictionary<string, string?> { ["HYPER_BAKLOG"] = "3" };

        var outcome = await Invoke(environment, App);

        outcome.ExitCode.Should().Be(2);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().StartWith("hyper: error: HYPER_BAKLOG: unknown option 'baklog'");
    }

    [Fact]
    public async Task Help_ListsHypercornFlagsWithoutApp()
    {
        var outcome = await Invoke("--help");

        outcome.ExitCode.Should().Be(0);
        outcome.Output.Should().Contain("--keep-alive").And.Contain("-b, --bind").And.Contain("--no-log-json")
            .And.Contain("-k, --worker-class").And.Contain("-c, --config");
    }

    [Fact]
    public async Task Version_PrintsVersionWithoutApp()
    {
        var outcome = await Invoke("--version");

        outcome.ExitCode.Should().Be(0);
        outcome.Output.Should().StartWith("Hyper 0.1.0");
    }

    [Fact]
    public void Flags_EveryFlaggedOption_HasAFlag()
    {
        var names = new HyperCommand(new Dictionary<string, string?>(), (_, _, _) => Task.FromResult(0))
            .Root.Options.Select(o => o.Name).ToHashSet();

        foreach (var option in HyperOptionsBinder.Options.Where(o => o.Flag is not null))
            names.Should().Contain("--" + option.Flag);
        names.Should().Contain(["--config", "--set", "--no-log-json"]);
    }
}
