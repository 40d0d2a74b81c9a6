using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests;

/// <summary>Timeouts and slow clients (docs/security.md SL-01 … SL-06) with clients that trickle.</summary>
public sealed class SlowClientTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task IdleKeepAliveConnection_IsClosedAfterKeepAliveTimeout(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { KeepAliveTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        (await client.ReadResponseAsync()).Status.Should().Be(200);

        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Slowloris_HeadNotCompleteInTime_Gets408AndClose(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with
        {
            RequestHeadersTimeout = TimeSpan.FromMilliseconds(500),
            KeepAliveTimeout = TimeSpan.FromSeconds(10),
        });
        using var client = await RawHttpClient.ConnectAsync(server);

        var head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa\r\n";
        var trickle = Task.Run(async () =>
        {
            try
            {
                foreach (var c in head) { await client.SendAsync(Encoding.ASCII.GetBytes(c.ToString())); await Task.Delay(50); }
            }
            catch (System.Net.Sockets.SocketException) { }
        });
        var response = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));

        response.Status.Should().Be(408);
        await trickle;
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SlowRequestBody_BelowMinimumRate_IsCut(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with
        {
            MinRequestBodyRate = 1000,
            MinRequestBodyRateGrace = TimeSpan.FromMilliseconds(300),
        });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        var trickle = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 100; i++) { await client.SendAsync("x"u8.ToArray()); await Task.Delay(50); }
            }
            catch (System.Net.Sockets.SocketException) { }
        });

        var response = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(6));
        response.Status.Should().Be(408);
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ExpectContinue_SentOnlyWhenAppReadsBody(string backend)
    {
        var readBody = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await readBody.Task;
            var body = await Apps.ReadBodyAsync(receive);
            await Apps.RespondAsync(send, 200, Encoding.ASCII.GetString(body));
        });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        var early = client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        early.IsCompleted.Should().BeFalse("no 100 Continue before the application reads the body");

        readBody.SetResult();
        (await early).Status.Should().Be(100);
        await client.SendAsync("data");
        (await client.ReadResponseAsync()).BodyText.Should().Be("data");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ExpectContinue_AppAnswersWithoutReading_No100AndBodyNeverParsedAsRequest(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, (scope, receive, send) => Apps.RespondAsync(send, 403, "no"));
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 38\r\nExpect: 100-continue\r\n\r\n");
        var response = await client.ReadResponseAsync();
        response.Status.Should().Be(403);
        await client.SendAsync("GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        // Either the connection closes, or the 38 bytes are drained as the body: never a second response.
        var second = async () => await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(2));
        await second.Should().ThrowAsync<Exception>();
    }
}
