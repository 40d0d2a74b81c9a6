using System.Diagnostics;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// <c>websocket_max_connections</c> on every backend: with two allowed, a third upgrade is answered 503 before it
/// is accepted (the application never sees it), and once one session has ended a new one is accepted again.
/// </summary>
public sealed class WebSocketAdmissionTests
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upgrades_beyond_the_cap_are_answered_503_until_a_session_ends(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve,
            o => o with { WebSockets = o.WebSockets with { MaxConnections = 2 } });
        await using var first = await RawWebSocketClient.ConnectAsync(server);
        await using var second = await RawWebSocketClient.ConnectAsync(server);
        (await first.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 101");
        (await second.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 101");

        await using (var third = await RawWebSocketClient.ConnectAsync(server))
        {
            (await third.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 503");
        }

        await first.SendCloseAsync(1000);
        (await first.ReadCloseCodeAsync()).Should().Be(1000);
        (await first.ReachesEofAsync()).Should().BeTrue();
        // The place is given back when the application has returned, just after the close handshake: retry, bounded.
        var clock = Stopwatch.StartNew();
        string head;
        do
        {
            await using var again = await RawWebSocketClient.ConnectAsync(server);
            head = await again.HandshakeAsync("/echo");
            if (head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) break;
            await Task.Delay(50);
        } while (clock.Elapsed < TimeSpan.FromSeconds(10));
        head.Should().StartWith("HTTP/1.1 101");
    }
}
