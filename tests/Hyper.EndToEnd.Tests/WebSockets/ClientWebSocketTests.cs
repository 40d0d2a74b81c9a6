using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>.NET's ClientWebSocket against Hyper, over HTTP/1.1 (RFC 6455 Upgrade) and HTTP/2 (RFC 8441), on every backend.</summary>
public sealed class ClientWebSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    internal static async Task<ClientWebSocket> ConnectAsync(TestServer server, string path, bool http2, Action<ClientWebSocketOptions>? configure = null,
        HttpMessageInvoker? invoker = null)
    {
        var client = new ClientWebSocket();
        configure?.Invoke(client.Options);
        using var cts = new CancellationTokenSource(Timeout);
        var uri = new Uri($"ws://127.0.0.1:{server.Port}{path}");
        if (http2)
        {
            // h2c with prior knowledge: the exact version, no upgrade dance.
            client.Options.HttpVersion = HttpVersion.Version20;
            client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            await client.ConnectAsync(uri, invoker ?? new HttpMessageInvoker(new SocketsHttpHandler()), cts.Token);
        }
        else
        {
            await client.ConnectAsync(uri, cts.Token);
        }
        return client;
    }

    internal static async Task<(WebSocketMessageType Type, byte[] Data, WebSocketReceiveResult Last)> ReceiveMessageAsync(WebSocket client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close) return (result.MessageType, data.ToArray(), result);
        }
    }

    public static TheoryData<string, bool> BackendsAndVersions()
    {
        var data = new TheoryData<string, bool>();
        foreach (var backend in new[] { "thread-pool", "single-thread-loop", "structured" })
        {
            data.Add(backend, false);
            data.Add(backend, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Echoes_text_as_text_and_bytes_as_bytes(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        using var client = await ConnectAsync(server, "/echo", http2, o => o.AddSubProtocol("chat.v1"));
        client.SubProtocol.Should().Be("chat.v1");
        using var cts = new CancellationTokenSource(Timeout);

        await client.SendAsync(Encoding.UTF8.GetBytes("héllo"), WebSocketMessageType.Text, true, cts.Token);
        var text = await ReceiveMessageAsync(client);
        text.Type.Should().Be(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(text.Data).Should().Be("héllo");

        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        await client.SendAsync(payload, WebSocketMessageType.Binary, true, cts.Token);
        var bytes = await ReceiveMessageAsync(client);
        bytes.Type.Should().Be(WebSocketMessageType.Binary);
        bytes.Data.Should().Equal(payload);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        client.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Theory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task The_application_closes_with_its_code_and_reason(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        using var client = await ConnectAsync(server, "/echo", http2);
        using var cts = new CancellationTokenSource(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes("close:4001"), WebSocketMessageType.Text, true, cts.Token);
        var closing = await ReceiveMessageAsync(client);
        closing.Type.Should().Be(WebSocketMessageType.Close);
        ((int)client.CloseStatus!.Value).Should().Be(4001);
        client.CloseStatusDescription.Should().Be("as asked");
    }

    [Theory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task An_application_failure_after_accept_closes_1011(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        using var client = await ConnectAsync(server, "/fail", http2);
        var closing = await ReceiveMessageAsync(client);
        closing.Type.Should().Be(WebSocketMessageType.Close);
        client.CloseStatus.Should().Be(WebSocketCloseStatus.InternalServerError);
    }

    [Theory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Closing_before_accept_is_403(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        var connect = () => ConnectAsync(server, "/reject", http2, o => o.CollectHttpResponseDetails = true);
        var error = await connect.Should().ThrowAsync<WebSocketException>();
        error.Which.Message.Should().Contain("403");
    }
}
