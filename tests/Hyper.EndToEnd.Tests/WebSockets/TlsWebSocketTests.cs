using System.Net;
using System.Net.WebSockets;
using System.Text;
using Hyper.EndToEnd.Tests.Tls;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// wss: ClientWebSocket over TLS, HTTP/1.1 (Upgrade) and HTTP/2 chosen by ALPN (RFC 8441 extended CONNECT), on every
/// backend; the scope says wss and carries the tls extension.
/// </summary>
public sealed class TlsWebSocketTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    public static TheoryData<string, bool> BackendsAndVersions() => ClientWebSocketTests.BackendsAndVersions();

    [Theory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Wss_scope_and_echo(string backend, bool http2)
    {
        await using var server = await TlsTestServer.StartAsync(backend, WebSocketApps.Serve, _tls);
        using var invoker = new HttpMessageInvoker(_tls.Handler());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using (var client = new ClientWebSocket())
        {
            client.Options.HttpVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
            client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            await client.ConnectAsync(new Uri($"wss://localhost:{server.Port}/scope?x=1"), invoker, cts.Token);
            var described = await ClientWebSocketTests.ReceiveMessageAsync(client);
            Encoding.UTF8.GetString(described.Data).Should().Be($"wss {(http2 ? "2" : "1.1")} /scope x=1 tls=True denial=True");
            (await ClientWebSocketTests.ReceiveMessageAsync(client)).Type.Should().Be(WebSocketMessageType.Close);
        }

        using (var client = new ClientWebSocket())
        {
            client.Options.HttpVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
            client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            await client.ConnectAsync(new Uri($"wss://localhost:{server.Port}/echo"), invoker, cts.Token);
            var payload = new byte[200_000];
            new Random(3).NextBytes(payload);
            await client.SendAsync(payload, WebSocketMessageType.Binary, true, cts.Token);
            (await ClientWebSocketTests.ReceiveMessageAsync(client)).Data.Should().Equal(payload);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        }
    }

    public void Dispose() => _tls.Dispose();
}
