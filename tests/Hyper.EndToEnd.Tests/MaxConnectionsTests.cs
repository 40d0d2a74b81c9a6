using System.Net.Sockets;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// <c>max_connections</c> (docs/security.md SL-01): beyond the cap an accepted connection is closed unserved, the
/// connections already open keep being served, and a new one is served again once one of them has closed.
/// </summary>
public sealed class MaxConnectionsTests
{
    private const string Request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AtTheCap_NewConnectionIsClosedUnserved_OpenOnesStillAnswer_AndOneClosingLetsTheNextIn(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with
        {
            MaxConnections = 3,
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        var held = new List<RawHttpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await RawHttpClient.ConnectAsync(server);
                held.Add(client);
                await client.SendAsync(Request);
                (await client.ReadResponseAsync()).Status.Should().Be(200);
            }

            using (var fourth = await RawHttpClient.ConnectAsync(server))
                (await ReceivedBeforeCloseAsync(fourth, TimeSpan.FromSeconds(5))).Should().Be(0, "a connection over the cap gets no response, only a close");

            foreach (var client in held)
            {
                await client.SendAsync(Request);
                (await client.ReadResponseAsync()).Status.Should().Be(200);
            }

            held[0].Dispose();
            held.RemoveAt(0);
            (await ServedWithinAsync(server, TimeSpan.FromSeconds(5))).Should().BeTrue("a slot is free once a connection has closed");
        }
        finally
        {
            foreach (var client in held) client.Dispose();
        }
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConnectionThatHasNotSentAByte_CountsAgainstTheCap(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with
        {
            MaxConnections = 1,
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        using var silent = await RawHttpClient.ConnectAsync(server);

        using (var second = await RawHttpClient.ConnectAsync(server))
            (await ReceivedBeforeCloseAsync(second, TimeSpan.FromSeconds(5))).Should().Be(0);

        await silent.SendAsync(Request);
        (await silent.ReadResponseAsync()).Status.Should().Be(200);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ZeroMeansNoCap(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { KeepAliveTimeout = TimeSpan.FromSeconds(30) });
        var clients = new List<RawHttpClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = await RawHttpClient.ConnectAsync(server);
                clients.Add(client);
                await client.SendAsync(Request);
                (await client.ReadResponseAsync()).Status.Should().Be(200);
            }
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>
    /// Sends a request and reads until the server closes: the bytes received before the close (FIN or reset).
    /// Throws when the connection is still open after <paramref name="timeout"/>.
    /// </summary>
    private static async Task<int> ReceivedBeforeCloseAsync(RawHttpClient client, TimeSpan timeout)
    {
        try { await client.SendAsync(Request); }
        catch (SocketException) { return 0; }
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        var received = 0;
        try
        {
            while (true)
            {
                var n = await client.Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0) return received;
                received += n;
            }
        }
        catch (SocketException) { return received; }
        catch (OperationCanceledException) { throw new TimeoutException($"the connection was still open after {timeout.TotalSeconds} s"); }
    }

    /// <summary>
    /// True when a new connection gets a response within <paramref name="timeout"/>. The server frees the slot of a
    /// closed connection once its task group has ended, a moment after the client's close, so early tries may be refused.
    /// </summary>
    private static async Task<bool> ServedWithinAsync(TestServer server, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var client = await RawHttpClient.ConnectAsync(server);
            try
            {
                await client.SendAsync(Request);
                if ((await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(2))).Status == 200) return true;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException) { }
            await Task.Delay(50);
        }
        return false;
    }
}
