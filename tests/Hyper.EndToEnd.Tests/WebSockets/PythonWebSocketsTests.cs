namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// Interop with python3-websockets (Debian's, loaded by /usr/bin/python3; .ci/run installs it), with and without
/// permessage-deflate, on every backend: 1 MiB and 16 MiB messages, 1000 messages in a row, close codes both ways,
/// and a message over the limit closed with 1009.
/// </summary>
public sealed class PythonWebSocketsTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string, bool> BackendsAndCompression()
    {
        var data = new TheoryData<string, bool>();
        foreach (var backend in new[] { "thread-pool", "single-thread-loop", "structured" })
        {
            data.Add(backend, false);
            data.Add(backend, true);
        }
        return data;
    }

    private static Task<TestServer> StartAsync(string backend, bool compression) =>
        TestServer.StartAsync(backend, WebSocketApps.Serve, o => o with { WebSockets = o.WebSockets with { Compression = compression } });

    private static async Task<string> RunAsync(int port, string scenario, bool compress)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "WebSockets", "ws_client.py");
        string[] arguments = compress ? [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario, "compress"]
            : [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario];
        var result = await ExternalTool.RunAsync("/usr/bin/python3", ToolTimeout, arguments);
        result.ExitCode.Should().Be(0, result.Stdout + result.Stderr);
        return result.Stdout;
    }

    [Theory]
    [MemberData(nameof(BackendsAndCompression))]
    public async Task Echoes_large_and_many_messages_and_closes_with_the_clients_code(string backend, bool compression)
    {
        await using var server = await StartAsync(backend, compression);

        var output = await RunAsync(server.Port, "echo", compression);

        output.Should().Contain(compression ? "extensions PerMessageDeflate" : "extensions none");
        output.Should().Contain("echoed 1048576").And.Contain("echoed 16777216").And.Contain("echoed 1000 in a row").And.Contain("closed 4321");
    }

    [Theory]
    [MemberData(nameof(BackendsAndCompression))]
    public async Task The_application_closes_with_its_code(string backend, bool compression)
    {
        await using var server = await StartAsync(backend, compression);

        (await RunAsync(server.Port, "app_close", compression)).Should().Contain("server closed 4002 as asked");
    }

    [Theory]
    [MemberData(nameof(BackendsAndCompression))]
    public async Task A_message_over_the_limit_is_closed_1009(string backend, bool compression)
    {
        await using var server = await StartAsync(backend, compression);

        (await RunAsync(server.Port, "too_big", compression)).Should().Contain("closed 1009");
    }
}
