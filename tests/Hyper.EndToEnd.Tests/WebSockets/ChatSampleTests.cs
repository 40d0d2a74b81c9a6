using Chat;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// The Chat sample on every backend: its page is served, and two python3-websockets clients hear each other's lines
/// (in order, 200 in a row), binary data closes the sender with 1003 and leaves the other in the room.
/// </summary>
public sealed class ChatSampleTests
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Two_clients_hear_each_other(string backend)
    {
        var room = new ChatRoom();
        await using var server = await TestServer.StartAsync(backend, ChatApp.Create(room));
        var script = Path.Combine(AppContext.BaseDirectory, "WebSockets", "chat_client.py");

        var result = await ExternalTool.RunAsync("/usr/bin/python3", TimeSpan.FromSeconds(60),
            [script, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        result.ExitCode.Should().Be(0, result.Stdout + result.Stderr);
        result.Stdout.Should().Contain("bob heard alice").And.Contain("alice heard bob").And.Contain("200 lines at both ends, each sender's in order")
            .And.Contain("binary closed 1003, alice still chatting");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_page_is_served_and_other_paths_are_refused(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, ChatApp.Create(new ChatRoom()));
        using var client = server.CreateClient();

        var page = await client.GetAsync("/");
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await page.Content.ReadAsStringAsync()).Should().Contain("new WebSocket(").And.Contain("/chat");
        (await client.GetAsync("/missing")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);

        await using var raw = await RawWebSocketClient.ConnectAsync(server);
        (await raw.HandshakeAsync("/elsewhere")).Should().StartWith("HTTP/1.1 403");
    }
}
