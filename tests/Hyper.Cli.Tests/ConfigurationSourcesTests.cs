using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

public class ConfigurationSourcesTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static HyperOptions Bind(ConfigurationSources sources) => HyperOptionsBinder.Bind(sources.Build());

    [Fact]
    public void Toml_HypercornConfig_PortsOver()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hypercorn.toml", """
            bind = ["0.0.0.0:8080", "[::]:8080"]
            keep_alive_timeout = 10
            graceful_timeout = 2.5
            accesslog = "-"
            access_log_format = '%(h)s %(r)s %(s)s'
            include_server_header = false
            server_names = []
            """);

        var options = Bind(new ConfigurationSources().AddFile(file));

        options.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "0.0.0.0", 8080), new BindAddress(BindKind.Tcp, "::", 8080));
        options.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.GracefulTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        options.AccessLog.Should().Be("-");
        options.AccessLogFormat.Should().Be("%(h)s %(r)s %(s)s");
        options.IncludeServerHeader.Should().BeFalse();
        options.ServerNames.Should().BeEmpty();
    }

    [Fact]
    public void Toml_Table_MapsToSectionKeyAndIsRejectedAsUnknown()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("c.toml", "[logging]\nversion = 1\n");

        var act = () => Bind(new ConfigurationSources().AddFile(file));

        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == "logging");
    }

    [Fact]
    public void Toml_Invalid_NamesFile()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("bad.toml", "bind = [\n");

        var act = () => new ConfigurationSources().AddFile(file);

        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == "config")
            .WithMessage("config: '*bad.toml': not valid TOML*");
    }

    [Fact]
    public void Json_File_Parses()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.json", """{ "bind": ["127.0.0.1:9000"], "backlog": 50, "log_json": true }""");

        var options = Bind(new ConfigurationSources().AddFile(file));

        options.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 9000));
        options.Backlog.Should().Be(50);
        options.LogJson.Should().BeTrue();
    }

    [Fact]
    public void Json_Invalid_NamesFile()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("bad.json", "{ \"bind\": ");

        var act = () => new ConfigurationSources().AddFile(file);

        act.Should().Throw<OptionsValidationException>().WithMessage("config: '*bad.json': *");
    }

    [Fact]
    public void Ini_TopLevelKeys_Parse()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.ini", "bind = 127.0.0.1:9001\nread_timeout = 1.5\nloglevel = debug\n");

        var options = Bind(new ConfigurationSources().AddFile(file));

        options.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 9001));
        options.ReadTimeout.Should().Be(TimeSpan.FromSeconds(1.5));
        options.LogLevel.Should().Be("debug");
    }

    [Fact]
    public void AddFile_UnknownExtension_IsError()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.yaml", "bind: x");

        var act = () => new ConfigurationSources().AddFile(file);

        act.Should().Throw<OptionsValidationException>().WithMessage("config: *unknown config format '.yaml'*");
    }

    [Fact]
    public void AddFile_Missing_IsError()
    {
        var act = () => new ConfigurationSources().AddFile("/nonexistent/hyper.toml");

        act.Should().Throw<OptionsValidationException>().WithMessage("config: '/nonexistent/hyper.toml': no such file");
    }

    [Fact]
    public void Environment_OptionVariable_SetsKey()
    {
        var environment = new Dictionary<string, string?> { ["HYPER_KEEP_ALIVE_TIMEOUT"] = "3", ["PATH"] = "/bin" };

        Bind(new ConfigurationSources().AddEnvironment(environment)).KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Environment_MaxConnections_SetsKey()
    {
        var environment = new Dictionary<string, string?> { ["HYPER_MAX_CONNECTIONS"] = "250" };

        Bind(new ConfigurationSources().AddEnvironment(environment)).MaxConnections.Should().Be(250);
    }

    [Fact]
    public void Toml_WebSocketKeys_Bind()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("ws.toml", """
            websocket_max_message_size = 1048576
            websocket_ping_interval = 20
            websocket_pong_timeout = 5
            websocket_close_timeout = 2
            websocket_compression = true
            websocket_server_max_window_bits = 12
            websocket_allowed_origins = ["https://a.example"]
            websocket_send_buffer = 32768
            websocket_max_connections = 500
            """);

        var ws = Bind(new ConfigurationSources().AddFile(file)).WebSockets;

        ws.MaxMessageSize.Should().Be(1048576);
        ws.PingInterval.Should().Be(TimeSpan.FromSeconds(20));
        ws.PongTimeout.Should().Be(TimeSpan.FromSeconds(5));
        ws.CloseTimeout.Should().Be(TimeSpan.FromSeconds(2));
        ws.Compression.Should().BeTrue();
        ws.ServerMaxWindowBits.Should().Be(12);
        ws.AllowedOrigins.Should().Equal("https://a.example");
        ws.SendBuffer.Should().Be(32768);
        ws.MaxConnections.Should().Be(500);
    }

    [Fact]
    public void Defaults_WebSockets_AreHypercornsAndSafe()
    {
        var ws = Bind(new ConfigurationSources()).WebSockets;

        ws.MaxMessageSize.Should().Be(16 * 1024 * 1024);
        ws.PingInterval.Should().BeNull();
        ws.Compression.Should().BeFalse();
        ws.AllowedOrigins.Should().BeEmpty();
    }

    [Fact]
    public void Environment_WebSocketVariables_SetKeys()
    {
        var environment = new Dictionary<string, string?>
        {
            ["HYPER_WEBSOCKET_PING_INTERVAL"] = "7.5",
            ["HYPER_WEBSOCKET_ALLOWED_ORIGINS"] = "https://a.example, https://b.example:8443",
        };

        var ws = Bind(new ConfigurationSources().AddEnvironment(environment)).WebSockets;

        ws.PingInterval.Should().Be(TimeSpan.FromSeconds(7.5));
        ws.AllowedOrigins.Should().Equal("https://a.example", "https://b.example:8443");
    }

    [Theory]
    [InlineData("HYPER_WEBSOCKET_SEND_BUFFER", "10", "websocket_send_buffer")]
    [InlineData("HYPER_WEBSOCKET_MAX_CONNECTIONS", "0", "websocket_max_connections")]
    [InlineData("HYPER_WEBSOCKET_MAX_MESSAGE_SIZE", "0", "websocket_max_message_size")]
    [InlineData("HYPER_WEBSOCKET_PONG_TIMEOUT", "0", "websocket_pong_timeout")]
    [InlineData("HYPER_WEBSOCKET_ALLOWED_ORIGINS", "example.com", "websocket_allowed_origins")]
    public void Environment_BadWebSocketValue_IsErrorNamingKey(string variable, string value, string key)
    {
        var environment = new Dictionary<string, string?> { [variable] = value };

        var act = () => Bind(new ConfigurationSources().AddEnvironment(environment));

        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == key);
    }

    [Fact]
    public void Environment_ListVariable_IsCommaSeparated()
    {
        var environment = new Dictionary<string, string?> { ["HYPER_BIND"] = "127.0.0.1:8001, [::1]:8001" };

        Bind(new ConfigurationSources().AddEnvironment(environment)).Bind.Should().Equal(
            new BindAddress(BindKind.Tcp, "127.0.0.1", 8001), new BindAddress(BindKind.Tcp, "::1", 8001));
    }

    [Fact]
    public void Environment_UnknownOptionLikeVariable_IsErrorNamingIt()
    {
        var environment = new Dictionary<string, string?> { ["HYPER_KEEP_ALIVE_TIMOUT"] = "3" };

        var act = () => new ConfigurationSources().AddEnvironment(environment);

        act.Should().Throw<OptionsValidationException>()
            .Where(e => e.Key == "HYPER_KEEP_ALIVE_TIMOUT")
            .WithMessage("*did you mean HYPER_KEEP_ALIVE_TIMEOUT?*");
    }

    [Theory]
    [InlineData("HYPER_H2SPEC")]
    [InlineData("HYPER_TEST_BACKEND")]
    [InlineData("HYPER_lowercase")]
    [InlineData("HYPERION")]
    public void Environment_ReservedOrNotOptionLike_IsIgnored(string name)
    {
        var environment = new Dictionary<string, string?> { [name] = "x" };

        Bind(new ConfigurationSources().AddEnvironment(environment)).Should().BeEquivalentTo(new HyperOptions());
    }

    [Fact]
    public void Precedence_DefaultsThenFileThenEnvironmentThenCommandLine()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.toml", """
            keep_alive_timeout = 10
            graceful_timeout = 11
            read_timeout = 12
            """);
        var environment = new Dictionary<string, string?>
        {
            ["HYPER_GRACEFUL_TIMEOUT"] = "21",
            ["HYPER_READ_TIMEOUT"] = "22",
        };
        var commandLine = new Dictionary<string, string?> { ["read_timeout"] = "32" };

        var options = Bind(new ConfigurationSources().AddFile(file).AddEnvironment(environment).AddLayer(commandLine));

        options.Backlog.Should().Be(new HyperOptions().Backlog, "no source sets it");
        options.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(10), "only the file sets it");
        options.GracefulTimeout.Should().Be(TimeSpan.FromSeconds(21), "the environment beats the file");
        options.ReadTimeout.Should().Be(TimeSpan.FromSeconds(32), "the command line beats the environment");
    }

    [Fact]
    public void Precedence_HigherLayerReplacesWholeList()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("hyper.toml", """bind = ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]""");
        var commandLine = new Dictionary<string, string?> { ["bind:0"] = "127.0.0.1:9" };

        var options = Bind(new ConfigurationSources().AddFile(file).AddEnvironment(NoEnvironment).AddLayer(commandLine));

        options.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 9));
    }

    [Fact]
    public void SplitList_DropsEmptyItemsAndTrims()
    {
        ConfigurationSources.SplitList(" a, ,b ,").Should().Equal("a", "b");
        ConfigurationSources.SplitList(null).Should().BeEmpty();
    }
}
