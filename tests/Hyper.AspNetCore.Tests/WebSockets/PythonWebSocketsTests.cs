using System.Diagnostics;
using System.Globalization;

namespace Hyper.AspNetCore.Tests.WebSockets;

/// <summary>
/// python3-websockets (Debian's, loaded by /usr/bin/python3) against ASP.NET Core's WebSocket middleware on every
/// backend and on Kestrel, with and without permessage-deflate: a 1 MiB message, fragments, 1000 messages in a row and
/// close codes both ways. The client speaks HTTP/1.1 only.
/// </summary>
public sealed class PythonWebSocketsTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string, bool> ServersAndCompression()
    {
        var data = new TheoryData<string, bool>();
        foreach (var server in new[] { "thread-pool", "single-thread-loop", "structured", AppHost.Kestrel })
        {
            data.Add(server, false);
            data.Add(server, true);
        }
        return data;
    }

    private static async Task<string> RunAsync(AppHost host, string scenario, bool compress)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebSockets", "aspnet_ws_client.py"));
        start.ArgumentList.Add(host.Http11Uri.Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(scenario);
        if (compress) start.ArgumentList.Add("compress");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/python3 did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(ToolTimeout);
            var output = await stdout;
            process.ExitCode.Should().Be(0, output + await stderr);
            return output;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [MemberData(nameof(ServersAndCompression))]
    public async Task Echo_LargeFragmentedAndManyMessages_ThenTheClientsCloseCode(string server, bool compress)
    {
        await using var host = await AppHost.StartAsync(server, app => WebSocketTests.MapWebSockets(app));

        var output = await RunAsync(host, "echo", compress);

        output.Should().Contain(compress ? "extensions PerMessageDeflate" : "extensions none");
        output.Should().Contain("echoed 1048576").And.Contain("echoed fragments").And.Contain("echoed 1000 in a row")
            .And.Contain("closed 4321 bye");
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task TheApplicationClosesFirst_WithItsCode(string server)
    {
        await using var host = await AppHost.StartAsync(server, app => WebSocketTests.MapWebSockets(app));

        (await RunAsync(host, "server_close", compress: false)).Should().Contain("server closed 4002 as asked");
    }
}
