using System.Net.WebSockets;
using System.Text;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// One access-log entry per WebSocket session, written when it is over: the handshake's status (101 over HTTP/1.1,
/// 200 over HTTP/2, or the refusal), the bytes sent and the whole session's duration, on every backend.
/// </summary>
public sealed class WebSocketAccessLogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(ClientWebSocketTests.BackendsAndVersions), MemberType = typeof(ClientWebSocketTests))]
    public async Task An_accepted_session_is_logged_once_it_is_over_with_its_status_and_duration(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        using (var client = await ClientWebSocketTests.ConnectAsync(server, "/echo?room=1", http2))
        {
            using var cts = new CancellationTokenSource(Timeout);
            await client.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, cts.Token);
            (await ClientWebSocketTests.ReceiveMessageAsync(client)).Data.Should().Equal(Encoding.UTF8.GetBytes("hello"));
            // Still open: nothing is logged before the session ends.
            await Task.Delay(200);
            server.AccessLog.Entries.Should().BeEmpty();
            await Task.Delay(300);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        }

        var entry = (await server.AccessLog.WaitForAsync(1)).Should().ContainSingle().Subject;
        entry.Status.Should().Be(http2 ? 200 : 101);
        entry.Scope.Method.Should().Be(http2 ? "CONNECT" : "GET");
        entry.Scope.Scheme.Should().Be("ws");
        entry.Scope.Path.Should().Be("/echo");
        Encoding.ASCII.GetString(entry.Scope.QueryString.Span).Should().Be("room=1");
        entry.Scope.HttpVersion.Should().Be(http2 ? "2" : "1.1");
        // The echoed frame (2 + 5 bytes) and the Close reply (2 + 2) at least.
        entry.ResponseBodyBytes.Should().BeGreaterThanOrEqualTo(11);
        entry.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450));
        if (!http2) entry.ResponseHeaders.Select(h => Encoding.ASCII.GetString(h.Name.Span)).Should().Contain("sec-websocket-accept");
    }

    [Theory]
    [MemberData(nameof(ClientWebSocketTests.BackendsAndVersions), MemberType = typeof(ClientWebSocketTests))]
    public async Task A_refused_or_denied_handshake_is_logged_with_its_status(string backend, bool http2)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);

        var refused = async () => await ClientWebSocketTests.ConnectAsync(server, "/reject", http2);
        await refused.Should().ThrowAsync<WebSocketException>();
        var denied = async () => await ClientWebSocketTests.ConnectAsync(server, "/deny", http2);
        await denied.Should().ThrowAsync<WebSocketException>();

        var entries = await server.AccessLog.WaitForAsync(2);
        entries.Select(e => (e.Scope.Path, e.Status)).Should().BeEquivalentTo([("/reject", (int?)403), ("/deny", (int?)401)]);
        entries.Single(e => e.Scope.Path == "/deny").ResponseBodyBytes.Should().Be("no entry here".Length);
    }
}
