using System.Diagnostics;
using System.Text;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>
/// What a client library would not do, over a bare socket on every backend: handshake refusals (426, 400, 403), the
/// denial response, invalid UTF-8 (1007), a dead peer (ping, then closed after the pong timeout), graceful shutdown
/// (1001), and a client that never reads (the application's send is held, memory bounded).
/// </summary>
public sealed class RawWebSocketTests
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Handshake_refusals_name_the_rule(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve,
            o => o with { WebSockets = o.WebSockets with { AllowedOrigins = ["https://good.example"] } });

        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            // RFC 6455 §4.4: another version is answered 426 listing the one spoken.
            var head = await client.HandshakeAsync("/echo", version: "8");
            head.Should().StartWith("HTTP/1.1 426").And.Contain("sec-websocket-version: 13");
        }
        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            (await client.HandshakeAsync("/echo", key: "not-a-key")).Should().StartWith("HTTP/1.1 400");
        }
        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            (await client.HandshakeAsync("/echo", extraHeaders: "Origin: https://evil.example")).Should().StartWith("HTTP/1.1 403");
        }
        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            (await client.HandshakeAsync("/echo", extraHeaders: "Origin: https://good.example")).Should().StartWith("HTTP/1.1 101");
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_application_answers_with_a_denial_response_or_403(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            var head = await client.HandshakeAsync("/deny");
            head.Should().StartWith("HTTP/1.1 401").And.Contain("content-type: text/plain");
            (await client.ReadBodyAsync("no entry here".Length + 40)).Should().Contain("no entry").And.Contain(" here");
        }
        await using (var client = await RawWebSocketClient.ConnectAsync(server))
        {
            (await client.HandshakeAsync("/reject")).Should().StartWith("HTTP/1.1 403");
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Invalid_utf8_closes_1007(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        await using var client = await RawWebSocketClient.ConnectAsync(server);
        (await client.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 101");

        // A lone continuation byte after a valid one: cannot start a character (RFC 3629).
        await client.SendFrameAsync(0x1, [0x61, 0x80, 0x62]);

        (await client.ReadCloseCodeAsync()).Should().Be(1007);
        (await client.ReachesEofAsync()).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_peer_that_never_answers_pings_is_closed_after_the_pong_timeout(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve, o => o with
        {
            WebSockets = o.WebSockets with { PingInterval = TimeSpan.FromMilliseconds(200), PongTimeout = TimeSpan.FromMilliseconds(500) },
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server);
        (await client.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 101");
        var clock = Stopwatch.StartNew();

        var ping = await client.ReadFrameAsync();
        ping.Should().NotBeNull();
        ping!.Value.Opcode.Should().Be(0x9);
        // Never answered: the server gives up on the peer (Close 1011, then the TCP close).
        (await client.ReadCloseCodeAsync()).Should().Be(1011);
        (await client.ReachesEofAsync()).Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        WebSocketApps.LastDisconnect.Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Pings_answered_keep_the_session_open(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve, o => o with
        {
            WebSockets = o.WebSockets with { PingInterval = TimeSpan.FromMilliseconds(100), PongTimeout = TimeSpan.FromMilliseconds(400) },
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server);
        (await client.HandshakeAsync("/echo")).Should().StartWith("HTTP/1.1 101");

        for (var i = 0; i < 5; i++)
        {
            var ping = await client.ReadFrameAsync();
            ping!.Value.Opcode.Should().Be(0x9);
            await client.SendFrameAsync(0xA, ping.Value.Payload);
        }
        await client.SendFrameAsync(0x1, Encoding.UTF8.GetBytes("still here"));
        (int Opcode, byte[] Payload)? reply;
        do reply = await client.ReadFrameAsync(); while (reply is { Opcode: 0x9 });
        Encoding.UTF8.GetString(reply!.Value.Payload).Should().Be("still here");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Graceful_shutdown_closes_1001_and_waits_for_the_reply(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        await using var client = await RawWebSocketClient.ConnectAsync(server);
        (await client.HandshakeAsync("/shutdown")).Should().StartWith("HTTP/1.1 101");

        server.BeginShutdown();

        (await client.ReadCloseCodeAsync()).Should().Be(1001);
        await client.SendCloseAsync(1001);
        (await client.ReachesEofAsync()).Should().BeTrue();
        (await server.Running.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_client_that_never_reads_holds_the_applications_send(string backend)
    {
        WebSocketApps.ResetFlood();
        await using var server = await TestServer.StartAsync(backend, WebSocketApps.Serve);
        await using var client = await RawWebSocketClient.ConnectAsync(server, receiveBuffer: 64 * 1024);
        (await client.HandshakeAsync("/flood")).Should().StartWith("HTTP/1.1 101");

        // The sender fills the socket buffers and the transport's, then waits.
        long previous = -1, sent = 0;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(4))
        {
            await Task.Delay(500);
            sent = WebSocketApps.FloodSent;
            if (sent == previous && sent > 0) break;
            previous = sent;
        }
        sent.Should().Be(previous, "send() must stop while the client reads nothing");
        (sent * 64 * 1024).Should().BeLessThan(16L * 1024 * 1024, "what is queued for a client that never reads is bounded");
    }
}
