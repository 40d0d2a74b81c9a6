using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore.Tests.WebSockets;

/// <summary>
/// ASP.NET Core's own WebSocket middleware (<c>app.UseWebSockets()</c>, <c>AcceptWebSocketAsync</c>) over Hyper's
/// IHttpUpgradeFeature (HTTP/1.1) and IHttpExtendedConnectFeature (h2c, RFC 8441), with .NET's ClientWebSocket, on every
/// backend and on Kestrel.
/// </summary>
public sealed class WebSocketTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>What the application saw of a session that the client abandoned.</summary>
    internal sealed class AbortObserver
    {
        public TaskCompletionSource<string> ReceiveEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource RequestAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal static void MapWebSockets(WebApplication app, AbortObserver? observer = null)
    {
        app.UseWebSockets();
        // Echoes every frame as it comes (type, bytes and end-of-message flag), so fragmentation goes both ways.
        app.Map("/echo", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("not a websocket: " + context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest);
                return;
            }
            var subprotocol = context.WebSockets.WebSocketRequestedProtocols.Contains("chat.v2") ? "chat.v2" : null;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = subprotocol,
                DangerousEnableCompression = context.Request.Query.ContainsKey("compress"),
            });
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(socket.CloseStatus!.Value, socket.CloseStatusDescription, CancellationToken.None);
                    return;
                }
                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
            }
        });
        // The server closes first, with its own code.
        app.Map("/close", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.CloseAsync((WebSocketCloseStatus)4002, "as asked", CancellationToken.None);
        });
        // The client leaves without a close handshake: the application's receive ends and RequestAborted fires.
        app.Map("/wait", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            context.RequestAborted.Register(() => observer!.RequestAborted.TrySetResult());
            observer!.Accepted.TrySetResult();
            try
            {
                var result = await socket.ReceiveAsync(new byte[64].AsMemory(), CancellationToken.None);
                observer.ReceiveEnded.TrySetResult("message " + result.MessageType);
            }
            catch (Exception ex)
            {
                observer.ReceiveEnded.TrySetResult(ex.GetType().Name);
            }
        });
    }

    /// <summary>A ClientWebSocket with the handler it runs on (an HTTP/2 WebSocket lives on the handler's connection).</summary>
    private sealed class Client : IDisposable
    {
        public required ClientWebSocket Socket { get; init; }
        public required HttpMessageInvoker Invoker { get; init; }

        public void Dispose()
        {
            Socket.Dispose();
            Invoker.Dispose();
        }
    }

    private static async Task<Client> ConnectAsync(AppHost host, string version, string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (version == "2")
        {
            socket.Options.HttpVersion = HttpVersion.Version20;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        configure?.Invoke(socket.Options);
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var baseUri = version == "2" ? host.H2cUri : host.Http11Uri;
        var uri = new Uri($"ws://{baseUri.Authority}{pathAndQuery}");
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            invoker.Dispose();
            throw;
        }
        return new Client { Socket = socket, Invoker = invoker };
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, message.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task Echo_TextAndBinary_WithASubprotocol(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app));
        using var client = await ConnectAsync(host, version, "/echo", o => o.AddSubProtocol("chat.v2"));
        using var timeout = new CancellationTokenSource(Bound);
        var socket = client.Socket;
        socket.SubProtocol.Should().Be("chat.v2");

        await socket.SendAsync("héllo ✓"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var text = await ReceiveMessageAsync(socket, timeout.Token);
        text.Type.Should().Be(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(text.Data).Should().Be("héllo ✓");

        var binary = new byte[100_000];
        new Random(14).NextBytes(binary);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, timeout.Token);
        var echoed = await ReceiveMessageAsync(socket, timeout.Token);
        echoed.Type.Should().Be(WebSocketMessageType.Binary);
        echoed.Data.Should().Equal(binary);

        for (var i = 0; i < 200; i++) await socket.SendAsync(Encoding.UTF8.GetBytes($"message {i}"), WebSocketMessageType.Text, true, timeout.Token);
        for (var i = 0; i < 200; i++) Encoding.UTF8.GetString((await ReceiveMessageAsync(socket, timeout.Token)).Data).Should().Be($"message {i}");

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        socket.State.Should().Be(WebSocketState.Closed);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task Echo_AFragmentedFourMebibyteMessage_ArrivesWhole(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app));
        using var client = await ConnectAsync(host, version, "/echo");
        using var timeout = new CancellationTokenSource(Bound);
        var socket = client.Socket;
        var payload = new byte[4 * 1024 * 1024];
        new Random(11).NextBytes(payload);

        // Sent in 64 KiB frames while the echo comes back, so neither side has to hold the whole message.
        var sending = Task.Run(async () =>
        {
            const int Fragment = 64 * 1024;
            for (var offset = 0; offset < payload.Length; offset += Fragment)
                await socket.SendAsync(payload.AsMemory(offset, Fragment), WebSocketMessageType.Binary, offset + Fragment == payload.Length, timeout.Token);
        });
        var echoed = await ReceiveMessageAsync(socket, timeout.Token);
        await sending;

        echoed.Type.Should().Be(WebSocketMessageType.Binary);
        SHA256.HashData(echoed.Data).Should().Equal(SHA256.HashData(payload));

        // A text message in fragments, split between characters.
        var parts = new[] { "première partie, ", "zweiter Teil ✓, ", "третья часть" };
        for (var i = 0; i < parts.Length; i++)
            await socket.SendAsync(Encoding.UTF8.GetBytes(parts[i]), WebSocketMessageType.Text, i == parts.Length - 1, timeout.Token);
        var text = await ReceiveMessageAsync(socket, timeout.Token);
        Encoding.UTF8.GetString(text.Data).Should().Be(string.Concat(parts));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task CloseHandshake_CarriesTheCodeAndReason_BothWays(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app));
        using var timeout = new CancellationTokenSource(Bound);

        // The client closes; the application answers with the client's code (the echo's close branch).
        using (var client = await ConnectAsync(host, version, "/echo"))
        {
            await client.Socket.CloseAsync((WebSocketCloseStatus)4001, "bye", timeout.Token);
            client.Socket.State.Should().Be(WebSocketState.Closed);
            client.Socket.CloseStatus.Should().Be((WebSocketCloseStatus)4001);
            client.Socket.CloseStatusDescription.Should().Be("bye");
        }

        // The application closes first.
        using (var client = await ConnectAsync(host, version, "/close"))
        {
            var result = await client.Socket.ReceiveAsync(new byte[16].AsMemory(), timeout.Token);
            result.MessageType.Should().Be(WebSocketMessageType.Close);
            client.Socket.CloseStatus.Should().Be((WebSocketCloseStatus)4002);
            client.Socket.CloseStatusDescription.Should().Be("as asked");
            await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            client.Socket.State.Should().Be(WebSocketState.Closed);
        }
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task Compression_IsNegotiated_WhenTheApplicationEnablesIt(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app));
        using var client = await ConnectAsync(host, version, "/echo?compress=1", o =>
        {
            o.DangerousDeflateOptions = new WebSocketDeflateOptions();
            o.CollectHttpResponseDetails = true;
        });
        using var timeout = new CancellationTokenSource(Bound);
        var socket = client.Socket;

        socket.HttpResponseHeaders!.Should().ContainKey("Sec-WebSocket-Extensions");
        string.Join(",", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"]).Should().Contain("permessage-deflate");
        var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 50_000)));
        await socket.SendAsync(payload, WebSocketMessageType.Text, true, timeout.Token);
        (await ReceiveMessageAsync(socket, timeout.Token)).Data.Should().Equal(payload);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task ClientAbort_EndsTheApplicationsReceive_AndFiresRequestAborted(string server, string version)
    {
        var observer = new AbortObserver();
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app, observer));
        var client = await ConnectAsync(host, version, "/wait");
        await observer.Accepted.Task.WaitAsync(Bound);

        // No close handshake: HTTP/1.1 closes the connection, HTTP/2 resets the stream.
        client.Socket.Abort();
        client.Dispose();

        var ended = await observer.ReceiveEnded.Task.WaitAsync(Bound);
        ended.Should().Be(nameof(WebSocketException));
        await observer.RequestAborted.Task.WaitAsync(Bound);
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task APlainRequest_IsNotUpgradable(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => MapWebSockets(app));
        using var http = host.CreateClient(version);

        var response = await http.GetAsync("/echo");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        if (version == "1.1") body.Should().Be("not a websocket: False");
        else body.Should().StartWith("not a websocket");
    }
}
