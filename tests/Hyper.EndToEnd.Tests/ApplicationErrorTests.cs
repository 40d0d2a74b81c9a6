using System.Net;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests;

/// <summary>ASGI's error rules over a real socket.</summary>
public sealed class ApplicationErrorTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task App_ThrowsBeforeResponseStart_Gets500(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, (_, _, _) => throw new InvalidOperationException("boom"));
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task App_ReturnsWithoutResponding_Gets500(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, (_, _, _) => ValueTask.CompletedTask);
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task App_ThrowsAfterResponseStart_ConnectionIsAborted(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("partial"u8.ToArray(), MoreBody: true));
            throw new InvalidOperationException("boom after start");
        });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var read = async () => await client.ReadResponseAsync();

        // The chunked body never gets its last chunk: the client must see the response as broken.
        await read.Should().ThrowAsync<IOException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task App_SendsBodyBeforeStart_Gets500(string backend)
    {
        Exception? raised = null;
        await using var server = await TestServer.StartAsync(backend, async (_, _, send) =>
        {
            try { await send(new HttpResponseBody("x"u8.ToArray())); }
            catch (Exception ex) { raised = ex; throw; }
        });
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        raised.Should().BeOfType<UnexpectedMessageException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ClientDisconnectsMidBody_AppReceivesHttpDisconnect(string backend)
    {
        var seen = new TaskCompletionSource<AsgiMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            while (true)
            {
                var message = await receive();
                if (message is HttpDisconnect || message is HttpRequest { MoreBody: false })
                {
                    seen.TrySetResult(message);
                    return;
                }
            }
        });
        using (var client = await RawHttpClient.ConnectAsync(server))
        {
            await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part");
            await Task.Delay(100);
        }

        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeOfType<HttpDisconnect>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SendAfterClientLeft_RaisesClientDisconnectedException(string backend)
    {
        var raised = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await send(new HttpResponseStart(200, []));
            try
            {
                // Stream until the peer's disappearance surfaces as an error; bounded so the test cannot hang.
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 100_000; i++) await send(new HttpResponseBody(chunk, MoreBody: true));
                raised.TrySetException(new Exception("no error raised"));
            }
            catch (Exception ex) { raised.TrySetResult(ex); }
        });
        using (var client = await RawHttpClient.ConnectAsync(server))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            await Task.Delay(200);
        }

        (await raised.Task.WaitAsync(TimeSpan.FromSeconds(20))).Should().BeOfType<ClientDisconnectedException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ReceiveAfterResponse_ReturnsHttpDisconnect(string backend)
    {
        var seen = new TaskCompletionSource<AsgiMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await receive();
            await Apps.RespondAsync(send, 200, "done");
            seen.TrySetResult(await receive());
        });
        using var client = server.CreateClient();

        (await client.GetAsync("/")).Dispose();

        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeOfType<HttpDisconnect>();
    }
}
